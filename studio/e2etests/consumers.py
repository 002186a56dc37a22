"""The tests page's socket: progress of the assistant's test runs, as the rendered status partial."""
from __future__ import annotations

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from studio.accounts.permissions import CAN_READ
from studio.assistants.sockets import socket_assistant
from studio.e2etests.groups import test_runs_group_name


class TestRunsConsumer(AsyncJsonWebsocketConsumer):
    """Listen only: runs are started by the page's form (or the API), never over the socket."""

    group_name: str | None = None

    async def connect(self) -> None:
        assistant = await socket_assistant(self, *CAN_READ)
        if assistant is None:
            return
        self.group_name = test_runs_group_name(assistant.pk)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group_name:
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    async def run_progress(self, message: dict) -> None:
        await self.send(text_data=message["html"])
