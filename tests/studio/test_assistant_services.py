"""Content services: role checks, revisions, shape validation that names the place."""
import pytest

from studio.assistants import services
from studio.assistants.models import Flow, Response, Slot
from studio.assistants.selectors import assistant_domain_dict, assistant_flows_dict
from studio.core.exceptions import Forbidden, NotFound, RevisionConflict, ValidationFailed

BODY = {"description": "Greet the user", "steps": [{"action": "utter_greet"}]}


@pytest.fixture
def flow(assistant, users):
    return services.flow_create(user=users["designer"], assistant=assistant, flow_id="greet", data=BODY)


def test_designer_saves_a_flow_and_the_revision_goes_up(assistant, users, flow):
    saved = services.flow_save(user=users["designer"], assistant=assistant, flow_id="greet",
                               data={**BODY, "name": "greet the user"}, revision=1)
    assert (saved.revision, saved.name, saved.updated_by) == (2, "greet the user", users["designer"])


def test_stale_revision_raises_conflict_with_the_current_flow(assistant, users, flow):
    services.flow_save(user=users["owner"], assistant=assistant, flow_id="greet", data=BODY, revision=1)
    with pytest.raises(RevisionConflict) as caught:
        services.flow_save(user=users["designer"], assistant=assistant, flow_id="greet", data=BODY, revision=1)
    assert caught.value.current.revision == 2
    assert caught.value.current.to_api()["body"] == BODY


@pytest.mark.parametrize("role", ("writer", "viewer"))
def test_writers_and_viewers_cannot_change_flows(assistant, users, flow, role):
    with pytest.raises(Forbidden):
        services.flow_save(user=users[role], assistant=assistant, flow_id="greet", data=BODY, revision=1)
    with pytest.raises(Forbidden):
        services.flow_delete(user=users[role], assistant=assistant, flow_id="greet")


def test_outsider_cannot_tell_the_assistant_exists(assistant, users):
    with pytest.raises(NotFound, match="Assistant 'pizza-bot' not found"):
        services.flow_create(user=users["outsider"], assistant=assistant, flow_id="x", data=BODY)


def test_writer_may_edit_responses(assistant, users):
    response = services.response_save(user=users["writer"], assistant=assistant, name="utter_greet",
                                      variations=[{"text": "Hi!"}], revision=None)
    assert response.revision == 1
    with pytest.raises(Forbidden):
        services.slot_save(user=users["writer"], assistant=assistant, name="city", data={"type": "text"},
                           revision=None)


def test_flow_body_keeps_rasa_key_order_and_unknown_keys(assistant, users):
    body = {
        "metadata": {"owner": "team"}, "steps": [{"collect": "city"}], "if": False, "description": "d",
        "name": "n", "persisted_slots": ["city"], "run_pattern_completed": False,
    }
    flow = services.flow_create(user=users["owner"], assistant=assistant, flow_id="f", data=body)
    assert list(flow.to_rasa()) == ["name", "description", "if", "persisted_slots", "run_pattern_completed",
                                    "steps", "metadata"]
    assert flow.to_rasa()["if"] is False


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("steps: []", "data: a flow must be a mapping"),
        ({"description": 3, "steps": []}, "data.description: must be a string"),
        ({"description": "d", "steps": {"a": 1}}, "data.steps: must be a list"),
        ({"description": "d", "steps": ["utter_x"]}, "data.steps.0: a step must be a mapping"),
        ({"description": "d", "if": 1, "steps": []}, "data.if: must be a string or true or false"),
        ({"description": "d", "persisted_slots": [3], "steps": []}, "data.persisted_slots.0: must be a slot name"),
    ],
)
def test_malformed_flow_is_rejected_naming_the_place(assistant, users, data, message):
    with pytest.raises(ValidationFailed) as caught:
        services.flow_create(user=users["owner"], assistant=assistant, flow_id="f", data=data)
    assert str(caught.value) == message


def test_bad_and_duplicate_flow_ids_are_rejected(assistant, users, flow):
    with pytest.raises(ValidationFailed, match="'-bad id' is not a valid flow id"):
        services.flow_create(user=users["owner"], assistant=assistant, flow_id="-bad id", data=BODY)
    with pytest.raises(ValidationFailed, match="a flow with id 'greet' already exists"):
        services.flow_create(user=users["owner"], assistant=assistant, flow_id="greet", data=BODY)


def test_pattern_flows_are_marked(assistant, users):
    flow = services.flow_create(user=users["owner"], assistant=assistant, flow_id="pattern_chitchat", data=BODY)
    assert flow.is_pattern


