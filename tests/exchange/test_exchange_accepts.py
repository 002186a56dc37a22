"""Projects Rasa Pro 3.21 accepts import: built-in slots in patterns, calls to sub-agents and MCP
tools, classic projects without flows, and every response name Rasa allows."""

import textwrap

import pytest

from studio.assistants.models import Flow, Response, Slot
from studio.exchange.models import SourceFile
from studio.exchange.services import ImportRefused, assistant_export, assistant_import
from studio.exchange.yamlproject import files_from_mapping, read_directory

from exchange_projects import FIXTURES

pytestmark = pytest.mark.django_db

CONFIG = "recipe: default.v1\nlanguage: en\nassistant_id: accepts\n"
DOMAIN = """\
version: "3.1"
slots:
  ticker:
    type: text
  order_status:
    type: text
responses:
  utter_ask_ticker:
    - text: Which stock?
  utter_ask_still_there:
    - text: Are you still there?
  utter_done:
    - text: "Order status: {order_status}"
"""

# Rasa's finance template persists a default pattern slot in its own pattern_user_silence.
SILENCE = """\
flows:
  pattern_user_silence:
    description: Reacting to user silence in voice bots
    persisted_slots:
      - consecutive_silence_timeouts
    steps:
      - noop: true
        next:
          - if: "slots.consecutive_silence_timeouts = 0.0"
            then: set_once
          - else: END
      - id: set_once
        set_slots:
          - consecutive_silence_timeouts: 1.0
      - action: utter_ask_still_there
        next: END
"""

CALLS = """\
flows:
  buy_stock:
    description: buy a stock through an MCP tool
    steps:
      - collect: ticker
      - call: place_buy_order
        mcp_server: trade_server
        mapping:
          input:
            - param: ticker_symbol
              slot: ticker
          output:
            - slot: order_status
              value: result.structuredContent.status
      - action: utter_done
  explore:
    description: hand over to the stock explorer agent
    steps:
      - call: stock_explorer
"""

ENDPOINTS = "mcp_servers:\n  - name: trade_server\n    url: http://localhost:8080\n    type: http\n"
AGENT = "agent:\n  name: stock_explorer\n  description: answers questions about stocks\n"


def _files(extra: dict[str, str]):
    raw = {"config.yml": CONFIG, "domain.yml": DOMAIN, **extra}
    return files_from_mapping({path: textwrap.dedent(text).encode() for path, text in raw.items()})


def test_a_pattern_persisting_a_built_in_slot_imports_without_warnings(users):
    result = assistant_import(user=users["owner"], source=_files({
        "data/flows.yml": CALLS.split("  explore:")[0], "endpoints.yml": ENDPOINTS,
        "data/system/patterns/pattern_user_silence.yml": SILENCE}))
    assert [str(w) for w in result.warnings] == []
    pattern = Flow.objects.get(assistant=result.assistant, flow_id="pattern_user_silence")
    assert pattern.to_rasa()["persisted_slots"] == ["consecutive_silence_timeouts"]


def test_calls_to_a_sub_agent_and_an_mcp_tool_import_and_the_agent_config_is_kept(users):
    files = _files({"data/flows.yml": CALLS, "endpoints.yml": ENDPOINTS, "sub_agents/explorer/config.yml": AGENT})
    result = assistant_import(user=users["owner"], source=files)
    assert [str(w) for w in result.warnings] == []
    kept = SourceFile.objects.get(assistant=result.assistant, path="sub_agents/explorer/config.yml")
    assert bytes(kept.content) == AGENT.encode()
    assert assistant_export(user=users["owner"], assistant=result.assistant) == files.raw_by_path()


def test_a_classic_project_without_flows_imports_and_exports_byte_identical(users):
    files = read_directory(FIXTURES / "classic_nlu")
    result = assistant_import(user=users["owner"], source=files)
    assert [str(w) for w in result.warnings] == []
    assert result.counts == {"flows": 0, "slots": 1, "responses": 5, "actions": 0}
    assert not Flow.objects.filter(assistant=result.assistant).exists()
    assert Slot.objects.filter(assistant=result.assistant, name="name").exists()
    assert Response.objects.filter(assistant=result.assistant, name="utter_faq/ask_price").exists()
    assert {f.path for f in SourceFile.objects.filter(assistant=result.assistant)} >= {
        "data/nlu.yml", "data/stories.yml", "data/rules.yml"}
    assert assistant_export(user=users["owner"], assistant=result.assistant) == files.raw_by_path()


def test_the_overview_shows_a_classic_projects_training_data_read_only(users, client):
    result = assistant_import(user=users["owner"], source=FIXTURES / "classic_nlu")
    client.force_login(users["owner"])
    html = client.get(f"/assistants/{result.assistant.slug}/").content.decode()
    assert "This project works from the training data below (NLU, stories, rules)." in html
    section = html.split('<section class="card" id="training-data">')[1].split("</section>")[0]
    assert [p for p in ("data/nlu.yml", "data/rules.yml", "data/stories.yml") if f'data-path="{p}"' in section] == [
        "data/nlu.yml", "data/rules.yml", "data/stories.yml"]
    assert "- my name is [Ana](name)" in section
    assert "<textarea" not in section and "<form" not in section


def test_a_call_to_an_unknown_target_without_sub_agents_imports_with_rasas_warning(users):
    result = assistant_import(user=users["owner"], source=_files({"data/flows.yml": CALLS, "endpoints.yml": ENDPOINTS}))
    assert [str(w) for w in result.warnings] == [
        "data/flows.yml:19, flow 'explore', step 'explore_0_call_stock_explorer': call target 'stock_explorer' is "
        "not a flow: Rasa only warns, because it might be a sub-agent or an MCP tool; the call fails when a "
        "conversation reaches it"]


def test_a_sub_agent_folder_without_its_config_is_refused_as_rasa_does(users):
    files = _files({"data/flows.yml": CALLS, "endpoints.yml": ENDPOINTS, "sub_agents/explorer/prompt.md": "hi"})
    with pytest.raises(ImportRefused) as err:
        assistant_import(user=users["owner"], source=files)
    assert [str(p) for p in err.value.project_problems] == [
        "sub_agents/explorer: each sub-agent needs its own folder with a config.yml (sub_agents/<agent>/config.yml)"]


def test_a_domain_folder_beside_domain_yml_is_ignored_as_rasa_does_and_kept_byte_identical(users):
    folder_slot = "version: '3.1'\nslots:\n  only_in_folder:\n    type: text\n"
    files = _files({"data/flows.yml": CALLS.split("  explore:")[0], "endpoints.yml": ENDPOINTS,
                    "domain/extra.yml": folder_slot})
    result = assistant_import(user=users["owner"], source=files)
    assert [str(w) for w in result.warnings] == [
        "domain/extra.yml: Rasa reads only domain.yml when it exists, so the 1 file(s) under domain/ are ignored; "
        "they are kept as they are"]
    assert not Slot.objects.filter(assistant=result.assistant, name="only_in_folder").exists()
    assert assistant_export(user=users["owner"], assistant=result.assistant) == files.raw_by_path()
