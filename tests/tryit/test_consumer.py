"""The try-it socket through the real ASGI app: chat frames, roles, and bad frames answered, not crashed."""
import pytest
from asgiref.sync import sync_to_async

from tests.sockets import open_socket as open_path

pytestmark = pytest.mark.django_db(transaction=True)


async def open_socket(slug: str, user):
    return await open_path(f"/ws/assistants/{slug}/tryit/", user)


async def ask(communicator, frame):
    await communicator.send_json_to(frame)
    return await communicator.receive_json_from(timeout=10)


async def test_a_viewer_chats_through_the_socket_and_sees_the_inspector(shop, users):
    socket, connected, _ = await open_socket(shop.slug, users["viewer"])
    assert connected
    started = await ask(socket, {"type": "start"})
    assert (started["type"], started["kind"], started["stack"]) == ("turn", "start", [])
    turn = await ask(socket, {"type": "message", "text": "start flow buy"})
    assert turn["type"] == "turn" and turn["conversation"] == started["conversation"]
    assert turn["messages"][0]["text"] == "Which fruit?"
    assert [f["flow_id"] for f in turn["stack"]] == ["pattern_collect_information", "buy"]
    assert turn["live"]["step_id"] == "ask_item"
    turn = await ask(socket, {"type": "message", "text": "/SetSlots(item=apple)"})
    assert turn["messages"][0]["text"] == "One apple, coming up."
    assert turn["stubbed"] == ["action_reserve"]
    await socket.disconnect()


async def test_a_message_before_start_starts_a_conversation(shop, users):
    socket, _, _ = await open_socket(shop.slug, users["writer"])
    turn = await ask(socket, {"type": "message", "text": "start flow buy"})
    assert turn["type"] == "turn" and turn["messages"][0]["text"] == "Which fruit?"
    await socket.disconnect()


async def test_reset_starts_over_with_an_empty_stack(shop, users):
    socket, _, _ = await open_socket(shop.slug, users["designer"])
    first = await ask(socket, {"type": "start"})
    await ask(socket, {"type": "message", "text": "start flow buy"})
    reset = await ask(socket, {"type": "reset"})
    assert reset["kind"] == "reset" and reset["stack"] == [] and reset["conversation"] != first["conversation"]
    await socket.disconnect()


async def test_the_outsider_cannot_open_the_socket(shop, users):
    communicator, connected, code = await open_socket(shop.slug, users["outsider"])
    assert (connected, code) == (False, 4404)


@pytest.mark.parametrize(("frame", "message"), [
    ({"type": "message"}, "field 'text' is required for a message"),
    ({"type": "message", "text": 7}, "text: must be a string"),
    ({"type": "message", "text": "x" * 2001}, "text: must be at most 2000 characters (got 2001)"),
    ({"type": "dance"}, "unknown message type 'dance'; expected start, message, slots, reset, ping or echo"),
    ({"text": "hi"}, "unknown message type None; expected start, message, slots, reset, ping or echo"),
    ([1, 2], "messages must be JSON objects"),
    ("hello", "messages must be JSON objects"),
])
async def test_bad_frames_get_an_error_naming_the_problem_and_the_socket_stays_usable(shop, users, frame, message):
    socket, _, _ = await open_socket(shop.slug, users["viewer"])
    assert await ask(socket, frame) == {"type": "error", "message": message}
    assert await ask(socket, {"type": "ping"}) == {"type": "pong"}
    await socket.disconnect()


async def test_text_that_is_not_json_gets_an_error(shop, users):
    socket, _, _ = await open_socket(shop.slug, users["viewer"])
    await socket.send_to(text_data="{not json")
    assert await socket.receive_json_from() == {"type": "error", "message": "messages must be JSON objects"}
    await socket.disconnect()


async def test_a_broken_assistant_answers_with_the_problem_not_a_dropped_socket(shop, users):
    from studio.assistants.models import Flow

    await sync_to_async(lambda: Flow.objects.filter(assistant=shop, flow_id="buy").update(
        steps=[{"collect": "item", "next": "nowhere"}]))()
    await sync_to_async(lambda: type(shop).objects.filter(pk=shop.pk).update(revision=999))()
    socket, _, _ = await open_socket(shop.slug, users["viewer"])
    reply = await ask(socket, {"type": "start"})
    assert reply["type"] == "error"
    assert reply["message"].startswith("The assistant cannot run until these are fixed:") and "flow 'buy'" in reply["message"]
    assert await ask(socket, {"type": "ping"}) == {"type": "pong"}
    await socket.disconnect()


@pytest.mark.parametrize(("text", "message"), [
    ("[" * 30_000 + "]" * 30_000, "nesting deeper than 100 levels"),
    ('{"type": "message", "text": ' + "[" * 5_000 + "]" * 5_000 + "}", "nesting deeper than 100 levels"),
    ('{"type": "message", "text": "a\\u0000b"}', "text: must not contain NUL characters (\\u0000)"),
    ('{"type": "message", "text": "a\\ud800b"}', "text: must not contain a lone surrogate (\\ud800)"),
    ('{"type": "echo", "text": "' + "x" * 70_000 + '"}', "the message is too large (70,028 bytes; at most 65,536)"),
], ids=["deep", "deep-inside", "nul", "surrogate", "huge"])
async def test_deep_huge_or_unstorable_frames_get_an_error_and_the_socket_stays_usable(shop, users, text, message):
    socket, _, _ = await open_socket(shop.slug, users["viewer"])
    await socket.send_to(text_data=text)
    assert await socket.receive_json_from(timeout=10) == {"type": "error", "message": message}
    assert await ask(socket, {"type": "ping"}) == {"type": "pong"}
    await socket.disconnect()
