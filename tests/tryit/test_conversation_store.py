"""Stored turns: every turn is kept with what the inspector showed, the state after it, its latency split,
and the conversation's flows touched and outcome; slots can be set by hand or preset at the start."""
import pytest

from studio.core.exceptions import NotFound, ValidationFailed
from studio.tryit import selectors, services
from studio.tryit.models import Conversation, ConversationTurn
from studio.tryit.runtime import built_assistants

pytestmark = pytest.mark.django_db


def chat(user, assistant, *texts):
    conversation, _ = services.conversation_start(user=user, assistant=assistant)
    turns = [services.conversation_turn(user=user, conversation=conversation, text=t) for t in texts]
    conversation.refresh_from_db()
    return conversation, turns


def test_every_turn_is_stored_with_what_the_inspector_showed_and_the_state_after_it(shop, users):
    conversation, _ = chat(users["viewer"], shop, "start flow buy")
    stored = list(ConversationTurn.objects.filter(conversation=conversation))
    assert [(t.index, t.kind, t.user_text) for t in stored] == [(0, "start", ""), (1, "message", "start flow buy")]
    turn = stored[1].data
    assert turn["messages"][0]["text"] == "Which fruit?"
    assert [f["flow_id"] for f in turn["stack"]] == ["pattern_collect_information", "buy"]
    assert turn["commands"] == [{"command": "start_flow", "flow": "buy"}]
    assert {"event": "flow_started", "flow_id": "buy"} in turn["events"]
    assert turn["live"]["step_id"] == "ask_item" and turn["understanding"]["raw_output"] == "start flow buy"
    assert stored[1].state == conversation.state  # the latest turn's state is the conversation's
    assert (conversation.turn_count, conversation.flows, conversation.outcome) == (2, ["buy"], "in_progress")


def test_a_turn_has_its_latency_split_into_understanding_execution_actions_and_total(shop, users):
    _, turns = chat(users["viewer"], shop, "start flow buy")
    latency = turns[0]["latency"]
    assert set(latency) == {"understanding_ms", "execution_ms", "actions_ms", "total_ms"}
    assert all(value >= 0 for value in latency.values())
    # The parts are measured inside the total (rounding to 0.1 ms aside).
    assert latency["understanding_ms"] + latency["actions_ms"] + latency["execution_ms"] <= latency["total_ms"] + 0.3
    assert ConversationTurn.objects.get(index=1).latency_ms == latency["total_ms"]


@pytest.mark.parametrize(("texts", "outcome"), [
    (["start flow buy"], "in_progress"),
    (["start flow buy", "/SetSlots(item=pear)"], "completed"),
    (["start flow buy", "cancel flow"], "cancelled"),
    (["start flow buy", "start flow agent"], "handed_off"),
    (["start flow buy", "start flow agent", "start flow buy"], "handed_off"),
])
def test_the_outcome_is_read_from_the_events(shop, users, texts, outcome):
    from studio.assistants import services as content

    content.flow_create(user=users["owner"], assistant=shop, flow_id="agent", data={
        "description": "talk to a person", "steps": [{"link": "pattern_human_handoff"}]})
    conversation, _ = chat(users["viewer"], shop, *texts)
    assert conversation.outcome == outcome
    assert conversation.flows == ["buy", "agent"] if "start flow agent" in texts else ["buy"]


def test_a_stored_conversation_continues_on_a_fresh_worker(shop, users):
    conversation, _ = chat(users["viewer"], shop, "start flow buy")
    built_assistants.clear()
    reloaded = selectors.conversation_view_for_user(users["viewer"], shop, conversation.pk)
    turn = services.conversation_turn(user=users["viewer"], conversation=reloaded, text="/SetSlots(item=pear)")
    assert turn["messages"][0]["text"] == "One pear, coming up." and turn["index"] == 2
    assert [t["index"] for t in selectors.turn_dicts(reloaded)] == [0, 1, 2]


def test_slots_set_by_hand_are_converted_by_their_type_and_stored_as_a_turn(shop, users):
    conversation, _ = chat(users["viewer"], shop, "start flow buy")
    turn = services.conversation_slots_set(user=users["viewer"], conversation=conversation, values={"item": "PEAR"})
    assert turn["kind"] == "slots" and turn["changed_slots"] == {"item": "pear"}
    assert {"event": "slot_set", "name": "item", "value": "pear"} in turn["events"]
    assert turn["stack"][0]["flow_id"] == "pattern_collect_information"  # the dialogue waits for the next message
    stored = ConversationTurn.objects.get(conversation=conversation, index=2)
    assert (stored.kind, stored.user_text) == ("slots", "")
    assert stored.state["slots"]["item"] == "pear"


@pytest.mark.parametrize(("values", "message"), [
    ({"item": "kiwi"}, "slots.item: must be one of apple, pear (got 'kiwi')"),
    ({"colour": "red"}, "slots.colour: this assistant has no such slot"),
    ({"dialogue_stack": "[]"}, "slots.dialogue_stack: this assistant has no such slot"),
    ({}, "slots: name at least one slot and its value"),
])
def test_a_bad_hand_set_slot_is_refused_naming_the_slot(shop, users, values, message):
    conversation, _ = chat(users["viewer"], shop)
    with pytest.raises(ValidationFailed) as caught:
        services.conversation_slots_set(user=users["viewer"], conversation=conversation, values=values)
    assert caught.value.message == message
    assert ConversationTurn.objects.filter(conversation=conversation).count() == 1


