"""A call step that leaves the flows (a sub-agent, an MCP tool, an unknown target) is explained in
plain words in the chat when try-it reaches it, instead of failing silently."""
import re

import pytest

from studio.assistants import services
from studio.exchange.models import SourceFile
from studio.tryit.presenters import external_call_notes

pytestmark = pytest.mark.django_db

AGENT = b"agent:\n  name: stock_explorer\n  description: answers questions about stocks\n"


@pytest.fixture
def explorer(shop, users):
    services.flow_create(user=users["owner"], assistant=shop, flow_id="explore", data={
        "description": "hand over to the stock explorer", "steps": [{"call": "stock_explorer"}]})
    return shop


def _chat_notes(html: str) -> list[str]:
    return re.findall(r'<li class="bubble note" role="status">(.*?)</li>', html)


def test_reaching_a_sub_agent_call_explains_that_try_it_cannot_run_it(explorer, client_for):
    SourceFile.objects.create(assistant=explorer, path="sub_agents/explorer/config.yml", kind="other", content=AGENT)
    html = client_for("viewer").post(f"/assistants/{explorer.slug}/try/", {"text": "start flow explore"}).content.decode()
    assert _chat_notes(html) == [
        "Step &#x27;explore_0_call_stock_explorer&#x27; of flow &#x27;explore&#x27; calls the sub-agent "
        "&#x27;stock_explorer&#x27;, which try-it cannot run. The conversation goes on as Rasa&#x27;s does when an "
        "agent fails: the flow is cancelled and the error message is sent."]


def test_reaching_a_call_to_an_unknown_target_says_it_is_neither_a_flow_nor_an_agent(explorer, client_for):
    html = client_for("viewer").post(f"/assistants/{explorer.slug}/try/", {"text": "start flow explore"}).content.decode()
    assert _chat_notes(html) == [
        "Step &#x27;explore_0_call_stock_explorer&#x27; of flow &#x27;explore&#x27; calls &#x27;stock_explorer&#x27;, "
        "which is not a flow of this assistant, nor a sub-agent or MCP tool of the project. The call fails, as it "
        "would in Rasa."]


def test_an_mcp_tool_call_gets_its_own_explanation():
    event = {"event": "external_call_skipped", "type": "mcp_tool", "name": "place_buy_order", "flow_id": "buy",
             "step_id": "buy_1_call_place_buy_order", "message": "..."}
    assert external_call_notes([{"event": "bot"}, event]) == [
        "Step 'buy_1_call_place_buy_order' of flow 'buy' calls the MCP tool 'place_buy_order', which try-it does not "
        "call. The conversation goes on as Rasa's does when a tool call fails: the error message is sent, then the "
        "flow continues."]