def test_duplicate_copies_the_body_under_a_new_id(assistant, users, flow):
    copy = services.flow_duplicate(user=users["designer"], assistant=assistant, flow_id="greet",
                                   new_flow_id="greet_again")
    assert copy.steps == BODY["steps"] and copy.position > flow.position
    assert list(assistant_flows_dict(assistant)) == ["greet", "greet_again"]


def test_delete_with_a_stale_revision_is_refused(assistant, users, flow):
    with pytest.raises(RevisionConflict):
        services.flow_delete(user=users["owner"], assistant=assistant, flow_id="greet", revision=7)
    services.flow_delete(user=users["owner"], assistant=assistant, flow_id="greet", revision=1)
    assert not Flow.objects.filter(assistant=assistant).exists()


def test_slot_without_type_is_rejected_naming_the_field(assistant, users):
    with pytest.raises(ValidationFailed) as caught:
        services.slot_save(user=users["owner"], assistant=assistant, name="city", data={"values": []}, revision=None)
    assert caught.value.problems[0].loc == ("data", "type")


def test_creating_a_slot_twice_is_rejected_and_updating_checks_revision(assistant, users):
    services.slot_save(user=users["owner"], assistant=assistant, name="city", data={"type": "text"}, revision=None)
    with pytest.raises(ValidationFailed, match="a slot named 'city' already exists"):
        services.slot_save(user=users["owner"], assistant=assistant, name="city", data={"type": "text"},
                           revision=None)
    with pytest.raises(RevisionConflict):
        services.slot_save(user=users["owner"], assistant=assistant, name="city", data={"type": "any"}, revision=5)
    slot = services.slot_save(user=users["owner"], assistant=assistant, name="city", data={"type": "any"}, revision=1)
    assert (slot.type, slot.revision) == ("any", 2)


def test_response_variations_are_checked(assistant, users):
    with pytest.raises(ValidationFailed, match="variations: a response needs a list of at least one variation"):
        services.response_save(user=users["owner"], assistant=assistant, name="utter_x", variations=[], revision=None)
    with pytest.raises(ValidationFailed, match=r"variations.0: 'buttons' must be a list, not str"):
        services.response_save(user=users["owner"], assistant=assistant, name="utter_x",
                               variations=[{"text": "t", "buttons": "yes"}], revision=None)


def test_domain_dict_has_rasa_shapes(assistant, users):
    services.slot_save(user=users["owner"], assistant=assistant, name="size",
                       data={"type": "categorical", "values": ["s", "l"], "x_custom": 1}, revision=None)
    services.response_save(user=users["owner"], assistant=assistant, name="utter_ask_size",
                           variations=[{"text": "Size?", "buttons": [{"title": "S", "payload": "/SetSlots(size=s)"}]}],
                           revision=None)
    services.custom_action_create(user=users["owner"], assistant=assistant, name="action_pay",
                                  definition={"send_domain": True})
    assert assistant_domain_dict(assistant) == {
        "version": "3.1",
        "slots": {"size": {"type": "categorical", "values": ["s", "l"], "x_custom": 1}},
        "responses": {"utter_ask_size": [{"text": "Size?", "buttons": [{"title": "S", "payload": "/SetSlots(size=s)"}]}]},
        "actions": [{"action_pay": {"send_domain": True}}],
    }
    assert Slot.objects.get().definition["x_custom"] == 1 and Response.objects.count() == 1


def test_content_changes_bump_the_assistant_revision(assistant, users, flow):
    assistant.refresh_from_db()
    before = assistant.revision
    services.flow_save(user=users["owner"], assistant=assistant, flow_id="greet", data=BODY, revision=1)
    assistant.refresh_from_db()
    assert assistant.revision == before + 1


def test_nul_characters_inside_a_flow_are_refused_naming_the_place(assistant, users):
    body = {"description": "d", "steps": [{"action": "utter_x"}, {"collect": "a\x00b"}]}
    with pytest.raises(ValidationFailed) as caught:
        services.flow_create(user=users["owner"], assistant=assistant, flow_id="f", data=body)
    assert str(caught.value) == "data.steps.1.collect: must not contain NUL characters (\\u0000)"


def test_names_with_a_trailing_newline_are_not_valid_ids(assistant, users):
    with pytest.raises(ValidationFailed, match="is not a valid flow id"):
        services.flow_create(user=users["owner"], assistant=assistant, flow_id="greet\n", data=BODY)
    with pytest.raises(ValidationFailed, match="is not a valid slot name"):
        services.slot_save(user=users["owner"], assistant=assistant, name="city\n", data={"type": "text"},
                           revision=None)
