"""Kept conversations on the pages: resume after a reload, the list per assistant (per role), rename,
delete, the timeline inspector (htmx partial with an href fallback), slots by hand, replay from a turn."""
import re

import pytest

from studio.tryit import services
from studio.tryit.models import Conversation, ConversationTurn

pytestmark = pytest.mark.django_db


def try_url(assistant) -> str:
    return f"/assistants/{assistant.slug}/try/"


def page_url(conversation) -> str:
    return f"/assistants/{conversation.assistant.slug}/try/c/{conversation.pk}/"


def chat(user, assistant, *texts):
    conversation, _ = services.conversation_start(user=user, assistant=assistant)
    for text in texts:
        services.conversation_turn(user=user, conversation=conversation, text=text)
    conversation.refresh_from_db()
    return conversation


def timeline(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<span class="tl-index">(\d+)</span> <span class="tl-text">([^<]*)</span>', html)


def test_a_reload_of_the_try_it_page_resumes_the_latest_conversation(shop, users, client_for):
    chat(users["viewer"], shop, "start flow buy")
    latest = chat(users["viewer"], shop, "start flow buy", "/SetSlots(item=pear)")
    response = client_for("viewer").get(try_url(shop))
    assert response.status_code == 302 and response["Location"] == page_url(latest)
    html = client_for("viewer").get(page_url(latest)).content.decode()
    # The payload of a button the bot offered shows as that button's title (the payload on hover).
    assert re.findall(r'<li class="bubble (\w+)"[^>]*>([^<]*)</li>', html) == [
        ("user", "start flow buy"), ("bot", "Which fruit?"), ("user", "Pear"),
        ("bot", "One pear, coming up."), ("bot", "Is there anything else I can help you with?")]
    assert '<li class="bubble user" title="/SetSlots(item=pear)">Pear</li>' in html
    assert f'<input type="hidden" name="conversation" value="{latest.pk}">' in html


def test_someone_elses_conversation_is_not_found_for_a_writer_and_read_only_for_an_owner(shop, users, client_for):
    conversation = chat(users["viewer"], shop, "start flow buy")
    assert client_for("writer").get(page_url(conversation)).status_code == 404
    html = client_for("owner").get(page_url(conversation)).content.decode()
    assert "This is viewer’s conversation: you can look and replay it from any turn as your own" in html
    assert 'id="chat-form"' not in html and "Replay from here" in html


def test_the_timeline_lists_every_turn_and_the_inspector_shows_the_last(shop, users, client_for):
    conversation = chat(users["viewer"], shop, "start flow buy", "/SetSlots(item=pear)")
    html = client_for("viewer").get(page_url(conversation)).content.decode()
    assert timeline(html) == [("0", "session started"), ("1", "start flow buy"), ("2", "/SetSlots(item=pear)")]
    assert "<h3>Turn 2 " in html
    assert '<a href="?turn=1#inspector" hx-get="' + page_url(conversation) + '?turn=1" hx-target="#turn-detail"' in html


def test_clicking_a_turn_shows_its_commands_stack_slots_and_readable_events(shop, users, client_for):
    conversation = chat(users["viewer"], shop, "start flow buy", "/SetSlots(item=pear)")
    html = client_for("viewer").get(page_url(conversation) + "?turn=2").content.decode()
    assert "<h3>Turn 2 " in html and "<html" in html  # the href fallback: the whole page, turn 2 selected
    partial = client_for("viewer").get(page_url(conversation) + "?turn=1", HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div class="turn-detail" id="turn-detail">') and "<html" not in partial
    assert "<h3>Turn 1 " in partial
    events = re.findall(r'<li class="ev ev-\w+">([^<]*)</li>', partial)
    assert re.fullmatch(r"understood by the scripted generator in \d+\.\d ms", events.pop(1))
    assert events == ["user said &quot;start flow buy&quot;", "commands: start_flow flow=buy", "flow buy started",
                      "action action_run_slot_rejections ran", "bot said &quot;Which fruit?&quot; (utter_ask_item)",
                      "stack: buy"]
    assert re.findall(r"<li[^>]*><code>(\w+)</code>", re.search(r'<ol class="insp-list stack">(.*?)</ol>', partial,
                                                               re.S).group(1)) == ["pattern_collect_information", "buy"]
    assert (f'<a href="/assistants/{shop.slug}/flows/buy/edit/#step=ask_item" target="_blank" rel="noopener" '
            'title="Select this step in the flow editor"><code class="muted">ask_item</code></a>') in partial
    turn2 = client_for("viewer").get(page_url(conversation) + "?turn=2", HTTP_HX_REQUEST="true").content.decode()
    assert "<li class=\"ev ev-slot_set\">slot item = pear</li>" in turn2
    assert "<li class=\"ev ev-action_stubbed\">action action_reserve stubbed (no action server)</li>" in turn2
    # The completion names the step the flow ended on, so it links to that step in the editor.
    assert re.search(r'<li class="ev ev-flow_completed"><a href="/assistants/[^"]+/flows/buy/edit/#step=buy_2_utter_bought"'
                     r'[^>]*>flow buy completed</a></li>', turn2)


def test_a_turn_that_does_not_exist_is_a_404(shop, users, client_for):
    conversation = chat(users["viewer"], shop)
    response = client_for("viewer").get(page_url(conversation) + "?turn=9")
    assert response.status_code == 404 and "Turn &#x27;9&#x27; not found in this conversation" in response.content.decode()


def test_internal_slots_are_folded_away_and_the_assistants_own_are_shown(demo, users, client_for):
    conversation = chat(users["viewer"], demo, "I want a coffee")
    html = client_for("viewer").get(page_url(conversation)).content.decode()
    slots = re.search(r'data-part="slots">(.*?)</div>', html, re.S).group(1)
    own, internal = slots.split('<details class="internal-slots">')
    assert re.findall(r"<code>(\w+)</code>", own) == ["confirm_order", "drink", "feedback", "free_upgrade",
                                                      "loyalty_points", "size"]
    # Rasa's built-in `language` slot (the demo's config says `language: en`) is one of them.
    assert "<summary>7 internal slots</summary>" in internal
    assert "<code>max_clarification_options</code>" in internal and "<code>language</code>" in internal
    assert "dialogue_stack" not in html


def test_each_turn_shows_its_latency_split_colour_coded(shop, users, client_for):
    conversation = chat(users["viewer"], shop, "start flow buy")
    html = client_for("viewer").get(page_url(conversation)).content.decode()
    parts = re.findall(r'<span class="lat lat-(fast|ok|slow)" title="(\w+)">\w+ [\d.]+ ms</span>', html)
    assert [part for _, part in parts] == ["understanding", "execution", "actions", "total"]


def test_the_list_page_shows_who_when_flows_outcome_and_turns(shop, users, client_for):
    conversation = chat(users["viewer"], shop, "start flow buy", "/SetSlots(item=pear)")
    html = client_for("viewer").get(f"/assistants/{shop.slug}/try/conversations/").content.decode()
    row = re.search(rf'<tr data-conversation="{conversation.pk}">(.*?)</tr>', html, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)][:6]
    assert cells[0] == f"Conversation {conversation.pk}" and cells[1] == "viewer"
    assert cells[3:] == ["buy", "completed", "3"]
    assert f'href="{page_url(conversation)}"' in row


@pytest.mark.parametrize(("role", "sees"), [("owner", {"viewer", "writer"}), ("designer", set()),
                                            ("writer", {"writer"}), ("viewer", {"viewer"})])
def test_everyone_lists_their_own_conversations_and_owners_list_everyones(shop, users, client_for, role, sees):
    chat(users["viewer"], shop)
    chat(users["writer"], shop)
    html = client_for(role).get(f"/assistants/{shop.slug}/try/conversations/").content.decode()
    rows = re.findall(r'<tr data-conversation="\d+">\s*<td>.*?</td>\s*<td>(\w+)</td>', html, re.S)
    assert set(rows) == sees
    if not sees:
        assert "No conversations yet." in html


def test_the_outsider_cannot_see_the_list(shop, client_for):
    assert client_for("outsider").get(f"/assistants/{shop.slug}/try/conversations/").status_code == 404


def test_renaming_and_deleting_through_the_pages(shop, users, client_for):
    conversation = chat(users["viewer"], shop)
    client = client_for("viewer")
    response = client.post(page_url(conversation) + "rename/", {"title": "Pear order"})
    assert response.status_code == 302 and response["Location"] == page_url(conversation)
    assert "Pear order" in client.get(f"/assistants/{shop.slug}/try/conversations/").content.decode()
    response = client.post(page_url(conversation) + "rename/", {"title": "x" * 201})
    assert response.status_code == 422
    assert "title: must be at most 200 characters (got 201)" in response.content.decode()
    assert client_for("writer").post(page_url(conversation) + "delete/").status_code == 404
    response = client.post(page_url(conversation) + "delete/")
    assert response["Location"] == f"/assistants/{shop.slug}/try/conversations/"
    assert not Conversation.objects.exists()


def test_an_owner_deletes_someone_elses_conversation_from_the_list(shop, users, client_for):
    conversation = chat(users["viewer"], shop)
    assert client_for("owner").post(page_url(conversation) + "delete/").status_code == 302
    assert not Conversation.objects.exists()


def test_setting_a_slot_by_hand_without_javascript(shop, users, client_for):
    conversation = chat(users["viewer"], shop, "start flow buy")
    html = client_for("viewer").post(page_url(conversation), {"type": "slots", "slot": "item", "value": "Pear"}).content.decode()
    assert '<li class="bubble note" role="status">Set item = pear</li>' in html
    assert timeline(html)[-1] == ("2", "set item = pear")
    assert '<tr class="changed"><td><code>item</code></td><td>&quot;pear&quot;</td></tr>' in html
    response = client_for("viewer").post(page_url(conversation), {"type": "slots", "slot": "item", "value": "kiwi"})
    assert response.status_code == 422
    assert "slots.item: must be one of apple, pear (got &#x27;kiwi&#x27;)" in response.content.decode()


def test_starting_a_new_conversation_with_preset_slots_keeps_the_old_one(shop, users, client_for):
    old = chat(users["viewer"], shop, "start flow buy")
    html = client_for("viewer").post(page_url(old), {"action": "new", "slot__item": "apple"}).content.decode()
    new = Conversation.objects.exclude(pk=old.pk).get()
    assert timeline(html) == [("0", "session started"), ("1", "set item = apple")]
    assert f'data-conversation="{new.pk}"' in html and Conversation.objects.filter(pk=old.pk).exists()


def test_replay_from_here_forks_the_conversation_and_opens_the_copy(shop, users, client_for):
    conversation = chat(users["viewer"], shop, "start flow buy", "/SetSlots(item=pear)")
    html = client_for("viewer").get(page_url(conversation) + "?turn=1").content.decode()
    assert (f'<form method="post" action="{page_url(conversation)}fork/">' in html
            and '<input type="hidden" name="turn" value="1">' in html)
    response = client_for("viewer").post(page_url(conversation) + "fork/", {"turn": "1"})
    fork = Conversation.objects.exclude(pk=conversation.pk).get()
    assert response.status_code == 302 and response["Location"] == page_url(fork)
    html = client_for("viewer").post(page_url(fork), {"text": "/SetSlots(item=apple)"}).content.decode()
    assert timeline(html) == [("0", "session started"), ("1", "start flow buy"), ("2", "/SetSlots(item=apple)")]
    assert "One apple, coming up." in html and ConversationTurn.objects.filter(conversation=conversation).count() == 3


def test_replaying_from_a_missing_turn_is_a_clear_error(shop, users, client_for):
    conversation = chat(users["viewer"], shop)
    response = client_for("viewer").post(page_url(conversation) + "fork/", {"turn": "5"})
    assert response.status_code == 422 and "turn: this conversation has no turn 5" in response.content.decode()


@pytest.mark.parametrize("role", ("owner", "viewer"))
def test_the_live_flow_is_drawn_read_only_by_the_editor_in_a_frame_of_the_inspector(shop, users, client_for, role):
    conversation = chat(users[role], shop, "start flow buy")
    html = client_for(role).get(page_url(conversation)).content.decode()
    assert (f'<iframe class="live-flow" src="/assistants/{shop.slug}/try/flow/buy/?conversation={conversation.pk}&amp;turn=1#step=ask_item" '
            'title="Flow buy, step ask_item marked" loading="lazy"></iframe>') in html
    response = client_for(role).get(f"/assistants/{shop.slug}/try/flow/buy/")
    page = response.content.decode()
    assert 'data-read-only="true"' in page and 'data-flow-id="buy"' in page  # an owner edits in the editor, not here
    assert f'data-flow-url-template="/assistants/{shop.slug}/try/flow/__FLOW__/"' in page
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_the_flow_frame_is_for_members_only_and_for_stored_flows(shop, users, client_for):
    assert client_for("outsider").get(f"/assistants/{shop.slug}/try/flow/buy/").status_code == 404
    assert client_for("viewer").get(f"/assistants/{shop.slug}/try/flow/pattern_completed/").status_code == 404
    conversation = chat(users["viewer"], shop, "start flow buy", "/SetSlots(item=pear)")
    html = client_for("viewer").get(page_url(conversation)).content.decode()
    assert "pattern_completed" in html and '<iframe class="live-flow"' not in html  # a default pattern: no frame
