"""Threads follow their flow, step or response through renames; a deleted target leaves them outdated."""
import pytest

from studio.assistants import services as items
from studio.assistants.models import Flow
from studio.comments.models import Thread
from studio.comments.selectors import step_thread_counts, threads_for_assistant, threads_for_target
from studio.comments.steps import follow_step_ids
from studio.exchange.renames import assistant_item_delete, assistant_item_rename

from tests.comments.conftest import STEPS

pytestmark = pytest.mark.django_db


def _save_steps(assistant, owner, steps, flow_id="transfer"):
    flow = Flow.objects.get(assistant=assistant, flow_id=flow_id)
    body = {**flow.to_rasa(), "steps": steps}
    items.flow_save(user=owner, assistant=assistant, flow_id=flow_id, data=body, revision=flow.revision)


def test_inserting_a_step_shifts_default_ids_and_threads_move_with_their_steps():
    old = [{"action": "utter_a"}, {"action": "utter_b"}]
    new = [{"action": "utter_new"}, {"action": "utter_a"}, {"action": "utter_b"}]
    assert follow_step_ids("f", old, "f", new) == {"f_0_utter_a": "f_1_utter_a", "f_1_utter_b": "f_2_utter_b"}


def test_a_step_edited_in_place_keeps_its_thread_even_when_its_default_id_changes():
    assert follow_step_ids("f", [{"collect": "a"}], "f", [{"collect": "b"}]) == {"f_0_collect_a": "f_0_collect_b"}


def test_removing_a_step_does_not_hand_its_thread_to_the_next_one():
    old = [{"action": "utter_x"}, {"action": "utter_x", "description": "second"}]
    new = [{"action": "utter_x", "description": "second"}]
    assert follow_step_ids("f", old, "f", new) == {"f_1_utter_x": "f_0_utter_x"}


def test_a_renamed_explicit_step_id_keeps_its_thread(start, on_step, users, content):
    thread = start("viewer", on_step("ask_amount"))
    _save_steps(content, users["owner"], [{"id": "ask_sum", "collect": "amount"}, *STEPS[1:]])
    thread.refresh_from_db()
    assert thread.step_id == "ask_sum"
    assert [t.pk for t in threads_for_target(users["viewer"], content, on_step("ask_sum"))] == [thread.pk]


def test_a_step_inserted_before_a_commented_default_id_step_keeps_the_thread_on_it(start, on_step, users, content):
    thread = start("writer", on_step("transfer_1_utter_confirm"))
    _save_steps(content, users["owner"], [STEPS[0], {"action": "utter_greet"}, *STEPS[1:]])
    thread.refresh_from_db()
    assert thread.step_id == "transfer_2_utter_confirm"
    assert step_thread_counts(users["viewer"], content, "transfer") == {"transfer_2_utter_confirm": {"open": 1, "resolved": 0}}


def test_renaming_the_flow_through_the_rename_service_keeps_its_threads(start, on_step, users, content):
    explicit = start("writer", on_step("ask_amount"))
    positional = start("writer", on_step("transfer_2_action_send"))
    assistant_item_rename(user=users["owner"], assistant=content, kind="flows", old="transfer", new="send_money")
    explicit.refresh_from_db(), positional.refresh_from_db()
    assert (explicit.target_name, explicit.step_id) == ("send_money", "ask_amount")
    assert positional.step_id == "send_money_2_action_send"
    [seen] = threads_for_target(users["viewer"], content, on_step("send_money_2_action_send", flow_id="send_money"))
    assert not seen.outdated and seen.target_label == "send_money / send_money_2_action_send"


def test_renaming_a_response_through_the_rename_service_keeps_its_threads(start, on_response, users, content):
    thread = start("writer", on_response("utter_greet"))
    assistant_item_rename(user=users["owner"], assistant=content, kind="responses", old="utter_greet", new="utter_hello")
    thread.refresh_from_db()
    assert thread.target_name == "utter_hello"
    assert [t.pk for t in threads_for_target(users["viewer"], content, on_response("utter_hello"))] == [thread.pk]
    assert threads_for_target(users["viewer"], content, on_response("utter_greet")) == []


def test_a_thread_on_a_deleted_step_is_kept_as_outdated(start, on_step, users, content):
    thread = start("writer", on_step("transfer_2_action_send"))
    _save_steps(content, users["owner"], STEPS[:2])
    [seen] = threads_for_target(users["viewer"], content, on_step("transfer_2_action_send"))
    assert seen.pk == thread.pk and seen.outdated


def test_a_thread_on_a_deleted_response_or_flow_is_kept_as_outdated(start, on_step, on_response, users, content):
    on_greet = start("writer", on_response("utter_greet"))
    on_flow = start("writer", on_step("ask_amount"))
    assistant_item_delete(user=users["owner"], assistant=content, kind="responses", name="utter_greet")
    items.flow_delete(user=users["owner"], assistant=content, flow_id="transfer")
    outdated = {t.pk: t.outdated for t in threads_for_assistant(users["viewer"], content)}
    assert outdated == {on_greet.pk: True, on_flow.pk: True}
    [kept] = threads_for_target(users["viewer"], content, on_response("utter_greet"))
    assert kept.target_label == "utter_greet" and [c.body for c in kept.comments.all()] == ["Is this right?"]


def test_a_response_created_again_under_the_same_name_gets_its_threads_back(start, on_response, users, content):
    thread = start("writer", on_response("utter_greet"))
    items.response_delete(user=users["owner"], assistant=content, name="utter_greet")
    items.response_save(user=users["owner"], assistant=content, name="utter_greet", variations=[{"text": "Hey"}],
                        revision=None)
    [seen] = threads_for_target(users["viewer"], content, on_response("utter_greet"))
    assert seen.pk == thread.pk and not seen.outdated
    assert Thread.objects.get().response_id is not None
