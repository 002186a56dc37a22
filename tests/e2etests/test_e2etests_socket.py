"""The tests page's socket: every role listens, outsiders are refused, a run's progress arrives as the status partial."""
import pytest
from asgiref.sync import sync_to_async

from studio.e2etests import services
from studio.exchange import e2e
from tests.sockets import open_socket as open_path

pytestmark = pytest.mark.django_db(transaction=True)

CASE = ("test_cases:\n  - test_case: hours\n    steps:\n      - user: start flow greet\n"
        "        assertions:\n          - bot_uttered:\n              utter_name: utter_hi\n")


async def open_socket(slug: str, user=None):
    return await open_path(f"/ws/assistants/{slug}/tests/", user)


async def test_outsider_and_anonymous_sockets_are_refused(assistant, users):
    for user, expected in ((None, 4401), (users["outsider"], 4404)):
        communicator, connected, code = await open_socket(assistant.slug, user)
        assert (connected, code) == (False, expected)
        await communicator.disconnect()


def _greeting_assistant(assistant, owner):
    from studio.assistants.services import flow_create, response_save

    response_save(user=owner, assistant=assistant, name="utter_hi", variations=[{"text": "Hi!"}], revision=None)
    flow_create(user=owner, assistant=assistant, flow_id="greet",
                data={"description": "Say hello to the user.", "steps": [{"action": "utter_hi"}]})
    e2e.test_file_write(assistant, "tests/hours.yml", CASE)


async def test_a_viewer_sees_the_run_finish_on_the_socket(assistant, users):
    await sync_to_async(_greeting_assistant)(assistant, users["owner"])
    communicator, connected, _ = await open_socket(assistant.slug, users["viewer"])
    assert connected
    run = await sync_to_async(services.test_run_create)(user=users["viewer"], assistant=assistant)
    first = await communicator.receive_from(timeout=10)
    assert 'id="run"' in first and "1/1 cases run" in first
    last = await communicator.receive_from(timeout=10)
    assert "passed: 1/1" in last
    await sync_to_async(run.refresh_from_db)()
    assert run.status == "passed"
    await communicator.disconnect()
