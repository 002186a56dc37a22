"""The try-it socket: authenticate, check the role, then answer ping/echo (the chat comes later)."""
from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from studio.accounts.permissions import CAN_TRY
from studio.assistants.selectors import assistant_get_for_user
from studio.core.exceptions import DomainError, Forbidden
from studio.tryit.groups import tryit_group_name

# Close codes in the 4000 range mirror HTTP statuses so the browser can tell why.
CLOSE_UNAUTHENTICATED, CLOSE_FORBIDDEN, CLOSE_NOT_FOUND = 4401, 4403, 4404


class TryItConsumer(AsyncJsonWebsocketConsumer):
    group_name: str | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        slug = self.scope["url_route"]["kwargs"]["slug"]
        try:
            assistant = await database_sync_to_async(assistant_get_for_user)(user, slug, *CAN_TRY)
        except DomainError as exc:
            await self.close(code=CLOSE_FORBIDDEN if isinstance(exc, Forbidden) else CLOSE_NOT_FOUND)
            return
        self.group_name = tryit_group_name(assistant.pk, user.pk)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group_name:
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "ping":
            await self.send_json({"type": "pong"})
        elif kind == "echo":
            await self.send_json({"type": "echo", "text": str(content.get("text", ""))})
        else:
            await self.send_json({"type": "error", "message": f"unknown message type {kind!r}; expected ping or echo"})

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any) -> None:
        try:
            await super().receive(text_data=text_data, bytes_data=bytes_data, **kwargs)
        except ValueError:
            await self.send_json({"type": "error", "message": "messages must be JSON objects"})

    async def tryit_event(self, event: dict[str, Any]) -> None:
        """Relay a server-side event (group_send type "tryit.event") to the browser."""
        await self.send_json(event["payload"])
