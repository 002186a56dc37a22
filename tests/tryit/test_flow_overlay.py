"""The path a conversation took, drawn on the inspector's read-only flow; events that name a step link to it."""
import html as htmllib
import json
import re

import pytest

from studio.tryit import services
from studio.tryit.models import Conversation
from studio.tryit.overlay import path_taken

pytestmark = pytest.mark.django_db


def chat(user, assistant, *texts) -> Conversation:
    conversation, _ = services.conversation_start(user=user, assistant=assistant)
    for text in texts:
        services.conversation_turn(user=user, conversation=conversation, text=text)
    return conversation


def overlay_of(page: str) -> dict | None:
    found = re.search(r'data-overlay="([^"]*)"', page)
    return json.loads(htmllib.unescape(found.group(1))) if found else None


def frame_src(page: str) -> str:
    return htmllib.unescape(re.search(r'<iframe class="live-flow" src="([^"]*)"', page).group(1))


def test_the_inspector_frame_shows_the_path_taken_so_far_with_the_current_step_selected(demo, users, client_for):
    conversation = chat(users["viewer"], demo, "I want a coffee", "/SetSlots(drink=latte)")
    client = client_for("viewer")
    page = client.get(f"/assistants/{demo.slug}/try/c/{conversation.pk}/").content.decode()
    src = frame_src(page)
    assert src == (f"/assistants/{demo.slug}/try/flow/order_drink/?conversation={conversation.pk}&turn=2"
                   "#step=order_drink_1_collect_size")
    overlay = overlay_of(client.get(src.split("#")[0]).content.decode())
    assert overlay == {"kind": "path", "visited": ["START", "order_drink_0_collect_drink", "order_drink_1_collect_size"],
                       "unreached": []}


def test_an_earlier_turn_shows_the_path_only_up_to_that_turn(demo, users, client_for):
    conversation = chat(users["viewer"], demo, "I want a coffee", "/SetSlots(drink=latte)")
    page = client_for("viewer").get(f"/assistants/{demo.slug}/try/flow/order_drink/?conversation={conversation.pk}&turn=1")
    assert overlay_of(page.content.decode())["visited"] == ["START", "order_drink_0_collect_drink"]


def test_without_a_conversation_the_frame_draws_no_path(demo, client_for):
    page = client_for("viewer").get(f"/assistants/{demo.slug}/try/flow/order_drink/").content.decode()
    assert overlay_of(page) is None and "data-overlay" not in page


def test_someone_elses_conversation_or_a_bad_turn_is_refused(demo, users, client_for):
    conversation = chat(users["viewer"], demo, "I want a coffee")
    url = f"/assistants/{demo.slug}/try/flow/order_drink/?conversation={conversation.pk}"
    assert client_for("designer").get(url + "&turn=1").status_code == 404  # not theirs, not an owner
    assert overlay_of(client_for("owner").get(url + "&turn=1").content.decode())["visited"][0] == "START"
    response = client_for("viewer").get(url + "&turn=last")
    assert response.status_code == 422 and "turn: must be a turn number (got &#x27;last&#x27;)" in response.content.decode()
    assert client_for("outsider").get(url + "&turn=1").status_code == 404


def test_a_new_start_of_the_flow_begins_a_new_path_and_rests_are_not_repeated():
    turns = [
        {"events": [{"event": "flow_started", "flow_id": "buy"}], "stack": [{"flow_id": "buy", "step_id": "ask"}]},
        {"events": [], "stack": [{"flow_id": "pattern_x", "step_id": "p"}, {"flow_id": "buy", "step_id": "ask"}]},
        {"events": [], "stack": [{"flow_id": "buy", "step_id": "confirm"}]},
        {"events": [{"event": "flow_completed", "flow_id": "buy"}], "stack": []},
        {"events": [{"event": "flow_started", "flow_id": "buy"}], "stack": [{"flow_id": "buy", "step_id": "ask"}]},
    ]
    assert path_taken(turns[:4], "buy") == ["START", "ask", "confirm"]
    assert path_taken(turns, "buy") == ["START", "ask"]
    assert path_taken(turns, "other") == []


def test_an_event_naming_a_step_links_to_it_in_the_editor(demo, users, client_for):
    from studio.tryit.presenters import event_rows

    turn = {"events": [
        {"event": "external_call_skipped", "type": "mcp_tool", "name": "lookup", "flow_id": "order_drink",
         "step_id": "order_drink_2_call_check_loyalty", "message": "m"},
        {"event": "external_call_skipped", "type": "mcp_tool", "name": "x", "flow_id": "pattern_chitchat",
         "step_id": "s", "message": "m"},
        {"event": "flow_started", "flow_id": "order_drink"}], "stack": []}
    rows = event_rows(turn, demo)
    assert [r["editor_url"] for r in rows] == [
        f"/assistants/{demo.slug}/flows/order_drink/edit/#step=order_drink_2_call_check_loyalty", None, None]


def test_the_inspectors_event_list_renders_step_links(demo, users, client_for):
    from django.template.loader import render_to_string

    from studio.tryit.presenters import page_context

    turn = {"index": 1, "kind": "message", "user": "hi", "events": [
        {"event": "external_call_skipped", "type": "mcp_tool", "name": "lookup", "flow_id": "order_drink",
         "step_id": "order_drink_2_call_check_loyalty", "message": "m"}], "stack": []}
    html = render_to_string("tryit/page.html#turn_detail", page_context(demo, None, [turn], turn, None))
    assert (f'<a href="/assistants/{demo.slug}/flows/order_drink/edit/#step=order_drink_2_call_check_loyalty" '
            'target="_blank" rel="noopener" title="Select this step in the flow editor">external call skipped') in html
