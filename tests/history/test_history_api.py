"""History over the API: who, when and a YAML diff for every change; restore per role."""
import pytest

from studio.assistants import services
from studio.assistants.models import Flow, Response

pytestmark = pytest.mark.django_db

BASE = "/api/assistants/pizza-bot"


def _versions(api, kind, key):
    response = api.get(f"{BASE}/history/{kind}/{key}")
    assert response.status_code == 200, response.content
    return response.json()


def test_a_saved_response_keeps_who_changed_it_and_a_yaml_diff(content, api_for):
    writer = api_for("writer")
    saved = writer.put(f"{BASE}/editor/responses/utter_greet", {"variations": [{"text": "Hi there!"}], "revision": 1})
    assert saved.status_code == 200
    versions = _versions(api_for("viewer"), "responses", "utter_greet")
    assert [(v["action"], v["user"], v["revision"]) for v in versions] == [("changed", "writer", 2), ("created", "owner", 1)]
    changed = [line for line in versions[0]["diff"].splitlines() if line[:1] in "+-" and line[:3] not in ("---", "+++")]
    assert changed == ["-  - text: Hello!", "+  - text: Hi there!"]


def test_a_flow_diff_shows_only_the_changed_lines(content, api_for):
    body = Flow.objects.get(flow_id="greet").to_rasa()
    body["description"] = "Greet the user"
    assert api_for("designer").put(f"{BASE}/editor/flows/greet", {"body": body, "revision": 1}).status_code == 200
    diff = _versions(api_for("viewer"), "flows", "greet")[0]["diff"]
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("---", "+++"))]
    assert changed == ["-  description: Say hello", "+  description: Greet the user"]


def test_saving_the_same_content_again_keeps_no_new_version(content, users):
    response = Response.objects.get(name="utter_greet")
    services.response_save(user=users["writer"], assistant=content, name="utter_greet",
                           variations=list(response.variations), revision=response.revision)
    assert len(Response.history.filter(name="utter_greet")) == 1


def test_outside_a_request_the_service_user_is_recorded(content, users):
    services.response_save(user=users["designer"], assistant=content, name="utter_greet",
                           variations=[{"text": "Yo"}], revision=1)
    assert Response.history.filter(name="utter_greet").first().history_user == users["designer"]


def test_the_activity_feed_lists_every_kind_newest_first(content, api_for):
    entries = api_for("viewer").get(f"{BASE}/activity").json()
    assert [(e["kind"], e["key"], e["action"]) for e in entries[:4]] == [
        ("flows", "greet", "created"), ("actions", "action_check", "created"),
        ("slots", "size", "created"), ("responses", "utter_greet", "created")]
    assert entries[-1]["kind"] == "settings"  # assistant_create's first save


def test_an_outsider_cannot_tell_the_assistant_exists(content, api_for):
    assert api_for("outsider").get(f"{BASE}/activity").status_code == 404
    assert api_for("outsider").get(f"{BASE}/history/flows/greet").status_code == 404


def test_an_unknown_kind_is_a_404_naming_the_kinds(content, api_for):
    response = api_for("viewer").get(f"{BASE}/history/intents/greet")
    assert response.status_code == 404
    assert response.json()["detail"] == "No history for 'intents': the kinds are flows, responses, slots, actions, settings"


# Who may restore what: writers responses; designers also flows, slots, actions; owners also settings.
RESTORE_ROLES = {"responses": {"owner", "designer", "writer"}, "flows": {"owner", "designer"},
                 "slots": {"owner", "designer"}, "actions": {"owner", "designer"}, "settings": {"owner"}}
KEYS = {"responses": "utter_greet", "flows": "greet", "slots": "size", "actions": "action_check"}


@pytest.mark.parametrize("role", ["owner", "designer", "writer", "viewer"])
@pytest.mark.parametrize("kind", list(RESTORE_ROLES))
def test_restore_needs_the_role_that_edits_that_kind(content, api_for, kind, role):
    url = f"{BASE}/history/settings" if kind == "settings" else f"{BASE}/history/{kind}/{KEYS[kind]}"
    versions = _versions(api_for("viewer"), kind, KEYS[kind]) if kind != "settings" else api_for("viewer").get(url).json()
    response = api_for(role).post(url, {"history_id": versions[-1]["history_id"]})
    if role in RESTORE_ROLES[kind]:
        assert response.status_code == 200, response.content
    else:
        assert response.status_code == 403
        assert response.json()["detail"].startswith(f"Your role on 'Pizza Bot' is {role}; this needs ")


def test_restoring_a_flow_writes_the_old_body_back_as_a_new_revision(content, api_for):
    original = Flow.objects.get(flow_id="greet").to_rasa()
    designer = api_for("designer")
    first = _versions(designer, "flows", "greet")[0]["history_id"]
    designer.put(f"{BASE}/editor/flows/greet", {"body": {**original, "description": "Changed"}, "revision": 1})
    restored = designer.post(f"{BASE}/history/flows/greet", {"history_id": first, "revision": 2})
    assert restored.status_code == 200
    assert restored.json() == {"kind": "flows", "key": "greet", "revision": 3, "problems": []}
    assert Flow.objects.get(flow_id="greet").to_rasa() == original
    newest = _versions(designer, "flows", "greet")[0]
    assert (newest["user"], newest["note"], newest["revision"]) == ("designer", f"restored version {first}", 3)


