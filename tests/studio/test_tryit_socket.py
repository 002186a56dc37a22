"""The try-it socket through the real ASGI app: authentication, roles, ping/echo, group relay."""
import os

import pytest
from channels.layers import get_channel_layer

from tests.sockets import SAME_ORIGIN, open_socket as open_path
from studio.tryit.groups import tryit_group_name

pytestmark = pytest.mark.django_db(transaction=True)


async def open_socket(slug: str, user=None, origin: bytes = SAME_ORIGIN):
    return await open_path(f"/ws/assistants/{slug}/tryit/", user, origin=origin)


@pytest.mark.parametrize("role", ("owner", "designer", "writer", "viewer"))
async def test_every_role_can_open_try_it_and_ping(assistant, users, role):
    communicator, connected, _ = await open_socket(assistant.slug, users[role])
    assert connected
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from() == {"type": "pong"}
    await communicator.send_json_to({"type": "echo", "text": "hello"})
    assert await communicator.receive_json_from() == {"type": "echo", "text": "hello"}
    await communicator.disconnect()


async def test_anonymous_socket_is_closed_with_4401(assistant):
    communicator, connected, code = await open_socket(assistant.slug)
    assert (connected, code) == (False, 4401)


async def test_outsider_socket_is_closed_with_4404(assistant, users):
    communicator, connected, code = await open_socket(assistant.slug, users["outsider"])
    assert (connected, code) == (False, 4404)


async def test_unknown_assistant_socket_is_closed_with_4404(users):
    communicator, connected, code = await open_socket("no-such-bot", users["owner"])
    assert (connected, code) == (False, 4404)


async def test_foreign_origin_is_rejected(assistant, users):
    _, connected, _ = await open_socket(assistant.slug, users["owner"], origin=b"http://evil.example")
    assert not connected


async def test_unknown_and_malformed_messages_get_an_error_reply(assistant, users):
    communicator, _, _ = await open_socket(assistant.slug, users["viewer"])
    await communicator.send_json_to({"type": "dance"})
    assert await communicator.receive_json_from() == {
        "type": "error", "message": "unknown message type 'dance'; expected start, message, slots, reset, ping or echo"
    }
    await communicator.send_to(text_data="not json")
    assert await communicator.receive_json_from() == {"type": "error", "message": "messages must be JSON objects"}
    await communicator.disconnect()


async def test_server_events_reach_the_socket_through_the_channel_layer(assistant, users):
    communicator, _, _ = await open_socket(assistant.slug, users["viewer"])
    group = tryit_group_name(assistant.pk, users["viewer"].pk)
    await get_channel_layer().group_send(group, {"type": "tryit.event", "payload": {"type": "note", "n": 1}})
    assert await communicator.receive_json_from(timeout=3) == {"type": "note", "n": 1}
    await communicator.disconnect()


@pytest.mark.services
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: no Redis channel layer to test")
async def test_socket_works_over_the_real_redis_channel_layer(assistant, users):
    from channels_redis.core import RedisChannelLayer

    layer = get_channel_layer()
    assert isinstance(layer, RedisChannelLayer)
    communicator, connected, _ = await open_socket(assistant.slug, users["designer"])
    assert connected
    group = tryit_group_name(assistant.pk, users["designer"].pk)
    await layer.group_send(group, {"type": "tryit.event", "payload": {"type": "via-redis"}})
    assert await communicator.receive_json_from(timeout=5) == {"type": "via-redis"}
    await communicator.disconnect()
