"""Try-it services: starting, talking, state kept in the database, stubbed actions, clear errors."""
import pytest

from studio.core.exceptions import NotFound, ValidationFailed
from studio.tryit import services
from studio.tryit.models import Conversation
from studio.tryit.runtime import TryItUnavailable, built_assistants

pytestmark = pytest.mark.django_db


def test_a_viewer_walks_through_a_flow_and_the_state_survives_reloading(shop, users):
    conversation, _ = services.conversation_start(user=users["viewer"], assistant=shop)
    turn = services.conversation_turn(user=users["viewer"], conversation=conversation, text="start flow buy")
    assert [m["text"] for m in turn["messages"]] == ["Which fruit?"]
    assert turn["messages"][0]["buttons"] == [{"title": "Apple", "payload": "/SetSlots(item=apple)"},
                                              {"title": "Pear", "payload": "/SetSlots(item=pear)"}]
    assert turn["live"]["flow_id"] == "buy" and turn["live"]["step_id"] == "ask_item"
    assert turn["live"]["editor_url"] == f"/assistants/{shop.slug}/flows/buy/edit/#step=ask_item"
    assert [f["flow_id"] for f in turn["stack"]] == ["pattern_collect_information", "buy"]

    built_assistants.clear()  # a fresh worker: nothing but the database remembers the dialogue
    reloaded = Conversation.objects.get(pk=conversation.pk)
    turn = services.conversation_turn(user=users["viewer"], conversation=reloaded, text="/SetSlots(item=pear)")
    assert [m["text"] for m in turn["messages"]] == ["One pear, coming up.", "Is there anything else I can help you with?"]
    # The flow ended, so its collected slot was reset again; the events show both.
    assert [e["value"] for e in turn["events"] if e["event"] == "slot_set" and e["name"] == "item"] == ["pear", None]
    assert "completed:buy" in turn["flows"]


def test_custom_actions_without_an_action_server_are_stubbed_and_the_inspector_says_so(shop, users):
    conversation, _ = services.conversation_start(user=users["owner"], assistant=shop)
    services.conversation_turn(user=users["owner"], conversation=conversation, text="start flow buy")
    turn = services.conversation_turn(user=users["owner"], conversation=conversation, text="/SetSlots(item=apple)")
    assert turn["stubbed"] == ["action_reserve"]
    stub = next(e for e in turn["events"] if e["event"] == "action_stubbed")
    assert stub["name"] == "action_reserve" and "no action_endpoint" in stub["reason"]


def test_a_configured_action_server_that_is_down_gives_way_to_the_demos_mock(demo, users):
    conversation, _ = services.conversation_start(user=users["owner"], assistant=demo)
    for text in ("start flow order_drink", "/SetSlots(drink=latte)"):
        services.conversation_turn(user=users["owner"], conversation=conversation, text=text)
    turn = services.conversation_turn(user=users["owner"], conversation=conversation, text="/SetSlots(size=large)")
    assert not [e for e in turn["events"] if e["event"] == "action_failed"]
    assert turn["stubbed"] == ["action_check_loyalty"]
    assert turn["messages"][0]["text"] == "A large latte. Shall I place the order?"


def test_the_offline_generator_understands_free_text_and_the_inspector_gets_its_report(demo, users):
    conversation, _ = services.conversation_start(user=users["viewer"], assistant=demo)
    turn = services.conversation_turn(user=users["viewer"], conversation=conversation, text="I want a coffee")
    assert turn["understanding"]["generator"] == "offline"
    assert turn["understanding"]["commands"] == ["start flow order_drink"]
    assert turn["commands"] == [{"command": "start_flow", "flow": "order_drink"}]
    assert turn["messages"][0]["text"] == "What would you like to drink?"


