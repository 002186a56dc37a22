"""The presence socket: who else has a flow or a response open, and "X saved revision N".

Presence lives only in the channel layer's groups (in memory or Redis), never in the database:
a newcomer announces itself to the item's group and everyone there answers it directly; each
socket keeps the list of the others it heard from and forgets one that stops heartbeating.
A socket opened on a list (no name) hears only the "saved" announcements, so the list can refresh.
"""
from __future__ import annotations

import time
from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from studio.accounts.permissions import CAN_READ
from studio.assistants.sockets import CLOSE_NOT_FOUND, socket_assistant
from studio.editor.presence_groups import KINDS, presence_group_name

HEARTBEAT_SECONDS = 20  # the page's heartbeat; also sent to it on connect
EXPIRY_SECONDS = 3 * HEARTBEAT_SECONDS  # a socket silent this long (a killed tab) is no longer listed
MAX_FRAME_BYTES = 1024  # frames are {"type": "heartbeat"}; anything bigger is not ours


def clock() -> float:
    """Seconds on a monotonic clock; tests replace this to let a heartbeat expire."""
    return time.monotonic()


class PresenceConsumer(AsyncJsonWebsocketConsumer):
    group_name: str | None = None

    async def connect(self) -> None:
        assistant = await socket_assistant(self, *CAN_READ)
        if assistant is None:
            return
        kwargs = self.scope["url_route"]["kwargs"]
        if kwargs["kind"] not in KINDS:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.username = self.scope["user"].get_username()
        self.item = kwargs.get("name")  # None on a list page
        self.others: dict[str, tuple[str, float]] = {}  # channel -> (username, last heard)
        self.group_name = presence_group_name(assistant.pk, kwargs["kind"], self.item)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "heartbeat": HEARTBEAT_SECONDS})
        if self.item is not None:
            await self._announce(answer=True)

    async def disconnect(self, code: int) -> None:
        if self.group_name:
            if self.item is not None:
                await self.channel_layer.group_send(self.group_name, {"type": "presence.gone",
                                                                      "channel": self.channel_name})
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any) -> None:
        if text_data is None or len(text_data) > MAX_FRAME_BYTES:
            await self.send_json({"type": "error", "message": f"frames are JSON text of at most {MAX_FRAME_BYTES} bytes"})
            return
        await super().receive(text_data=text_data, **kwargs)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "heartbeat":
            if self.item is not None:
                await self._announce(answer=False)
            await self._send_users()  # also drops the ones whose heartbeat stopped
        else:
            await self.send_json({"type": "error", "message": f"unknown message type {kind!r}; expected heartbeat"})

    async def _announce(self, *, answer: bool) -> None:
        await self.channel_layer.group_send(self.group_name, {
            "type": "presence.here", "channel": self.channel_name, "user": self.username, "answer": answer})

    async def _send_users(self) -> None:
        now = clock()
        self.others = {c: (u, at) for c, (u, at) in self.others.items() if now - at < EXPIRY_SECONDS}
        await self.send_json({"type": "presence", "users": sorted({u for u, _ in self.others.values()})})

    # --- channel-layer events -------------------------------------------------------------------

    async def presence_here(self, event: dict) -> None:
        if event["channel"] == self.channel_name:
            return
        known = event["channel"] in self.others
        self.others[event["channel"]] = (event["user"], clock())
        if event["answer"]:  # a newcomer: tell it that this socket is here too
            await self.channel_layer.send(event["channel"], {
                "type": "presence.here", "channel": self.channel_name, "user": self.username, "answer": False})
        if not known:
            await self._send_users()

    async def presence_gone(self, event: dict) -> None:
        if self.others.pop(event["channel"], None) is not None:
            await self._send_users()

    async def presence_saved(self, event: dict) -> None:
        await self.send_json({"type": "saved", "kind": event["kind"], "name": event["name"],
                              "revision": event["revision"], "by": event["by"]})
