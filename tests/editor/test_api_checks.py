"""Validation routes and the picker routes (create a slot, response or action on the spot)."""
import pytest

from studio.assistants.models import CustomAction, Response, Slot

pytestmark = pytest.mark.django_db


def test_validate_returns_problems_per_step_without_saving(api):
    body = {"description": "d", "steps": [{"collect": "amount"}, {"id": "n", "noop": True, "next": [
        {"if": "slots.amount > 10", "then": "nowhere"}, {"else": "END"}]}]}
    res = api("viewer").post("/validate", {"flow_id": "main", "body": body})
    assert res.status_code == 200
    assert {"flow_id": "main", "step_id": "n", "message": "'next' points to a step that does not exist: 'nowhere'"} \
        in res.json()["problems"]


def test_validate_accepts_a_clean_flow(api):
    body = {"description": "ask amount", "steps": [{"collect": "amount"}]}
    assert api("designer").post("/validate", {"flow_id": "main", "body": body}).json() == {"problems": []}


def test_validate_condition_accepts_a_predicate_and_explains_a_broken_one(api):
    ok = api("viewer").post("/validate-condition", {"expression": 'slots.amount > 10 and slots.name is "x"'})
    assert ok.json() == {"ok": True, "message": ""}
    bad = api("viewer").post("/validate-condition", {"expression": "slots.amount >"}).json()
    assert bad["ok"] is False
    assert bad["message"].startswith("condition 'slots.amount >' does not parse")


def test_catalog_lists_what_the_pickers_offer(api):
    data = api("viewer").get("/catalog").json()
    assert data["slots"] == [{"name": "amount", "type": "float", "values": []}]
    assert data["responses"] == ["utter_ask_amount", "utter_done"]
    assert [f["flow_id"] for f in data["flows"]] == ["check", "bye", "main"]


def test_designer_creates_a_categorical_slot(api):
    res = api("designer").post("/slots", {"name": "size", "type": "categorical", "values": ["small", "large"]})
    assert res.status_code == 201
    slot = Slot.objects.get(name="size")
    assert slot.definition == {"type": "categorical", "mappings": [{"type": "from_llm"}], "values": ["small", "large"]}


def test_writer_creates_a_response_but_not_a_slot_or_action(api):
    writer = api("writer")
    assert writer.post("/responses", {"name": "utter_hi", "text": "Hi!"}).status_code == 201
    assert Response.objects.get(name="utter_hi").variations == [{"text": "Hi!"}]
    assert writer.post("/slots", {"name": "x", "type": "text"}).status_code == 403
    assert writer.post("/actions", {"name": "action_x"}).status_code == 403


def test_viewer_cannot_create_a_response(api):
    assert api("viewer").post("/responses", {"name": "utter_hi", "text": "Hi"}).status_code == 403


def test_designer_creates_an_action(api):
    assert api("designer").post("/actions", {"name": "action_pay"}).status_code == 201
    assert CustomAction.objects.filter(name="action_pay").exists()


def test_creating_a_duplicate_or_badly_named_item_names_the_field(api):
    dup = api("designer").post("/responses", {"name": "utter_done", "text": "again"})
    assert dup.status_code == 422
    assert dup.json()["detail"] == [{"loc": ["name"], "msg": "a response named 'utter_done' already exists"}]
    bad = api("designer").post("/slots", {"name": "1bad", "type": "text"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["name"]


def test_a_response_without_text_is_refused(api):
    assert api("writer").post("/responses", {"name": "utter_empty", "text": ""}).status_code == 422
