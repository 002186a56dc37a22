"""Try-it runs what you see: the current content by default (a draft build reused until an edit),
a version only when pinned, and the header says which."""
import pytest
from asgiref.sync import sync_to_async

from studio.core.exceptions import ValidationFailed
from studio.tryit import runtime, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def v1(shop, users, django_capture_on_commit_callbacks):
    """Version 1 of the shop, built (ready)."""
    from studio.training.services import version_create

    with django_capture_on_commit_callbacks(execute=True):  # the build task runs inline
        version_create(user=users["owner"], assistant=shop, note="first cut")
    return shop.versions.get(number=1)


def _runtime(shop):
    return runtime.runtime_for(shop, runtime.source_for(shop))


def _edits(shop, owner):
    """One edit of each kind that reaches the engine, each run against a fresh row."""
    from studio.assistants import services as content
    from studio.assistants.models import Flow, Response, Slot

    def flow():
        row = Flow.objects.get(assistant=shop, flow_id="buy")
        content.flow_save(user=owner, assistant=shop, flow_id="buy", revision=row.revision,
                          data={**row.to_rasa(), "description": "buy some fruit"})

    def slot():
        row = Slot.objects.get(assistant=shop, name="item")
        content.slot_save(user=owner, assistant=shop, name="item", revision=row.revision,
                          data={**row.to_rasa(), "values": ["apple", "pear", "plum"]})

    def response():
        row = Response.objects.get(assistant=shop, name="utter_bought")
        content.response_save(user=owner, assistant=shop, name="utter_bought", revision=row.revision,
                              variations=[{"text": "Here is your {item}."}])

    def action():
        content.custom_action_create(user=owner, assistant=shop, name="action_wrap")

    def settings():
        content.assistant_update(user=owner, assistant=shop, settings={"generator": "offline"})

    def endpoints():
        content.assistant_update(user=owner, assistant=shop,
                                 endpoints_yaml="action_endpoint:\n  url: http://a.test/webhook\n")

    return {"flow": flow, "slot": slot, "response": response, "action": action, "settings": settings,
            "endpoints": endpoints}


@pytest.mark.parametrize("kind", ["flow", "slot", "response", "action", "settings", "endpoints"])
def test_any_edit_gives_the_current_content_a_new_draft_build(shop, users, kind):
    before = _runtime(shop)
    assert _runtime(shop) is before  # unchanged content: the draft build is reused, not redone
    _edits(shop, users["owner"])[kind]()
    after = _runtime(shop)
    assert after is not before
    assert _runtime(shop) is after


def test_saving_a_mock_needs_no_new_build(shop, users):
    from studio.tryit.mock_services import action_mock_save

    before = _runtime(shop)
    action_mock_save(user=users["designer"], assistant=shop, name="action_reserve", mock=None,
                     revision=shop.actions.get(name="action_reserve").revision)
    assert _runtime(shop) is before  # mocks are read when an action runs (see test_mocks)


def test_a_ready_version_does_not_change_what_try_it_runs_by_default(shop, users, v1):
    from studio.assistants import services as content

    content.response_save(user=users["owner"], assistant=shop, name="utter_ask_item",
                          revision=shop.responses.get(name="utter_ask_item").revision,
                          variations=[{"text": "Apple or pear?"}])
    conversation, turn = services.conversation_start(user=users["viewer"], assistant=shop)
    assert turn["source"] == "current content" and conversation.version_id is None
    turn = services.conversation_turn(user=users["viewer"], conversation=conversation, text="start flow buy")
    assert turn["messages"][0]["text"] == "Apple or pear?"


def test_pinning_a_version_runs_that_version_and_says_so(shop, users, v1):
    from studio.assistants import services as content

    content.response_save(user=users["owner"], assistant=shop, name="utter_ask_item",
                          revision=shop.responses.get(name="utter_ask_item").revision,
                          variations=[{"text": "Apple or pear?"}])
    conversation, turn = services.conversation_start(user=users["viewer"], assistant=shop, version="1")
    assert turn["source"] == "version 1 (pinned)" and conversation.version_id == v1.pk
    turn = services.conversation_turn(user=users["viewer"], conversation=conversation, text="start flow buy")
    assert turn["messages"][0]["text"] == "Which fruit?"


@pytest.mark.parametrize(("version", "message"), [
    ("7", "version: Pizza Bot has no version 7"),
    ("seven", "version: must be a version number, got 'seven'"),
])
def test_a_pin_to_a_version_that_cannot_run_names_the_field(shop, users, version, message):
    with pytest.raises(ValidationFailed, match=f"^{message}$"):
        services.conversation_start(user=users["viewer"], assistant=shop, version=version)


def test_a_failed_version_cannot_be_pinned(shop, users):
    shop.versions.create(number=1, status="failed")
    message = "version: version 1 is failed, not ready; only a ready version can be tried"
    with pytest.raises(ValidationFailed, match=f"^{message}$"):
        services.conversation_start(user=users["viewer"], assistant=shop, version=1)


def test_reset_keeps_the_pin_unless_another_source_is_chosen(shop, users, v1):
    conversation, _ = services.conversation_start(user=users["writer"], assistant=shop, version=1)
    bare = type(conversation)(pk=conversation.pk, assistant=shop, user=users["writer"])  # what the socket hands in
    conversation, turn = services.conversation_reset(user=users["writer"], conversation=bare)
    assert turn["source"] == "version 1 (pinned)"
    conversation, turn = services.conversation_reset(user=users["writer"], conversation=conversation, version="")
    assert turn["source"] == "current content"


def test_the_header_shows_what_runs_and_offers_the_ready_versions(shop, users, v1, client_for):
    client = client_for("viewer")
    url = f"/assistants/{shop.slug}/try/"
    html = client.get(url).content.decode()
    assert '<span class="pill" id="tryit-source" title="What this conversation runs">current content</span>' in html
    assert '<option value="" selected>current content</option>' in html
    assert '<option value="1">version 1 · first cut</option>' in html
    pinned = client.post(url, {"type": "start", "action": "new", "version": "1"}, follow=True).content.decode()
    assert '<span class="pill" id="tryit-source" title="What this conversation runs">version 1 (pinned)</span>' in pinned
    assert '<option value="1" selected>version 1 · first cut</option>' in pinned


def test_a_start_on_a_missing_version_shows_the_reason_on_the_page(shop, client_for):
    page = client_for("viewer").post(f"/assistants/{shop.slug}/try/", {"type": "start", "action": "new", "version": "4"})
    assert page.status_code == 422 and "version: Pizza Bot has no version 4" in page.content.decode()


@pytest.mark.django_db(transaction=True)
async def test_the_socket_starts_a_pinned_conversation(shop, users, v1):
    from tests.tryit.test_consumer import open_socket

    socket, connected, _ = await open_socket(shop.slug, users["viewer"])
    assert connected
    await socket.send_json_to({"type": "start", "version": 1})
    started = await socket.receive_json_from(timeout=10)
    assert started["source"] == "version 1 (pinned)"
    await socket.send_json_to({"type": "start"})
    assert (await socket.receive_json_from(timeout=10))["source"] == "current content"
    await socket.disconnect()
    assert await sync_to_async(lambda: shop.conversations.filter(version=v1).count())() == 1
