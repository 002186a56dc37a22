"""`python -m engine understand PROJECT_DIR`: one line of commands per message read from stdin."""

from __future__ import annotations

import io
from pathlib import Path

from engine.understanding.cli import main

from .fake_llm import FakeLLM, Reply
from .labelled import VECTORS

PIZZA = VECTORS / "conformance" / "pizza_shop" / "project"
LIBRARY = VECTORS / "conformance" / "library_desk" / "project"


def run(argv: list[str], text: str, environ: dict | None = None) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = main(argv, stdin=io.StringIO(text), stdout=out, environ=environ or {})
    return code, out.getvalue().split("\n")[:-1]


def test_offline_prints_one_line_per_message_each_from_a_fresh_conversation():
    code, lines = run([str(PIZZA), "--generator", "offline"], "two large pepperoni pizzas\nlarge\nwhere is my order?\n")
    assert code == 0
    assert lines == [
        "start flow order_pizza; set slot pizza_type pepperoni; set slot pizza_size large; set slot pizza_count 2",
        "cannot handle",  # no flow is collecting pizza_size in a fresh conversation
        "start flow track_order",
    ]


def test_scripted_reads_the_command_grammar_and_drops_unknown_flows():
    code, lines = run([str(PIZZA), "--generator", "scripted"], "start flow store_hours\nstart flow nope\n")
    assert code == 0
    assert lines == ["start flow store_hours", "cannot handle"]


def test_an_empty_message_prints_an_empty_line():
    assert run([str(PIZZA), "--generator", "offline"], "\nhi\n")[1] == ["", "search and reply"]


def test_without_an_llm_endpoint_the_default_is_offline():
    assert run([str(LIBRARY)], "hello\n")[1] == ["offtopic reply"]


def test_nlu_examples_in_the_project_start_their_flow(tmp_path: Path):
    project = tmp_path / "shop"
    (project / "data").mkdir(parents=True)
    (project / "config.yml").write_text("pipeline:\n- name: CompactLLMCommandGenerator\n")
    (project / "domain.yml").write_text("responses:\n  utter_hours:\n  - text: open 9-5\n")
    (project / "data" / "flows.yml").write_text(
        "flows:\n  hours:\n    description: opening times\n    nlu_trigger:\n    - intent: ask_hours\n"
        "    steps:\n    - action: utter_hours\n"
    )
    (project / "data" / "nlu.yml").write_text("nlu:\n- intent: ask_hours\n  examples: |\n    - till when can I come by\n")
    assert run([str(project), "--generator", "offline"], "till when can I come by?\n")[1] == ["start flow hours"]


def test_llm_generator_uses_the_base_url_given_on_the_command_line():
    fake = FakeLLM().start()
    try:
        fake.script(Reply("start flow track_order"))
        code, lines = run([str(PIZZA), "--generator", "llm", "--base-url", fake.base_url], "where is it\n")
    finally:
        fake.stop()
    assert (code, lines) == (0, ["start flow track_order"])
    assert fake.requests[0]["model"] == "gpt-4o-mini-2024-07-18"  # from endpoints.yml model_groups


def test_a_missing_project_exits_2_with_the_problem(capsys):
    code, lines = run(["/nonexistent/project"], "hi\n")
    assert code == 2 and lines == []
    assert "project folder not found" in capsys.readouterr().err


def test_the_llm_generator_without_an_endpoint_exits_2_with_a_hint(capsys):
    code, lines = run([str(PIZZA), "--generator", "llm"], "hi\n")
    assert (code, lines) == (2, [])
    assert "needs --base-url" in capsys.readouterr().err


def test_a_missing_prompt_template_file_is_named(tmp_path: Path, capsys):
    project = tmp_path / "p"
    (project / "data").mkdir(parents=True)
    (project / "config.yml").write_text(
        "pipeline:\n- name: CompactLLMCommandGenerator\n  prompt_template: prompts/mine.jinja2\n")
    (project / "domain.yml").write_text("version: '3.1'\n")
    code, _ = run([str(project), "--generator", "llm", "--base-url", "http://127.0.0.1:9/v1"], "hi\n")
    assert code == 2
    assert "config.yml: prompt_template 'prompts/mine.jinja2' not found" in capsys.readouterr().err
    assert run([str(project), "--generator", "offline"], "hi\n")[0] == 0
