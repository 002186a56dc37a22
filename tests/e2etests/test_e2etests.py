"""Stored e2e tests: generated from flow paths, edited, run (task, page, command), from conversations."""
from pathlib import Path

import pytest
from django.core.management import call_command

import engine
from engine.e2e import load_test_cases, run_test_cases
from engine.understanding.bridge import make_generator
from studio.assistants.demo import DEMO_DIR
from studio.core.exceptions import Conflict, Forbidden, ValidationFailed
from studio.e2etests import services
from studio.e2etests.generate import generate_path_tests
from studio.e2etests.models import RunStatus
from studio.exchange import e2e
from studio.exchange.services import assistant_export, assistant_import

ROOT = Path(__file__).resolve().parents[2]
PROJECTS = [DEMO_DIR, *sorted((ROOT / "tests/exchange/rasa_verdicts").glob("template_*/project")),
            *[ROOT / "tests/engine/conformance" / n / "project" for n in ("pizza_shop", "library_desk", "utility_account")]]


def _write_generated(project: Path, target: Path, generator: str = "scripted") -> list:
    built = engine.load_project(project, strict=False)
    chosen = None if generator == "scripted" else make_generator(generator, built, settings={}, environ={})
    generated = generate_path_tests(built, generator=chosen)
    (target / "gen.yml").write_text(e2e.tests_text(generated.to_data(), generator), encoding="utf-8")
    return run_test_cases(built, load_test_cases([target / "gen.yml"]), chosen)


@pytest.mark.parametrize("generator", ["scripted", "offline"])
@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.parent.name if p.name == "project" else p.name)
def test_generated_path_tests_pass_with_the_generator_they_were_made_for(project, generator, tmp_path):
    results = _write_generated(project, tmp_path, generator)
    assert results and all(r.passed for r in results), [r.failures for r in results if not r.passed]


def test_offline_tests_ask_for_flows_by_name():
    built = engine.load_project(DEMO_DIR, strict=False)
    offline = generate_path_tests(built, generator=make_generator("offline", built, settings={}, environ={}))
    assert [case["steps"][0]["user"] for case in offline.cases] == [
        "order a drink", "order a drink", "order a drink", "ask for opening hours", "leave feedback"]


def test_generated_tests_cover_every_branch_of_the_demo(tmp_path):
    results = _write_generated(DEMO_DIR, tmp_path)
    text = (tmp_path / "gen.yml").read_text()
    assert "/SetSlots(confirm_order=false)" in text and "utter_order_cancelled" in text
    assert "utter_free_upgrade" in text  # the loyalty stub with 100 points takes the upgrade branch
    assert "order_drink_path_1::action_check_loyalty" in text
    built = engine.load_project(DEMO_DIR, strict=False)
    from engine.e2e.coverage import flow_coverage
    coverage = flow_coverage(built, set().union(*(r.reached for r in results)))
    assert {f: [s for s in c["steps"] if s not in c["reached"]] for f, c in coverage.items()} == {
        "order_drink": [], "check_loyalty": [], "opening_hours": [], "leave_feedback": []}


@pytest.fixture
def run_now(django_capture_on_commit_callbacks):
    """Queue a run and let its on-commit task run (eager, as in the embedded mode)."""
    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            created = services.test_run_create(**kwargs)
        created.refresh_from_db()
        return created
    return run


@pytest.fixture
def demo(users):
    from studio.accounts.models import Membership
    assistant = assistant_import(user=users["owner"], source=DEMO_DIR).assistant
    for role in ("designer", "writer", "viewer"):
        Membership.objects.create(user=users[role], assistant=assistant, role=role)
    return assistant


def test_designer_generates_and_a_viewer_runs_them_green(demo, users, run_now):
    with pytest.raises(Forbidden):
        services.tests_generate_save(user=users["viewer"], assistant=demo)
    path = services.tests_generate_save(user=users["designer"], assistant=demo)
    assert path == "tests/flow_paths.yml"
    run = run_now(user=users["viewer"], assistant=demo)
    assert (run.status, run.passed, run.total) == (RunStatus.PASSED, 5, 5)
    assert run.output.endswith("passed: 5/5")
    assert services.unreached_steps(run)[0] == {"flow_id": "order_drink", "reached": 8, "total": 8, "unreached": []}