def test_numbers_and_booleans_typed_by_hand_become_numbers_and_booleans(shop, users):
    from studio.assistants import services as content

    for name, kind in (("count", "float"), ("gift", "bool")):
        content.slot_save(user=users["owner"], assistant=shop, name=name, revision=None,
                          data={"type": kind, "mappings": [{"type": "from_llm"}]})
    conversation, _ = chat(users["viewer"], shop)
    turn = services.conversation_slots_set(user=users["viewer"], conversation=conversation,
                                           values={"count": "3", "gift": "true"})
    assert turn["changed_slots"] == {"count": 3.0, "gift": True}
    with pytest.raises(ValidationFailed, match=r"^slots\.count: must be a number \(got 'three'\)$"):
        services.conversation_slots_set(user=users["viewer"], conversation=conversation, values={"count": "three"})


def test_a_conversation_can_start_with_preset_slots(shop, users):
    conversation, turn = services.conversation_start_with_slots(user=users["viewer"], assistant=shop,
                                                                slots={"item": "apple"})
    assert turn["kind"] == "slots" and turn["slots"]["item"] == "apple"
    turn = services.conversation_turn(user=users["viewer"], conversation=conversation, text="start flow buy")
    # The flow finds its slot filled and does not ask.
    assert [m["text"] for m in turn["messages"]][0] == "One apple, coming up."


def test_a_bad_preset_slot_starts_nothing(shop, users):
    with pytest.raises(ValidationFailed, match=r"^slots\.item: must be one of apple, pear \(got 'kiwi'\)$"):
        services.conversation_start_with_slots(user=users["viewer"], assistant=shop, slots={"item": "kiwi"})
    assert not Conversation.objects.exists()


def test_replaying_from_a_turn_copies_the_turns_and_continues_from_that_state(shop, users):
    original, _ = chat(users["viewer"], shop, "start flow buy", "/SetSlots(item=pear)")
    fork = services.conversation_fork(user=users["viewer"], conversation=original, index=1)
    assert fork.pk != original.pk and fork.user == users["viewer"]
    assert [(t["index"], t["user"]) for t in selectors.turn_dicts(fork)] == [(0, "/session_start"), (1, "start flow buy")]
    assert (fork.turn_count, fork.flows, fork.outcome) == (2, ["buy"], "in_progress")
    assert fork.title == f"Conversation {original.pk} · replay from turn 1"
    turn = services.conversation_turn(user=users["viewer"], conversation=fork, text="/SetSlots(item=apple)")
    assert turn["messages"][0]["text"] == "One apple, coming up." and turn["index"] == 2
    assert ConversationTurn.objects.filter(conversation=original).count() == 3  # the original is untouched


def test_an_owner_may_replay_someone_elses_conversation_as_their_own_but_a_writer_may_not(shop, users):
    original, _ = chat(users["viewer"], shop, "start flow buy")
    fork = services.conversation_fork(user=users["owner"], conversation=original, index="1")
    assert fork.user == users["owner"]
    with pytest.raises(NotFound):
        services.conversation_fork(user=users["writer"], conversation=original, index=1)


@pytest.mark.parametrize(("index", "message"), [(7, "turn: this conversation has no turn 7"),
                                                ("x", "turn: must be a turn number (got 'x')")])
def test_replaying_from_a_turn_that_does_not_exist_is_refused(shop, users, index, message):
    original, _ = chat(users["viewer"], shop, "start flow buy")
    with pytest.raises(ValidationFailed) as caught:
        services.conversation_fork(user=users["viewer"], conversation=original, index=index)
    assert caught.value.message == message


def test_the_owner_of_a_conversation_renames_it_and_nobody_else_does(shop, users):
    conversation, _ = chat(users["viewer"], shop)
    services.conversation_rename(user=users["viewer"], conversation=conversation, title="  Pear   order ")
    conversation.refresh_from_db()
    assert conversation.title == "Pear order"
    with pytest.raises(NotFound):
        services.conversation_rename(user=users["owner"], conversation=conversation, title="mine now")
    with pytest.raises(ValidationFailed, match=r"^title: must be at most 200 characters \(got 201\)$"):
        services.conversation_rename(user=users["viewer"], conversation=conversation, title="x" * 201)


@pytest.mark.parametrize(("deleter", "allowed"), [("viewer", True), ("owner", True), ("designer", False),
                                                  ("writer", False), ("outsider", False)])
def test_the_person_who_chatted_or_an_assistant_owner_deletes_a_conversation(shop, users, deleter, allowed):
    conversation, _ = chat(users["viewer"], shop, "start flow buy")
    if allowed:
        services.conversation_delete(user=users[deleter], conversation=conversation)
        assert not Conversation.objects.exists() and not ConversationTurn.objects.exists()
    else:
        with pytest.raises(NotFound):
            services.conversation_delete(user=users[deleter], conversation=conversation)
        assert Conversation.objects.exists()


def test_the_e2e_export_reads_the_ordered_turns_of_a_conversation_the_user_may_see(shop, users):
    conversation, _ = chat(users["viewer"], shop, "start flow buy", "/SetSlots(item=pear)")
    turns = selectors.conversation_turns_for_user(users["viewer"], conversation)
    assert [(t["index"], t["kind"], t["user_text"]) for t in turns] == [
        (0, "start", ""), (1, "message", "start flow buy"), (2, "message", "/SetSlots(item=pear)")]
    assert turns[1]["bot"][0]["text"] == "Which fruit?"
    assert turns[2]["stubbed"] == ["action_reserve"] and "completed:buy" in turns[2]["flows"]
    assert turns[1]["slots"]["item"] is None and turns[2]["events"][0]["event"] == "user"
    assert len(selectors.conversation_turns_for_user(users["owner"], conversation)) == 3
    with pytest.raises(NotFound):
        selectors.conversation_turns_for_user(users["writer"], conversation)
