"""History pages: the activity feed, an item's timeline with diffs, and Restore for the roles that edit."""
import pytest

from studio.assistants import services
from studio.assistants.models import Flow, Response

pytestmark = pytest.mark.django_db

RESTORE = "Restore this version"


@pytest.fixture
def edited(content, users):
    """The greeting flow and response each changed once after creation."""
    flow = Flow.objects.get(flow_id="greet")
    services.flow_save(user=users["designer"], assistant=content, flow_id="greet",
                       data={**flow.to_rasa(), "description": "Greet warmly"}, revision=1)
    services.response_save(user=users["writer"], assistant=content, name="utter_greet",
                           variations=[{"text": "Hey!"}], revision=1)
    return content


def test_a_viewer_sees_the_activity_feed_with_who_changed_what(edited, client_for):
    html = client_for("viewer").get("/assistants/pizza-bot/activity/").content.decode()
    assert 'href="/assistants/pizza-bot/history/flows/greet/"' in html
    assert 'href="/assistants/pizza-bot/history/responses/utter_greet/"' in html
    assert "<td>writer</td>" in html and "<td>designer</td>" in html


def test_an_outsider_gets_404_on_history_pages(edited, client_for):
    outsider = client_for("outsider")
    assert outsider.get("/assistants/pizza-bot/activity/").status_code == 404
    assert outsider.get("/assistants/pizza-bot/history/flows/greet/").status_code == 404


def test_a_flow_timeline_shows_the_diff_and_restore_for_designers_only(edited, client_for):
    designer = client_for("designer").get("/assistants/pizza-bot/history/flows/greet/").content.decode()
    assert "+  description: Greet warmly" in designer
    assert designer.count(RESTORE) == 1  # the newest version is the flow as it is: nothing to restore
    for role in ("writer", "viewer"):
        html = client_for(role).get("/assistants/pizza-bot/history/flows/greet/").content.decode()
        assert "+  description: Greet warmly" in html and RESTORE not in html


def test_a_writer_restores_a_response_from_its_page(edited, client_for):
    writer = client_for("writer")
    oldest = Response.history.filter(name="utter_greet").last().history_id
    response = writer.post("/assistants/pizza-bot/history/responses/utter_greet/",
                           {"history_id": oldest, "revision": 2}, follow=True)
    assert response.redirect_chain == [("/assistants/pizza-bot/history/responses/utter_greet/", 302)]
    assert f"Restored version {oldest}." in response.content.decode()
    assert Response.objects.get(name="utter_greet").variations == [{"text": "Hello!"}]


def test_a_writer_cannot_restore_a_flow_from_its_page(edited, client_for):
    oldest = Flow.history.filter(flow_id="greet").last().history_id
    response = client_for("writer").post("/assistants/pizza-bot/history/flows/greet/", {"history_id": oldest})
    assert response.status_code == 403
    assert "Your role on &#x27;Pizza Bot&#x27; is writer; this needs owner or designer" in response.content.decode()
    assert Flow.objects.get(flow_id="greet").description == "Greet warmly"


def test_a_stale_restore_from_the_page_is_a_409_and_changes_nothing(edited, client_for):
    oldest = Flow.history.filter(flow_id="greet").last().history_id
    response = client_for("designer").post("/assistants/pizza-bot/history/flows/greet/",
                                           {"history_id": oldest, "revision": 1})
    assert response.status_code == 409
    assert Flow.objects.get(flow_id="greet").description == "Greet warmly"


def test_a_restore_without_a_version_names_the_field(edited, client_for):
    response = client_for("designer").post("/assistants/pizza-bot/history/flows/greet/", {"history_id": "x"})
    assert response.status_code == 422
    assert "history_id: Choose the version to restore" in response.content.decode()


def test_only_owners_may_restore_settings(edited, client_for, users):
    services.assistant_update(user=users["owner"], assistant=edited, description="Now with pizza")
    owner = client_for("owner").get("/assistants/pizza-bot/history/settings/").content.decode()
    assert "+description: Now with pizza" in owner and RESTORE in owner
    designer = client_for("designer").get("/assistants/pizza-bot/history/settings/").content.decode()
    assert "+description: Now with pizza" in designer and RESTORE not in designer


def test_the_flow_editor_links_to_the_flows_history(edited, client_for):
    html = client_for("viewer").get("/assistants/pizza-bot/flows/greet/edit/").content.decode()
    assert 'href="/assistants/pizza-bot/history/flows/greet/" data-history-link' in html


def test_a_deleted_items_page_says_so_and_offers_every_version(content, client_for, users):
    services.response_save(user=users["writer"], assistant=content, name="utter_bye", variations=[{"text": "Bye"}],
                           revision=None)
    services.response_delete(user=users["writer"], assistant=content, name="utter_bye")
    html = client_for("writer").get("/assistants/pizza-bot/history/responses/utter_bye/").content.decode()
    assert "deleted; restoring a version creates it again" in html
    assert html.count(RESTORE) == 1  # the created version; the deletion itself has nothing to restore


def test_the_activity_feed_pages_by_fifty(content, client_for, users):
    for number in range(50):
        services.response_save(user=users["writer"], assistant=content, name=f"utter_{number}",
                               variations=[{"text": str(number)}], revision=None)
    viewer = client_for("viewer")
    first = viewer.get("/assistants/pizza-bot/activity/").content.decode()
    assert first.count("data-history-id=") == 50 and 'href="?page=2">Older</a>' in first
    second = viewer.get("/assistants/pizza-bot/activity/?page=2").content.decode()
    assert second.count("data-history-id=") == 5 and 'href="?page=1">Newer</a>' in second
    assert "Older</a>" not in second