def test_saved_tests_export_under_tests_and_reimport_unchanged(demo, users):
    services.tests_generate_save(user=users["designer"], assistant=demo)
    exported = assistant_export(user=users["owner"], assistant=demo)
    text = exported["tests/flow_paths.yml"]
    again = assistant_import(user=users["owner"], source=exported, assistant=demo).assistant
    assert e2e.test_files(again)["tests/flow_paths.yml"].encode() == text


def test_editing_a_case_keeps_the_rest_of_the_file_and_checks_the_yaml(demo, users):
    services.tests_generate_save(user=users["designer"], assistant=demo)
    path = e2e.GENERATED_PATH
    before = e2e.test_files(demo)[path]
    case_yaml, revision = services.test_case_get(user=users["viewer"], assistant=demo, path=path,
                                                 name="leave_feedback_path_1")
    with pytest.raises(Forbidden):
        services.test_case_save(user=users["writer"], assistant=demo, path=path, name="leave_feedback_path_1",
                                case_yaml=case_yaml, revision=revision)
    broken = case_yaml.replace("bot_uttered:", "bot_utterd:", 1)
    with pytest.raises(ValidationFailed) as error:
        services.test_case_save(user=users["designer"], assistant=demo, path=path, name="leave_feedback_path_1",
                                case_yaml=broken, revision=revision)
    line = broken.splitlines().index("      - bot_utterd:") + 1
    assert error.value.problems[0].msg == f"line {line}: unknown assertion type 'bot_utterd'"
    edited = case_yaml.replace("/SetSlots(feedback=example)", "/SetSlots(feedback=lovely)")
    services.test_case_save(user=users["designer"], assistant=demo, path=path, name="leave_feedback_path_1",
                            case_yaml=edited, revision=revision)
    after = e2e.test_files(demo)[path]
    old_lines, new_lines = before.splitlines(), after.splitlines()
    changed = [i for i, (a, b) in enumerate(zip(old_lines, new_lines)) if a != b]
    assert len(old_lines) == len(new_lines) and len(changed) == 1  # every other line kept byte for byte
    assert new_lines[changed[0]] == "      - user: /SetSlots(feedback=lovely)"
    assert changed[0] > old_lines.index("  - test_case: leave_feedback_path_1")
    with pytest.raises(Conflict):
        services.test_case_delete(user=users["designer"], assistant=demo, path=path, name="leave_feedback_path_1",
                                  revision=revision)


def test_a_broken_case_runs_red_with_the_runners_message(demo, users, run_now):
    services.tests_generate_save(user=users["designer"], assistant=demo)
    path = e2e.GENERATED_PATH
    case_yaml, revision = services.test_case_get(user=users["designer"], assistant=demo, path=path,
                                                 name="opening_hours_path_1")
    services.test_case_save(user=users["designer"], assistant=demo, path=path, name="opening_hours_path_1",
                            case_yaml=case_yaml.replace("utter_opening_hours", "utter_closing_hours"),
                            revision=revision)
    run = run_now(user=users["viewer"], assistant=demo, path=path, case="opening_hours_path_1")
    assert (run.status, run.passed, run.total) == (RunStatus.FAILED, 0, 1)
    assert "bot_uttered (line 187): Bot did not utter 'utter_closing_hours' response." in run.results[0]["failures"]


