"""The page's socket frames (htmx's ws extension: form fields plus HEADERS) are answered with the page's
own partials, swapped out of band: the inspector is rendered once, on the server."""
import re

import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from studio.tryit.models import Conversation, ConversationTurn
from tests.tryit.test_consumer import open_socket as open_tryit_socket

pytestmark = pytest.mark.django_db(transaction=True)
HEADERS = {"HX-Request": "true", "HX-Trigger": "chat-form", "HX-Current-URL": "http://127.0.0.1:8000/"}


async def open_socket(slug: str, user):
    communicator, connected, _ = await open_tryit_socket(slug, user)
    assert connected
    return communicator


async def started(socket) -> Conversation:
    """Start a conversation from the page's socket; the stored row."""
    await send(socket, type="start")
    return await sync_to_async(Conversation.objects.get)()


async def send(socket, **fields) -> str:
    await socket.send_json_to({**fields, "HEADERS": HEADERS})
    return await socket.receive_from(timeout=10)


def without_tokens(html: str) -> str:
    return re.sub(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">', "", html)


async def test_a_start_from_the_page_gets_the_whole_panel_swapped_in(shop, users):
    socket = await open_socket(shop.slug, users["viewer"])
    html = await send(socket, type="start")
    conversation = await sync_to_async(Conversation.objects.get)()
    assert html.lstrip().startswith(f'<div class="tryit" id="tryit-panel" data-conversation="{conversation.pk}" '
                                    f'data-url="/assistants/{shop.slug}/try/c/{conversation.pk}/" hx-swap-oob="true">')
    assert f'<input type="hidden" name="conversation" value="{conversation.pk}">' in html
    assert '<span class="tl-index">0</span> <span class="tl-text">session started</span>' in html
    await socket.disconnect()


async def test_a_message_appends_its_chat_lines_and_timeline_entry_and_replaces_the_inspector(shop, users):
    socket = await open_socket(shop.slug, users["viewer"])
    conversation = await started(socket)
    html = await send(socket, type="message", text="start flow buy", conversation=str(conversation.pk))
    chat = re.search(r'<ol id="chat-log" hx-swap-oob="beforeend">(.*?)</ol>', html, re.S).group(1)
    assert re.findall(r'<li class="bubble (\w+)">([^<]*)</li>', chat) == [("user", "start flow buy"), ("bot", "Which fruit?")]
    assert re.search(r'<ol id="timeline" hx-swap-oob="beforeend">\s*<li class="tl-item tl-message" data-index="1">', html)
    assert '<div class="turn-detail" id="turn-detail" hx-swap-oob="true">' in html
    assert '<div class="chat-buttons" id="chat-buttons" hx-swap-oob="true">' in html
    assert '<input type="hidden" name="text" value="/SetSlots(item=pear)">' in html
    await socket.disconnect()


async def test_the_socket_and_the_page_render_the_same_inspector(shop, users):
    socket = await open_socket(shop.slug, users["viewer"])
    conversation = await started(socket)
    html = await send(socket, type="message", text="start flow buy", conversation=str(conversation.pk))
    await socket.disconnect()
    from_socket = re.search(r'<div class="turn-detail" id="turn-detail" hx-swap-oob="true">.*</div>', html, re.S).group(0)

    def page_partial():
        client = Client()
        client.force_login(users["viewer"])
        return client.get(f"/assistants/{shop.slug}/try/c/{conversation.pk}/?turn=1", HTTP_HX_REQUEST="true")
    from_page = (await sync_to_async(page_partial)()).content.decode()
    # The socket renders the turn it just ran, the page the stored copy: the same dict, the same partial.
    assert without_tokens(from_socket.replace(' hx-swap-oob="true"', "")).strip() == without_tokens(from_page).strip()


async def test_a_reloaded_page_continues_its_conversation_on_a_new_socket(shop, users):
    first = await open_socket(shop.slug, users["viewer"])
    conversation = await started(first)
    await first.disconnect()
    second = await open_socket(shop.slug, users["viewer"])
    html = await send(second, type="message", text="start flow buy", conversation=str(conversation.pk))
    assert "Which fruit?" in html and 'data-index="1"' in html
    assert await sync_to_async(ConversationTurn.objects.filter(conversation=conversation).count)() == 2
    await second.disconnect()


async def test_setting_a_slot_over_the_socket_shows_it_in_the_chat_and_timeline(shop, users):
    socket = await open_socket(shop.slug, users["viewer"])
    conversation = await started(socket)
    html = await send(socket, type="slots", slot="item", value="apple", conversation=str(conversation.pk))
    assert '<li class="bubble note" role="status">Set item = apple</li>' in html
    assert '<span class="tl-index">1</span> <span class="tl-text">set item = apple</span>' in html
    await socket.disconnect()


@pytest.mark.parametrize(("fields", "message"), [
    ({"type": "message", "text": "x" * 2001}, "text: must be at most 2000 characters (got 2001)"),
    ({"type": "slots", "slot": "item", "value": "kiwi"}, "slots.item: must be one of apple, pear (got &#x27;kiwi&#x27;)"),
])
async def test_errors_from_the_page_come_back_as_the_error_box(shop, users, fields, message):
    socket = await open_socket(shop.slug, users["viewer"])
    conversation = await started(socket)
    html = await send(socket, conversation=str(conversation.pk), **fields)
    assert html.strip() == f'<p class="form-error" id="tryit-error" role="alert" hx-swap-oob="true">{message}</p>'
    await socket.disconnect()


async def test_someone_elses_conversation_cannot_be_continued_over_the_socket(shop, users):
    owner = await open_socket(shop.slug, users["owner"])
    conversation = await started(owner)
    await owner.disconnect()
    socket = await open_socket(shop.slug, users["viewer"])
    html = await send(socket, type="message", text="hi", conversation=str(conversation.pk))
    assert f"Conversation {conversation.pk} not found" in html
    await socket.disconnect()
