"""The presence socket through the real ASGI app: who else has a flow open, who saved, and who may listen."""
import pytest
from asgiref.sync import sync_to_async

from tests.sockets import open_socket as open_path

pytestmark = pytest.mark.django_db(transaction=True)


async def open_socket(path: str, user=None):
    communicator, connected, code = await open_path(path, user)
    if connected:
        assert (await communicator.receive_json_from(timeout=5))["type"] == "hello"
    return communicator, connected, code


async def next_of(socket, kind):
    while True:
        frame = await socket.receive_json_from(timeout=5)
        if frame["type"] == kind:
            return frame


def flow_path(assistant, flow_id="main"):
    return f"/ws/assistants/{assistant.slug}/presence/flows/{flow_id}"


async def test_two_designers_see_each_other_on_one_flow_and_the_leaver_disappears(flows, users):
    designer, ok, _ = await open_socket(flow_path(flows), users["designer"])
    assert ok
    owner, ok, _ = await open_socket(flow_path(flows), users["owner"])
    assert ok

    assert await next_of(designer, "presence") == {"type": "presence", "users": ["owner"]}
    assert await next_of(owner, "presence") == {"type": "presence", "users": ["designer"]}

    await owner.disconnect()
    assert await next_of(designer, "presence") == {"type": "presence", "users": []}
    await designer.disconnect()


async def test_someone_on_another_flow_is_not_listed(flows, users):
    designer, _, _ = await open_socket(flow_path(flows), users["designer"])
    owner, _, _ = await open_socket(flow_path(flows, "bye"), users["owner"])
    await designer.send_json_to({"type": "heartbeat"})
    assert await next_of(designer, "presence") == {"type": "presence", "users": []}
    await owner.disconnect()
    await designer.disconnect()


async def test_a_socket_that_stops_heartbeating_is_forgotten(flows, users, monkeypatch):
    from studio.editor import presence

    designer, _, _ = await open_socket(flow_path(flows), users["designer"])
    owner, _, _ = await open_socket(flow_path(flows), users["owner"])
    assert await next_of(designer, "presence") == {"type": "presence", "users": ["owner"]}
    later = presence.clock() + presence.EXPIRY_SECONDS + 1
    monkeypatch.setattr(presence, "clock", lambda: later)  # the owner's tab froze: no heartbeat since
    await designer.send_json_to({"type": "heartbeat"})
    assert await next_of(designer, "presence") == {"type": "presence", "users": []}
    await owner.disconnect()
    await designer.disconnect()


async def test_a_save_is_announced_to_the_editor_and_the_flow_list(flows, users):
    from studio.assistants import services

    editor, _, _ = await open_socket(flow_path(flows), users["viewer"])
    listing, ok, _ = await open_socket(f"/ws/assistants/{flows.slug}/presence/flows/", users["writer"])
    assert ok
    body = {"description": "changed", "steps": [{"action": "utter_done"}]}
    await sync_to_async(services.flow_save)(user=users["designer"], assistant=flows, flow_id="bye",
                                            data=body, revision=1)
    await sync_to_async(services.flow_save)(user=users["designer"], assistant=flows, flow_id="main",
                                            data=body, revision=1)

    saved = {"type": "saved", "kind": "flows", "name": "main", "revision": 2, "by": "designer"}
    assert await next_of(editor, "saved") == saved  # the save of `bye` went to the list only
    assert await next_of(listing, "saved") == {**saved, "name": "bye"}
    assert await next_of(listing, "saved") == saved
    await editor.disconnect()
    await listing.disconnect()


async def test_writers_see_who_edits_a_response_with_a_slash_in_its_name(flows, users):
    from studio.assistants import services

    await sync_to_async(services.response_save)(user=users["owner"], assistant=flows, name="utter_faq/price",
                                                variations=[{"text": "It is free"}], revision=None)
    path = f"/ws/assistants/{flows.slug}/presence/responses/utter_faq/price"
    writer, ok, _ = await open_socket(path, users["writer"])
    assert ok
    owner, _, _ = await open_socket(path, users["owner"])
    assert await next_of(writer, "presence") == {"type": "presence", "users": ["owner"]}
    await owner.disconnect()
    await writer.disconnect()


async def test_an_outsider_is_refused_as_if_the_assistant_did_not_exist(flows, users):
    communicator, connected, code = await open_socket(flow_path(flows), users["outsider"])
    assert (connected, code) == (False, 4404)


async def test_an_anonymous_visitor_is_refused(flows):
    _, connected, code = await open_socket(flow_path(flows))
    assert (connected, code) == (False, 4401)


async def test_an_unknown_kind_is_not_found(flows, users):
    communicator, connected, code = await open_socket(f"/ws/assistants/{flows.slug}/presence/slots/amount",
                                                      users["owner"])
    assert (connected, code) == (False, 4404)
    await communicator.disconnect()


async def test_unknown_and_oversized_frames_are_answered_not_crashed(flows, users):
    socket, _, _ = await open_socket(flow_path(flows), users["designer"])
    await socket.send_json_to({"type": "dance"})
    assert (await next_of(socket, "error"))["message"] == "unknown message type 'dance'; expected heartbeat"
    await socket.send_to(text_data="x" * 2000)
    assert (await next_of(socket, "error"))["message"] == "frames are JSON text of at most 1024 bytes"
    await socket.send_json_to({"type": "heartbeat"})
    assert await next_of(socket, "presence") == {"type": "presence", "users": []}
    await socket.disconnect()
