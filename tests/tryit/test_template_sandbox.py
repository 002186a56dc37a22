"""User-written Jinja never runs code on the server, through any front door (issue 9, hole 1).

Each test hands the studio a template that, rendered by a plain jinja2.Environment, runs a shell
command creating a file; the file must never appear, and the user gets the ordinary outcome
(a problem, a false condition, a failed action) instead.
"""
import io
import json

import pytest

from studio.assistants import services
from studio.exchange.yamlproject import build_zip
from studio.training.models import AssistantVersion
from studio.tryit import services as tryit
from studio.tryit.runtime import built_assistants

pytestmark = pytest.mark.django_db


@pytest.fixture
def marker(tmp_path):
    return tmp_path / "pwned"


def _payload(marker) -> str:
    return "{{ cycler.__init__.__globals__.os.popen('touch %s').read() }}" % marker


def test_a_viewer_checking_a_condition_cannot_run_a_command(client_for, assistant, marker):
    response = client_for("viewer").post(
        f"/api/assistants/{assistant.slug}/editor/validate-condition",
        {"expression": f"{_payload(marker)} = 1"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["ok"] is False
    assert not marker.exists()


def test_validating_a_flow_does_not_render_its_conditions(client_for, assistant, marker):
    body = {"description": "d", "steps": [{"id": "n", "noop": True, "next": [
        {"if": f"{_payload(marker)} = 1", "then": "END"}, {"else": "END"}]}]}
    response = client_for("viewer").post(f"/api/assistants/{assistant.slug}/editor/validate",
                                         json.dumps({"flow_id": "main", "body": body}),
                                         content_type="application/json")
    assert response.status_code == 200
    assert not marker.exists()


def _project(marker) -> io.BytesIO:
    flows = (
        "flows:\n  greet:\n    description: say hi\n    steps:\n"
        "      - id: check\n        noop: true\n        next:\n"
        f"          - if: \"{_payload(marker)} = 1\"\n            then: END\n"
        "          - else: hi\n      - id: hi\n        action: utter_hi\n"
    )
    domain = (
        "version: '3.1'\nresponses:\n  utter_hi:\n"
        f"    - text: hi\n      condition: \"{_payload(marker)}\"\n"
    )
    data = io.BytesIO(build_zip({"config.yml": b"recipe: default.v1\nlanguage: en\n",
                                 "domain.yml": domain.encode(), "data/flows.yml": flows.encode()}))
    data.name = "project.zip"
    return data


def test_importing_a_project_does_not_render_its_templates(client_for, marker):
    response = client_for("designer").post("/api/assistants/import", {"file": _project(marker), "name": "Evil"})
    assert response.status_code in (201, 422), response.content
    assert not marker.exists()


def test_building_a_version_does_not_render_templates(client_for, assistant, users, marker,
                                                      django_capture_on_commit_callbacks):
    services.flow_create(user=users["owner"], assistant=assistant, flow_id="greet", data={
        "description": "say hi", "steps": [{"id": "n", "noop": True, "next": [
            {"if": f"{_payload(marker)} = 1", "then": "END"}, {"else": "END"}]}]})
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("designer").post(f"/api/assistants/{assistant.slug}/versions", {},
                                               content_type="application/json")
    assert response.status_code == 201
    assert AssistantVersion.objects.get().status in ("ready", "failed")
    assert not marker.exists()


def _respond_with(shop, users, text: str) -> None:
    response = shop.responses.get(name="utter_bought")
    services.response_save(user=users["owner"], assistant=shop, name="utter_bought", revision=response.revision,
                           variations=[{"text": text, "metadata": {"template": "jinja"}}])
    built_assistants.clear()


def test_a_jinja_response_in_try_it_fails_as_an_action_instead_of_running_a_command(shop, users, marker):
    _respond_with(shop, users, f"One {{{{ item }}}}. {_payload(marker)}")
    conversation, _ = tryit.conversation_start(user=users["viewer"], assistant=shop)
    tryit.conversation_turn(user=users["viewer"], conversation=conversation, text="start flow buy")
    turn = tryit.conversation_turn(user=users["viewer"], conversation=conversation, text="/SetSlots(item=pear)")
    assert not marker.exists()
    assert any(e["event"] == "action_failed" and e["name"] == "utter_bought" for e in turn["events"])
    assert "Sorry, I am having trouble with that." in turn["messages"][0]["text"]


def test_a_jinja_response_still_renders_slots(shop, users):
    _respond_with(shop, users, "One {{ item|upper }}{% if item == 'pear' %}, ripe{% endif %}.")
    conversation, _ = tryit.conversation_start(user=users["viewer"], assistant=shop)
    tryit.conversation_turn(user=users["viewer"], conversation=conversation, text="start flow buy")
    turn = tryit.conversation_turn(user=users["viewer"], conversation=conversation, text="/SetSlots(item=pear)")
    assert turn["messages"][0]["text"] == "One PEAR, ripe."
