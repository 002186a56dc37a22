"""The try-it socket: authenticate, check the role, then start/message/slots/reset through the services.

Frames from the page (htmx's `ws` extension: form fields plus `HEADERS`) are answered with the
page's own partials, swapped out of band; other clients (scripts, tests) get the turn as JSON.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from channels.consumer import get_handler_name
from django.conf import settings
from django.template.loader import render_to_string
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from engine.safe_input import JsonRejected, load_json
from studio.accounts.permissions import CAN_EDIT_FLOWS, CAN_TRY, require_role
from studio.assistants.sockets import socket_assistant
from studio.core import fastjson
from studio.core.exceptions import DomainError, ValidationFailed
from studio.core.ids import id_from_text
from studio.tryit import presenters, selectors, services
from studio.tryit.groups import tryit_group_name
from studio.tryit.models import Conversation
from studio.tryit.turn_threads import TurnThreads
from studio.tryit.turns import preset_slots


logger = logging.getLogger(__name__)

KINDS = "start, message, slots, reset, ping or echo"
# A chat message is at most 2,000 characters; a frame is a few hundred bytes around it.
MAX_FRAME_BYTES = 65_536
# Turns of different conversations run side by side on these threads (turn_threads says why).
# One thread per pooled database connection: a turn holds one from its read to its write. Three
# run at once (more only fought over the GIL); a turn waiting on an action server or an LLM lets
# another run meanwhile.
RUNNING_TURNS = 3
TURN_THREADS = TurnThreads(settings.DATABASE_POOL_SIZE, running=RUNNING_TURNS)


class TryItConsumer(AsyncJsonWebsocketConsumer):
    group_name: str | None = None
    # The socket's current conversation, made by the first start/message: its id only, so an open
    # socket keeps neither the engine state nor a version snapshot alive between turns.
    conversation_id: int | None = None

    async def connect(self) -> None:
        assistant = await socket_assistant(self, *CAN_TRY)
        if assistant is None:
            return
        user = self.scope["user"]
        self.assistant, self.user = assistant, user
        # Turns of one conversation run strictly in order: the next waits for the previous reply
        # (within a process; across processes a turn is stored only on the state it read, else refused).
        self.turn_lock = asyncio.Lock()
        self.group_name = tryit_group_name(assistant.pk, user.pk)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept()

    async def dispatch(self, message: dict) -> None:
        """Channels' dispatch without its `aclose_old_connections` before every frame.

        That hop runs on asgiref's one shared thread (Channels opens no per-socket thread context,
        as Django's handler does per request), so each chat frame queued behind every other
        socket's database work. This consumer
        touches the database only in a turn thread (TurnThreads) or through
        database_sync_to_async (connect), and both give their connections back.
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
        elif kind in ("start", "message", "slots", "reset"):
            await self._chat(kind, content)
        else:
            await self._error(f"unknown message type {kind!r}; expected {KINDS}")

    async def _chat(self, kind: str, content: dict) -> None:
        html = "HEADERS" in content  # htmx's ws extension sends the request headers along
        if kind == "message" and "text" not in content:
            await self._error("field 'text' is required for a message", html=html)
            return
        try:
            async with self.turn_lock:
                reply = await asyncio.get_running_loop().run_in_executor(
                    TURN_THREADS, self._reply, kind, content, html)
        except DomainError as exc:
            await self._error(exc.message, html=html)
            return
        except Exception:  # noqa: BLE001 - one bad turn must not drop the socket
            logger.exception("try-it %s failed", kind)
            await self._error("internal error while running the assistant; the details are in the server log", html=html)
            return
        if html:
            await self.send(text_data=reply)
        else:
            await self.send_json({**reply, "type": "turn", "kind": kind})  # the frame's kind, as JSON clients expect

    def _reply(self, kind: str, content: dict, html: bool) -> dict | str:
        """Run the frame, then (for the page) render its partials, in the same turn thread (TurnThreads,
        which gives the database connection back when it runs out of work)."""
        before = self.conversation_id = self._posted_id(content)
        turn = self._run(kind, content)
        if not html:
            return turn
        return self._render(turn, new_conversation=self.conversation_id != before)

    def _posted_id(self, content: dict) -> int | None:
        """The page names its conversation in every frame (it may have been reloaded or replayed)."""
        posted = content.get("conversation")
        if posted in (None, ""):
            return self.conversation_id
        return id_from_text(str(posted)) or self.conversation_id

    def _run(self, kind: str, content: dict) -> dict:
        """One service call per frame (in a turn thread); a message before start starts one."""
        user = self.user
        if kind == "reset" and self.conversation_id is not None:
            conversation, turn = services.conversation_reset(user=user, conversation=self._conversation(),
                                                             **services.pin_choice(content))
            self.conversation_id = conversation.pk
            return turn
        if kind == "slots":
            if self.conversation_id is None:
                raise ValidationFailed.one("conversation", msg="start a conversation before setting slots")
            values = content.get("slots") if isinstance(content.get("slots"), dict) else \
                {str(content.get("slot") or ""): content.get("value")}
            return services.conversation_slots_set(user=user, conversation=self._conversation(), values=values)
        if kind != "message" or self.conversation_id is None:
            if kind == "message":
                services.check_text(content.get("text"))  # before a conversation is started for it
            conversation, turn = services.conversation_start_with_slots(
                user=user, assistant=self.assistant, slots=preset_slots(content) if kind == "start" else None,
                **services.pin_choice(content))
            self.conversation_id = conversation.pk
            if kind != "message":
                return turn
        return services.conversation_turn(user=user, conversation=self._conversation(), text=content.get("text"))

    def _render(self, turn: dict, *, new_conversation: bool) -> str:
        """The page's partials for this turn: a new conversation replaces the whole panel, a turn
        of the same one appends its chat lines and timeline entry and replaces the inspector."""
        csrf = {"csrf_token": self.scope.get("cookies", {}).get(settings.CSRF_COOKIE_NAME, "")}
        if new_conversation:
            conversation = selectors.conversation_view_for_user(self.user, self.assistant, self.conversation_id)
            turns = selectors.turn_dicts(conversation)
            context = presenters.page_context(self.assistant, conversation, turns, turns[-1] if turns else None, None,
                                              slot_names=services.slot_names(self.assistant),
                                              can_save_tests=require_role(self.user, self.assistant) in CAN_EDIT_FLOWS)
            return render_to_string("tryit/page.html#panel", {**context, **csrf, "oob": True})
        context = presenters.page_context(self.assistant, self._conversation(), [turn], turn, None)
        return render_to_string("tryit/page.html#ws_turn", {**context, **csrf, "oob": True})

    def _conversation(self) -> Conversation:
        """A row handle for the services (they read the row themselves), dropped after the turn."""
        return Conversation(pk=self.conversation_id, assistant=self.assistant, user=self.user)

    async def _error(self, message: str, *, html: bool = False) -> None:
        if html:
            await self.send(text_data=render_to_string("tryit/page.html#ws_error", {"error": message, "oob": True}))
        else:
            await self.send_json({"type": "error", "message": message})

    @classmethod
    async def encode_json(cls, content: Any) -> str:
        return fastjson.dumps_text(content)  # a turn with its inspector data is the busiest frame there is

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
