"""`call` steps to Rasa sub-agents and MCP tools: they load, and at run time they end in an
inspector event that says what was not executed (the flow goes on as Rasa's failure paths do:
rasa/core/policies/flows/mcp_tool_executor.py and agent_executor.py in rasa-pro 3.21)."""

import textwrap

import pytest

from engine import Conversation, DefinitionError, load_project

DOMAIN = """
slots:
  ticker: {type: text}
  order_status: {type: text}
responses:
  utter_ask_ticker: [{text: "Which stock?"}]
  utter_done: [{text: "Order status: {order_status}"}]
  utter_bye: [{text: "Bye"}]
"""

FLOWS = """
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
      - action: utter_bye
"""

ENDPOINTS = """
mcp_servers:
  - name: trade_server
    url: http://localhost:8080
    type: http
"""

AGENT = """
agent:
  name: stock_explorer
  description: answers questions about stocks
"""


def write_project(root, *, flows=FLOWS, endpoints=ENDPOINTS, agents=None):
    files = {"config.yml": "pipeline:\n  - name: CompactLLMCommandGenerator\npolicies:\n  - name: FlowPolicy\n",
             "domain.yml": DOMAIN, "data/flows.yml": flows, "endpoints.yml": endpoints}
    for folder, text in (agents if agents is not None else {"explorer": AGENT}).items():
        files[f"sub_agents/{folder}/config.yml"] = text
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def chat(tmp_path):
    conversation = Conversation(load_project(write_project(tmp_path)))
    conversation.start_session()
    return conversation


def test_a_project_calling_a_sub_agent_and_an_mcp_tool_loads(tmp_path):
    assistant = load_project(write_project(tmp_path))
    assert assistant.problems == ()
    assert set(assistant.agents) == {"stock_explorer"}


def test_an_mcp_tool_call_tells_the_inspector_it_was_not_executed_and_the_flow_goes_on(tmp_path):
    conversation = chat(tmp_path)
    conversation.handle("start flow buy_stock")
    turn = conversation.handle("set slot ticker ACME")
    assert [m["text"] for m in turn.messages] == [
        "Sorry, I am having trouble with that. Please try again in a few minutes.", "Order status: None",
        "Is there anything else I can help you with?"]
    skipped = [e for e in turn.events if e["event"] == "external_call_skipped"]
    assert skipped == [{"event": "external_call_skipped", "type": "mcp_tool", "name": "place_buy_order",
                        "flow_id": "buy_stock", "step_id": "buy_stock_1_call_place_buy_order",
                        "message": "MCP tool 'place_buy_order' on server 'trade_server' was not executed: "
                                   "this engine does not call MCP servers"}]
    assert turn.error is None


def test_a_sub_agent_call_cancels_its_flow_after_saying_it_was_not_executed(tmp_path):
    conversation = chat(tmp_path)
    turn = conversation.handle("start flow explore")
    assert [m["text"] for m in turn.messages] == [
        "Sorry, I am having trouble with that. Please try again in a few minutes.",
        "Is there anything else I can help you with?"]
    assert turn.flows == ["started:explore", "cancelled:explore", "started:pattern_internal_error",
                          "completed:pattern_internal_error", "completed:explore", "started:pattern_completed"]
    skipped = [e for e in turn.events if e["event"] == "external_call_skipped"]
    assert skipped[0]["message"] == "sub-agent 'stock_explorer' was not executed: this engine does not run sub-agents"


def test_an_mcp_call_to_a_server_missing_from_endpoints_is_refused(tmp_path):
    with pytest.raises(DefinitionError) as err:
        load_project(write_project(tmp_path, endpoints="{}\n"))
    assert ("data/flows.yml:3, flow 'buy_stock', step 'buy_stock_1_call_place_buy_order': the MCP tool call uses "
            "mcp_server 'trade_server', which endpoints.yml does not define under mcp_servers") in str(err.value)