def test_a_restore_over_a_stale_revision_is_a_409(content, api_for):
    designer = api_for("designer")
    first = _versions(designer, "flows", "greet")[0]["history_id"]
    body = Flow.objects.get(flow_id="greet").to_rasa()
    designer.put(f"{BASE}/editor/flows/greet", {"body": {**body, "description": "Changed"}, "revision": 1})
    response = designer.post(f"{BASE}/history/flows/greet", {"history_id": first, "revision": 1})
    assert response.status_code == 409
    assert response.json()["current"]["revision"] == 2
    assert Flow.objects.get(flow_id="greet").description == "Changed"


def test_restoring_a_flow_reports_the_engines_problems(content, api_for):
    designer = api_for("designer")
    body = Flow.objects.get(flow_id="greet").to_rasa()
    designer.put(f"{BASE}/editor/flows/greet", {"body": {**body, "steps": [{"id": "x", "action": "utter_nope"}]},
                                                "revision": 1})
    designer.put(f"{BASE}/editor/flows/greet", {"body": body, "revision": 2})
    broken = _versions(designer, "flows", "greet")[1]["history_id"]
    restored = designer.post(f"{BASE}/history/flows/greet", {"history_id": broken})
    assert restored.status_code == 200
    assert any("utter_nope" in p["message"] for p in restored.json()["problems"])


def test_a_deleted_response_can_be_restored(content, api_for, users):
    services.response_save(user=users["owner"], assistant=content, name="utter_bye", variations=[{"text": "Bye"}],
                           revision=None)
    services.response_delete(user=users["owner"], assistant=content, name="utter_bye")
    versions = _versions(api_for("writer"), "responses", "utter_bye")
    assert [v["action"] for v in versions] == ["deleted", "created"]
    assert api_for("writer").post(f"{BASE}/history/responses/utter_bye",
                                  {"history_id": versions[1]["history_id"]}).status_code == 200
    assert Response.objects.get(assistant=content, name="utter_bye").variations == [{"text": "Bye"}]


def test_a_version_of_another_item_is_not_found(content, api_for, users):
    services.slot_save(user=users["owner"], assistant=content, name="colour", data={"type": "text"}, revision=None)
    other = _versions(api_for("designer"), "slots", "colour")[0]["history_id"]
    response = api_for("designer").post(f"{BASE}/history/slots/size", {"history_id": other})
    assert response.status_code == 404
    assert response.json()["detail"] == f"Version {other} of slot 'size' not found in 'pizza-bot'"


def test_restoring_settings_puts_the_old_endpoints_back(content, api_for):
    owner = api_for("owner")
    before = content.endpoints_yaml
    patched = owner.client.patch(f"{BASE}", '{"endpoints_yaml": "action_endpoint:\\n  url: http://x\\n"}',
                                 content_type="application/json")
    assert patched.status_code == 200
    versions = owner.get(f"{BASE}/history/settings").json()
    assert versions[0]["user"] == "owner"
    assert "+    url: http://x" in versions[0]["diff"].splitlines()
    assert owner.post(f"{BASE}/history/settings", {"history_id": versions[1]["history_id"]}).status_code == 200
    content.refresh_from_db()
    assert content.endpoints_yaml == before


def test_deleting_an_assistant_deletes_its_history(content, users):
    from studio.assistants.models import Assistant, Slot

    pk = content.pk
    services.assistant_delete(user=users["owner"], assistant=content)
    assert not Flow.history.filter(assistant_id=pk).exists()
    assert not Slot.history.filter(assistant_id=pk).exists()
    assert not Assistant.history.filter(id=pk).exists()


def test_a_response_named_with_a_slash_has_its_history_too(content, api_for, users):
    services.response_save(user=users["writer"], assistant=content, name="utter_faq/price",
                           variations=[{"text": "Two euros"}], revision=None)
    versions = _versions(api_for("viewer"), "responses", "utter_faq/price")
    assert [(v["key"], v["action"]) for v in versions] == [("utter_faq/price", "created")]
    page = api_for("viewer").get("/assistants/pizza-bot/history/responses/utter_faq/price/")
    assert page.status_code == 200 and "utter_faq/price" in page.content.decode()


@pytest.mark.parametrize("query", ["offset=99999999999999999999&limit=5", "offset=-5&limit=0", "limit=99999999999999"])
def test_odd_activity_pages_are_answered_not_500(content, api_for, query):
    response = api_for("viewer").get(f"{BASE}/activity?{query}")
    assert response.status_code == 200
    assert len(response.json()) <= 200
