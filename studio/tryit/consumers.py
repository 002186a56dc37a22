"""The try-it socket: authenticate, check the role, then start/message/reset through the services."""
from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from django.conf import settings
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from engine.safe_input import JsonRejected, load_json
from studio.accounts import password_gate
from studio.accounts.permissions import CAN_TRY
from studio.assistants.selectors import assistant_get_for_user
from studio.core.exceptions import DomainError, Forbidden
from studio.tryit import services
from studio.tryit.groups import tryit_group_name
from studio.tryit.models import Conversation

logger = logging.getLogger(__name__)

# Close codes in the 4000 range mirror HTTP statuses so the browser can tell why.
CLOSE_UNAUTHENTICATED, CLOSE_FORBIDDEN, CLOSE_NOT_FOUND = 4401, 4403, 4404


KINDS = "start, message, reset, ping or echo"
# A chat message is at most 2,000 characters; a frame is a few hundred bytes around it.
MAX_FRAME_BYTES = 65_536
# Turns of different conversations run side by side in this pool, not on Channels' one shared
# thread (thread_sensitive), where a turn waiting on a slow action server held up every chat.
# One thread per pooled database connection: a turn holds one from its row lock to its commit.
TURN_THREADS = ThreadPoolExecutor(max_workers=settings.DATABASE_POOL_SIZE, thread_name_prefix="tryit-turn")


class TryItConsumer(AsyncJsonWebsocketConsumer):
    group_name: str | None = None
    # The socket's current conversation, made by the first start/message: its id only, so an open
    # socket keeps neither the engine state nor a version snapshot alive between turns.
    conversation_id: int | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        if await database_sync_to_async(password_gate.change_required)(self.scope["session"]):
            await self.close(code=CLOSE_FORBIDDEN)  # the pages send this user to change the password
            return
        slug = self.scope["url_route"]["kwargs"]["slug"]
        try:
            assistant = await database_sync_to_async(assistant_get_for_user)(user, slug, *CAN_TRY)
        except DomainError as exc:
            await self.close(code=CLOSE_FORBIDDEN if isinstance(exc, Forbidden) else CLOSE_NOT_FOUND)
            return
        self.assistant, self.user = assistant, user
        # Turns of one conversation run strictly in order: the next waits for the previous reply
        # (within a process; the row lock in conversation_turn orders them across processes).
        self.turn_lock = asyncio.Lock()
        self.group_name = tryit_group_name(assistant.pk, user.pk)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept()

    async def dispatch(self, message: dict) -> None:
        """Channels' dispatch without its `aclose_old_connections` before every frame.

        That hop runs on the one thread that also serves every synchronous view, so each chat
        frame queued behind page renders (and behind anything else waiting there). This consumer
        touches the database only through database_sync_to_async, which closes its connections.
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def disconnect(self, code: int) -> None:
        if self.group_name:
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict):
            await self._error("messages must be JSON objects")
            return
        kind = content.get("type")
        if kind == "ping":
            await self.send_json({"type": "pong"})
        elif kind == "echo":
            await self.send_json({"type": "echo", "text": str(content.get("text", ""))})
        elif kind in ("start", "message", "reset"):
            await self._chat(kind, content)
        else:
            await self._error(f"unknown message type {kind!r}; expected {KINDS}")

    async def _chat(self, kind: str, content: dict) -> None:
        if kind == "message" and "text" not in content:
            await self._error("field 'text' is required for a message")
            return
        run = database_sync_to_async(self._run, thread_sensitive=False, executor=TURN_THREADS)
        try:
            async with self.turn_lock:
                turn = await run(kind, content.get("text"))
        except DomainError as exc:
            await self._error(exc.message)
            return
        except Exception:  # noqa: BLE001 - one bad turn must not drop the socket
            logger.exception("try-it %s failed", kind)
            await self._error("internal error while running the assistant; the details are in the server log")
            return
        await self.send_json({"type": "turn", "kind": kind, **turn})

    def _run(self, kind: str, text: Any) -> dict:
        """One service call per frame (in a turn thread, its database connection closed after by
        database_sync_to_async); a message before start starts one."""
        if kind == "reset" and self.conversation_id is not None:
            conversation, turn = services.conversation_reset(user=self.user, conversation=self._conversation())
            self.conversation_id = conversation.pk
            return turn
        if kind != "message" or self.conversation_id is None:
            conversation, turn = services.conversation_start(user=self.user, assistant=self.assistant)
            self.conversation_id = conversation.pk
            if kind != "message":
                return turn
        return services.conversation_turn(user=self.user, conversation=self._conversation(), text=text)

    def _conversation(self) -> Conversation:
        """A row handle for the services (they read the row themselves), dropped after the turn."""
        return Conversation(pk=self.conversation_id, assistant=self.assistant, user=self.user)

    async def _error(self, message: str) -> None:
        await self.send_json({"type": "error", "message": message})

    @classmethod
    async def decode_json(cls, text_data: str) -> Any:
        """Frames are read within limits: bytes first, then depth and storable text (engine.safe_input)."""
        size = len(text_data.encode("utf-8", "surrogatepass"))
        if size > MAX_FRAME_BYTES:
            raise JsonRejected((), f"the message is too large ({size:,} bytes; at most {MAX_FRAME_BYTES:,})")
        return load_json(text_data)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any) -> None:
        try:
            await super().receive(text_data=text_data, bytes_data=bytes_data, **kwargs)
        except JsonRejected as exc:
            await self._error(str(exc))
        except ValueError:
            await self._error("messages must be JSON objects")

    async def tryit_event(self, event: dict[str, Any]) -> None:
        """Relay a server-side event (group_send type "tryit.event") to the browser."""
        await self.send_json(event["payload"])