def test_tests_page_lists_cases_and_hides_edits_from_viewers(demo, users, client_for, django_capture_on_commit_callbacks):
    services.tests_generate_save(user=users["designer"], assistant=demo)
    page = client_for("viewer").get(f"/assistants/{demo.slug}/tests/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "order_drink_path_1" in body and "Run all" in body
    assert "Generate tests" not in body and ">Delete<" not in body
    assert "Generate tests" in client_for("designer").get(f"/assistants/{demo.slug}/tests/").content.decode()
    assert client_for("outsider").get(f"/assistants/{demo.slug}/tests/").status_code == 404
    assert client_for("viewer").post(f"/assistants/{demo.slug}/tests/generate/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("viewer").post(f"/assistants/{demo.slug}/tests/run/", {"generator": "offline"})
    assert response.status_code == 302
    page = client_for("viewer").get(f"/assistants/{demo.slug}/tests/").content.decode()
    assert "passed: 5/5" in page and "5/5 steps reached" not in page  # order_drink has 8 steps
    assert "order_drink</strong>: 8/8 steps reached" in page


def test_test_assistant_command_prints_the_runner_report_and_fails_on_red(demo, users, capsys):
    services.tests_generate_save(user=users["designer"], assistant=demo)
    call_command("test_assistant", demo.slug)
    assert capsys.readouterr().out.strip() == "passed: 5/5"
    path = e2e.GENERATED_PATH
    case_yaml, revision = services.test_case_get(user=users["designer"], assistant=demo, path=path,
                                                 name="leave_feedback_path_1")
    services.test_case_save(user=users["designer"], assistant=demo, path=path, name="leave_feedback_path_1",
                            case_yaml=case_yaml.replace("utter_thanks_feedback", "utter_nope"), revision=revision)
    with pytest.raises(SystemExit) as exit_code:
        call_command("test_assistant", demo.slug)
    assert exit_code.value.code == 1
    out = capsys.readouterr().out
    assert out.startswith(f"FAILED {path}::leave_feedback_path_1") and out.strip().endswith("passed: 4/5")


def test_a_try_it_conversation_becomes_a_test_that_passes(users, client_for, run_now):
    """The demo as `make run` loads it: its custom actions answer from the studio's mocks."""
    from studio.accounts.models import Membership
    from studio.assistants.demo import demo_assistant_load
    from studio.tryit.services import conversation_start, conversation_turn

    demo = demo_assistant_load(user=users["owner"])[0]
    for role in ("designer", "viewer"):
        Membership.objects.create(user=users[role], assistant=demo, role=role)
    conversation, _ = conversation_start(user=users["designer"], assistant=demo)
    for text in ("start flow order_drink", "/SetSlots(drink=latte)", "/SetSlots(size=large)",
                 "/SetSlots(confirm_order=true)"):
        conversation_turn(user=users["designer"], conversation=conversation, text=text)
    url = f"/assistants/{demo.slug}/tests/from-conversation/{conversation.pk}/"
    download = client_for("designer").get(url + "?name=latte order")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="latte_order.yml"'
    text = download.content.decode()
    assert ("  latte_order::action_check_loyalty:\n    events:\n      - event: slot\n        name: loyalty_points\n"
            "        value: 40\n") in text
    assert "      - user: /SetSlots(drink=latte)\n" in text
    assert client_for("viewer").get(url).status_code == 404  # someone else's conversation
    own, _ = conversation_start(user=users["viewer"], assistant=demo)
    own_url = f"/assistants/{demo.slug}/tests/from-conversation/{own.pk}/"
    assert client_for("viewer").get(own_url).status_code == 200  # viewers may download theirs
    assert client_for("viewer").post(own_url, {"name": "mine"}).status_code == 403  # but not save tests
    assert client_for("designer").post(url, {"name": "latte order"}).status_code == 302
    run = run_now(user=users["viewer"], assistant=demo, path="tests/conversations/latte_order.yml")
    assert (run.status, run.passed, run.total) == (RunStatus.PASSED, 1, 1), run.output
    exported = assistant_export(user=users["owner"], assistant=demo)
    assert exported["tests/conversations/latte_order.yml"].decode() == text


def test_a_studio_built_assistant_with_saved_tests_exports_them_instead_of_the_starter(assistant, users):
    from studio.assistants.services import flow_create, response_save
    from studio.exchange.yamlproject import files_from_mapping, parse_project

    owner = users["owner"]
    response_save(user=owner, assistant=assistant, name="utter_hi", variations=[{"text": "Hi!"}], revision=None)
    flow_create(user=owner, assistant=assistant, flow_id="greet",
                data={"description": "Say hello to the user.", "steps": [{"action": "utter_hi"}]})
    services.tests_generate_save(user=users["designer"], assistant=assistant)
    out = assistant_export(user=owner, assistant=assistant)
    assert {"data/flows/greet.yml", "domain/responses.yml", "tests/flow_paths.yml"} <= set(out)
    assert "tests/e2e_test_cases.yml" not in out
    assert parse_project(files_from_mapping(out)).problems == []


def test_designer_previews_saves_edits_and_deletes_through_the_pages(demo, client_for):
    designer = client_for("designer")
    base = f"/assistants/{demo.slug}/tests/"
    preview = designer.get(base + "generate/?generator=offline")
    assert preview.status_code == 200 and "- user: order a drink" in preview.content.decode()
    assert designer.post(base + "generate/", {"generator": "offline"}).status_code == 302
    case_url = base + "case/?file=tests/flow_paths.yml&case=leave_feedback_path_1"
    page = designer.get(case_url).content.decode()
    assert "test_case: leave_feedback_path_1" in page
    revision = e2e.content_hash(e2e.test_files(demo)["tests/flow_paths.yml"])
    bad = designer.post(case_url, {"yaml": "test_case: leave_feedback_path_1\nsteps: 3\n", "revision": revision})
    assert bad.status_code == 422
    assert "line 1: &#x27;steps&#x27; of test case &#x27;leave_feedback_path_1&#x27; must be a list of steps" in (
        bad.content.decode())
    viewer_page = client_for("viewer").get(case_url).content.decode()
    assert "<textarea" not in viewer_page and "test_case: leave_feedback_path_1" in viewer_page
    gone = designer.post(base + "case/delete/", {"file": "tests/flow_paths.yml", "case": "leave_feedback_path_1",
                                                  "revision": revision})
    assert gone.status_code == 302
    assert "leave_feedback_path_1" not in designer.get(base).content.decode()


def test_a_second_delivery_of_the_task_changes_nothing(demo, users, run_now):
    from studio.e2etests.tasks import test_run_execute

    services.tests_generate_save(user=users["designer"], assistant=demo)
    run = run_now(user=users["viewer"], assistant=demo)
    finished_at = run.finished_at
    assert test_run_execute(run.pk) == "passed"
    run.refresh_from_db()
    assert run.finished_at == finished_at
    assert test_run_execute(10_000) == "deleted"


def test_coverage_of_one_case_lists_the_branches_it_did_not_take(tmp_path):
    from engine.e2e.coverage import flow_coverage

    _write_generated(DEMO_DIR, tmp_path)
    built = engine.load_project(DEMO_DIR, strict=False)
    cases = {c.name: c for c in load_test_cases([tmp_path / "gen.yml"])}
    unreached = {}
    for name in ("order_drink_path_1", "order_drink_path_3"):
        [result] = run_test_cases(built, [cases[name]])
        coverage = flow_coverage(built, result.reached)
        unreached[name] = {f: [s for s in c["steps"] if s not in c["reached"]]
                           for f, c in coverage.items() if f in ("order_drink", "check_loyalty")}
    assert unreached == {
        "order_drink_path_1": {"order_drink": ["order_drink_6_utter_order_cancelled", "order_drink_7_set_slots"],
                               "check_loyalty": []},
        "order_drink_path_3": {"order_drink": ["order_drink_6_utter_order_cancelled", "order_drink_7_set_slots"],
                               "check_loyalty": ["grant_upgrade", "check_loyalty_2_utter_free_upgrade"]},
    }


def test_an_action_that_failed_in_the_chat_is_left_unstubbed_so_the_test_fails_it_too(demo, users, run_now):
    """Without mocks the demo's action server is not running: try-it shows Rasa's internal error."""
    from studio.tryit.services import conversation_start, conversation_turn

    conversation, _ = conversation_start(user=users["designer"], assistant=demo)
    for text in ("start flow order_drink", "/SetSlots(drink=tea)", "/SetSlots(size=small)"):
        conversation_turn(user=users["designer"], conversation=conversation, text=text)
    turns = services.conversation_turns(user=users["designer"], assistant=demo, conversation_id=conversation.pk)
    text = services.conversation_test_text(assistant=demo, turns=turns, name="no server")
    assert "stub_custom_actions" not in text
    assert "              utter_name: utter_internal_error_rasa\n" in text
    path = services.conversation_test_save(user=users["designer"], assistant=demo, turns=turns, name="no server")
    run = run_now(user=users["viewer"], assistant=demo, path=path)
    assert (run.status, run.passed, run.total) == (RunStatus.PASSED, 1, 1), run.output