def test_an_mcp_call_without_a_mapping_is_refused(tmp_path):
    flows = FLOWS.replace("""        mapping:
          input:
            - param: ticker_symbol
              slot: ticker
          output:
            - slot: order_status
              value: result.structuredContent.status
""", "")
    with pytest.raises(DefinitionError) as err:
        load_project(write_project(tmp_path, flows=flows))
    assert "an MCP tool call needs both 'mcp_server' and 'mapping'" in str(err.value)


def test_an_mcp_mapping_naming_an_unknown_slot_is_refused(tmp_path):
    with pytest.raises(DefinitionError) as err:
        load_project(write_project(tmp_path, flows=FLOWS.replace("slot: order_status", "slot: status")))
    assert "the MCP tool output mapping uses slot 'status', which is not defined in the domain" in str(err.value)


def test_a_sub_agent_folder_without_config_is_a_problem_that_names_the_folder(tmp_path):
    write_project(tmp_path)
    (tmp_path / "sub_agents" / "broken").mkdir()
    with pytest.raises(DefinitionError) as err:
        load_project(tmp_path)
    assert ("sub_agents/broken: each sub-agent needs its own folder with a config.yml "
            "(sub_agents/<agent>/config.yml)") in str(err.value)


def test_a_sub_agent_config_without_a_description_is_a_problem(tmp_path):
    with pytest.raises(DefinitionError) as err:
        load_project(write_project(tmp_path, agents={"explorer": "agent:\n  name: stock_explorer\n"}))
    assert "sub_agents/explorer/config.yml: the sub-agent config needs agent.description" in str(err.value)


def test_without_sub_agents_a_call_to_an_unknown_target_only_warns_as_rasa_does(tmp_path):
    assistant = load_project(write_project(tmp_path, agents={}))
    assert assistant.problems == ()
    assert [str(w) for w in assistant.warnings] == [
        "data/flows.yml:17, flow 'explore', step 'explore_0_call_stock_explorer': call target 'stock_explorer' "
        "is not a flow: Rasa only warns, because it might be a sub-agent or an MCP tool; the call fails when a "
        "conversation reaches it"]


def test_with_sub_agents_configured_a_call_to_an_unknown_target_is_refused(tmp_path):
    with pytest.raises(DefinitionError) as err:
        load_project(write_project(tmp_path, flows=FLOWS.replace("call: stock_explorer", "call: stock_explorr")))
    assert "call to a flow or sub-agent that does not exist: 'stock_explorr'" in str(err.value)


def test_reaching_an_unresolved_call_target_says_so_and_cancels_the_flow(tmp_path):
    conversation = Conversation(load_project(write_project(tmp_path, agents={})))
    conversation.start_session()
    turn = conversation.handle("start flow explore")
    assert [m["text"] for m in turn.messages][0] == (
        "Sorry, I am having trouble with that. Please try again in a few minutes.")
    skipped = [e for e in turn.events if e["event"] == "external_call_skipped"]
    assert skipped[0]["type"] == "unresolved"
    assert skipped[0]["message"] == ("'stock_explorer' was not called: it is not a flow of this assistant, and the "
                                     "project configures no sub-agent or MCP tool of that name")
    assert turn.error is None


def test_exit_if_may_name_an_unknown_target_when_no_sub_agent_is_configured(tmp_path):
    flows = FLOWS.replace("      - call: stock_explorer\n",
                          "      - call: stock_explorer\n        exit_if:\n          - slots.ticker is not null\n")
    assert load_project(write_project(tmp_path, flows=flows, agents={})).problems == ()


def test_a_call_without_a_target_is_refused(tmp_path):
    with pytest.raises(DefinitionError) as err:
        load_project(write_project(tmp_path, flows=FLOWS.replace("call: stock_explorer", "call: ''")))
    assert "a call step needs a target: a flow, a sub-agent or an MCP tool" in str(err.value)
