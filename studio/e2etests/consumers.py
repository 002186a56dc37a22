"""The tests page's socket: progress of the assistant's test runs, as the rendered status partial."""
from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from studio.accounts.permissions import CAN_READ
from studio.assistants.selectors import assistant_get_for_user
from studio.core.exceptions import DomainError, Forbidden
from studio.e2etests.groups import test_runs_group_name

CLOSE_UNAUTHENTICATED, CLOSE_FORBIDDEN, CLOSE_NOT_FOUND = 4401, 4403, 4404


class TestRunsConsumer(AsyncJsonWebsocketConsumer):
    """Listen only: runs are started by the page's form (or the API), never over the socket."""

    group_name: str | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        try:
            assistant = await database_sync_to_async(assistant_get_for_user)(
                user, self.scope["url_route"]["kwargs"]["slug"], *CAN_READ)
        except DomainError as exc:
            await self.close(code=CLOSE_FORBIDDEN if isinstance(exc, Forbidden) else CLOSE_NOT_FOUND)
            return
        self.group_name = test_runs_group_name(assistant.pk)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group_name:
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    async def run_progress(self, message: dict) -> None:
        await self.send(text_data=message["html"])
