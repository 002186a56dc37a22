"""The try-it socket: authenticate, check the role, then start/message/reset through the services."""
from __future__ import annotations

import logging
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from engine.safe_input import JsonRejected, load_json
from studio.accounts import password_gate
from studio.accounts.permissions import CAN_TRY
from studio.assistants.selectors import assistant_get_for_user
from studio.core.exceptions import DomainError, Forbidden
from studio.tryit import services
from studio.tryit.groups import tryit_group_name

logger = logging.getLogger(__name__)

# Close codes in the 4000 range mirror HTTP statuses so the browser can tell why.
CLOSE_UNAUTHENTICATED, CLOSE_FORBIDDEN, CLOSE_NOT_FOUND = 4401, 4403, 4404


KINDS = "start, message, reset, ping or echo"
# A chat message is at most 2,000 characters; a frame is a few hundred bytes around it.
MAX_FRAME_BYTES = 65_536


class TryItConsumer(AsyncJsonWebsocketConsumer):
    group_name: str | None = None
    conversation = None  # the socket's current try-it conversation, made by the first start/message

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
        self.group_name = tryit_group_name(assistant.pk, user.pk)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept()

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
        try:
            turn = await database_sync_to_async(self._run)(kind, content.get("text"))
        except DomainError as exc:
            await self._error(exc.message)
            return
        except Exception:  # noqa: BLE001 - one bad turn must not drop the socket
            logger.exception("try-it %s failed", kind)
            await self._error("internal error while running the assistant; the details are in the server log")
            return
        await self.send_json({"type": "turn", "kind": kind, **turn})

    def _run(self, kind: str, text: Any) -> dict:
        """One service call per frame (runs in a worker thread); a message before start starts one."""
        if kind == "reset" and self.conversation is not None:
            self.conversation, turn = services.conversation_reset(user=self.user, conversation=self.conversation)
            return turn
        if kind != "message" or self.conversation is None:
            self.conversation, turn = services.conversation_start(user=self.user, assistant=self.assistant)
            if kind != "message":
                return turn
        return services.conversation_turn(user=self.user, conversation=self.conversation, text=text)

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