def test_a_pinned_version_is_used_even_after_the_content_changes(shop, users, django_capture_on_commit_callbacks):
    from studio.assistants import services as content
    from studio.training.services import version_create

    with django_capture_on_commit_callbacks(execute=True):  # the build task runs inline
        version_create(user=users["owner"], assistant=shop, note="v1")
    content.response_save(user=users["owner"], assistant=shop, name="utter_ask_item", revision=1,
                          variations=[{"text": "Changed after the build?"}])
    conversation, turn = services.conversation_start(user=users["owner"], assistant=shop, version=1)
    assert turn["source"] == "version 1 (pinned)" and conversation.version.number == 1
    turn = services.conversation_turn(user=users["owner"], conversation=conversation, text="start flow buy")
    assert turn["messages"][0]["text"] == "Which fruit?"


def test_by_default_the_current_content_runs_and_edits_show_at_once(shop, users, django_capture_on_commit_callbacks):
    from studio.assistants import services as content
    from studio.training.services import version_create

    with django_capture_on_commit_callbacks(execute=True):  # a ready version does not change the default
        version_create(user=users["owner"], assistant=shop, note="v1")
    conversation, turn = services.conversation_start(user=users["owner"], assistant=shop)
    assert turn["source"] == "current content"
    content.response_save(user=users["owner"], assistant=shop, name="utter_ask_item", revision=1,
                          variations=[{"text": "Pick one"}])
    turn = services.conversation_turn(user=users["owner"], conversation=conversation, text="start flow buy")
    assert turn["messages"][0]["text"] == "Pick one"


def test_a_broken_definition_is_a_clear_error_naming_the_place(shop, users):
    from studio.assistants.models import Flow

    # Written around the services, as an import of a hand-edited project could leave it.
    Flow.objects.filter(assistant=shop, flow_id="buy").update(
        steps=[{"id": "ask_item", "collect": "item", "next": "nowhere"}])
    shop.revision += 1
    shop.save()
    with pytest.raises(TryItUnavailable) as caught:
        services.conversation_start(user=users["owner"], assistant=shop)
    assert "flow 'buy'" in caught.value.message and "nowhere" in caught.value.message


def test_text_is_checked_before_anything_runs(shop, users):
    conversation, _ = services.conversation_start(user=users["owner"], assistant=shop)
    with pytest.raises(ValidationFailed, match=r"^text: must be at most 2000 characters \(got 2001\)$"):
        services.conversation_turn(user=users["owner"], conversation=conversation, text="x" * 2001)
    with pytest.raises(ValidationFailed, match="^text: must be a string$"):
        services.conversation_turn(user=users["owner"], conversation=conversation, text=42)


def test_someone_else_cannot_continue_my_conversation(shop, users):
    conversation, _ = services.conversation_start(user=users["owner"], assistant=shop)
    with pytest.raises(NotFound):
        services.conversation_turn(user=users["viewer"], conversation=conversation, text="hi")
    with pytest.raises(NotFound):
        services.conversation_start(user=users["outsider"], assistant=shop)


def test_reset_replaces_the_conversation_with_a_fresh_one(shop, users):
    conversation, _ = services.conversation_start(user=users["owner"], assistant=shop)
    services.conversation_turn(user=users["owner"], conversation=conversation, text="start flow buy")
    fresh, turn = services.conversation_reset(user=users["owner"], conversation=conversation)
    assert fresh.pk != conversation.pk and turn["stack"] == []
    assert not Conversation.objects.filter(pk=conversation.pk).exists()


def test_when_only_a_pattern_runs_the_live_step_shows_it_without_an_editor_link(shop, users):
    conversation, _ = services.conversation_start(user=users["owner"], assistant=shop)
    services.conversation_turn(user=users["owner"], conversation=conversation, text="start flow buy")
    turn = services.conversation_turn(user=users["owner"], conversation=conversation, text="/SetSlots(item=apple)")
    assert turn["live"]["flow_id"] == "pattern_completed" and turn["live"]["editor_url"] is None
    assert turn["live"]["pattern"] == "pattern_collect_information"
