"""Building versions from the API and the overview page."""
import pytest

from studio.assistants.services import flow_create
from studio.training.models import AssistantVersion


@pytest.fixture
def flow(assistant, users):
    return flow_create(user=users["owner"], assistant=assistant, flow_id="greet",
                       data={"description": "Say hello", "steps": [{"action": "action_listen"}]})


@pytest.mark.parametrize("role", ("owner", "designer"))
def test_designers_build_a_version_through_the_api(client_for, assistant, flow, role,
                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(role).post(f"/api/assistants/{assistant.slug}/versions", {"note": "first"},
                                         content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert (body["number"], body["note"], body["created_by"]) == (1, "first", role)
    assert AssistantVersion.objects.get().status == "ready"


@pytest.mark.parametrize("role", ("writer", "viewer"))
def test_writers_and_viewers_cannot_build_but_can_list(client_for, assistant, flow, role):
    client = client_for(role)
    response = client.post(f"/api/assistants/{assistant.slug}/versions", {}, content_type="application/json")
    assert response.status_code == 403
    assert client.get(f"/api/assistants/{assistant.slug}/versions").json() == []
    assert client.post(f"/assistants/{assistant.slug}/versions/new/").status_code == 403


def test_outsider_gets_404_on_versions(client_for, assistant):
    client = client_for("outsider")
    assert client.get(f"/api/assistants/{assistant.slug}/versions").status_code == 404
    assert client.post(f"/assistants/{assistant.slug}/versions/new/").status_code == 404


def test_overlong_note_is_422_naming_the_field(client_for, assistant):
    response = client_for("owner").post(f"/api/assistants/{assistant.slug}/versions", {"note": "x" * 2001},
                                        content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "note"


def test_overview_page_builds_and_lists_versions_with_problems(client_for, assistant, users,
                                                               django_capture_on_commit_callbacks):
    flow_create(user=users["owner"], assistant=assistant, flow_id="broken",
                data={"description": "Broken", "steps": [{"collect": "missing_slot"}]})
    client = client_for("designer")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/assistants/{assistant.slug}/versions/new/", {"note": "try"})
    assert (response.status_code, response["Location"]) == (302, f"/assistants/{assistant.slug}/#versions")
    html = client.get(f"/assistants/{assistant.slug}/").content.decode()
    assert 'status-failed">failed<' in html
    assert "flow broken" in html and "missing_slot" in html
    assert "Build version" in html
    assert "Build version" not in client_for("viewer").get(f"/assistants/{assistant.slug}/").content.decode()
