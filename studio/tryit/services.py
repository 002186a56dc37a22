"""Try-it conversations: start, send a message, reset. The consumer and the pages both call these."""
from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import NoReverseMatch, reverse

import engine
from engine.errors import EngineError
from engine.model.domain import BOOKKEEPING_SLOTS
from studio.accounts.permissions import CAN_TRY, require_role
from studio.assistants.models import Assistant, Flow
from studio.core.exceptions import NotFound, ValidationFailed
from studio.core.ids import id_from_text
from studio.tryit.models import Conversation
from studio.tryit.presenters import external_call_notes
from studio.tryit.runtime import (
    TryItUnavailable, actions_for, engine_assistant, generator_for, latest_ready_version, plain, source_for,
)

MAX_TEXT = 2000  # longer than any LLM input limit; the engine applies the assistant's own limit


def conversation_start(*, user, assistant: Assistant) -> tuple[Conversation, dict[str, Any]]:
    """A new conversation on the latest ready version (else the current content), session started."""
    require_role(user, assistant, *CAN_TRY)
    source = source_for(assistant, latest_ready_version(assistant))
    built = engine_assistant(assistant, source)
    chat = engine.Conversation(built, generator=generator_for(assistant, built), actions=actions_for(built))
    turn = chat.start_session()
    conversation = Conversation.objects.create(assistant=assistant, user=user, version=source.version,
                                               state=chat.to_json())
    return conversation, _turn_dict(conversation, chat, turn, source.label)


@transaction.atomic
def conversation_turn(*, user, conversation: Conversation, text: str) -> dict[str, Any]:
    """Run one user message and save the new state; the dict is what the chat and inspector show."""
    _check_text(text)
    # Locked so two tabs sending at once cannot both start from the same state.
    # of=self: PostgreSQL cannot lock the nullable side of the outer join to version.
    locked = Conversation.objects.select_for_update(of=("self",)).select_related("assistant", "version").filter(
        pk=conversation.pk).first()
    if locked is None:
        raise NotFound("This conversation was reset or deleted; press Reset to start a new one")
    given, conversation = conversation, locked
    _require_own(user, conversation)
    assistant = conversation.assistant
    source = source_for(assistant, conversation.version)
    built = engine_assistant(assistant, source)
    try:
        chat = engine.Conversation.from_json(built, conversation.state, generator=generator_for(assistant, built))
    except EngineError as exc:
        raise TryItUnavailable(f"This conversation cannot continue ({exc}); press Reset to start over") from None
    chat.actions = actions_for(built) or chat.actions
    turn = chat.handle(text)
    conversation.state = chat.to_json()
    conversation.save(update_fields=["state", "updated_at"])
    given.state = conversation.state  # the caller's instance shows the new transcript too
    return _turn_dict(conversation, chat, turn, source.label)


def conversation_reset(*, user, conversation: Conversation) -> tuple[Conversation, dict[str, Any]]:
    """Forget the conversation and start a fresh one (on the latest ready version)."""
    _require_own(user, conversation)
    assistant = conversation.assistant
    conversation.delete()
    return conversation_start(user=user, assistant=assistant)


def conversation_get_for_user(user, assistant: Assistant, conversation_id: Any) -> Conversation:
    """The user's own conversation on this assistant; anything else is not found."""
    require_role(user, assistant, *CAN_TRY)
    pk = id_from_text(str(conversation_id))
    conversation = None
    if pk is not None:
        conversation = Conversation.objects.filter(pk=pk, assistant=assistant, user=user).first()
    if conversation is None:
        raise NotFound(f"Conversation {conversation_id!r} not found")
    return conversation


def _require_own(user, conversation: Conversation) -> None:
    require_role(user, conversation.assistant, *CAN_TRY)
    if conversation.user_id != user.pk:
        raise NotFound(f"Conversation {conversation.pk!r} not found")


def _check_text(text: Any) -> None:
    if not isinstance(text, str):
        raise ValidationFailed.one("text", msg="must be a string")
    if "\x00" in text:
        raise ValidationFailed.one("text", msg="must not contain NUL characters")
    if len(text) > MAX_TEXT:
        raise ValidationFailed.one("text", msg=f"must be at most {MAX_TEXT} characters (got {len(text)})")


def _turn_dict(conversation: Conversation, chat: engine.Conversation, turn: engine.Turn, source: str) -> dict:
    """Everything the chat column and the inspector show for one turn, JSON-safe."""
    understanding = next((e for e in turn.events if e.get("event") == "understanding"), None)
    return plain({
        "conversation": conversation.pk,
        "source": source,
        "user": turn.user,
        "messages": [_message(m) for m in turn.messages],
        "changed_slots": turn.slots,
        "slots": {k: v for k, v in sorted(chat.tracker.slots.items()) if k not in BOOKKEEPING_SLOTS},
        "flows": turn.flows,
        "stack": _stack(chat),
        "commands": turn.commands,
        "understanding": {k: v for k, v in (understanding or {}).items() if k != "event"} or None,
        "events": turn.events,
        "stubbed": [e["name"] for e in turn.events if e.get("event") == "action_stubbed"],
        "external_calls": external_call_notes(turn.events),
        "error": turn.error,
        "live": _live_step(conversation.assistant, chat),
    })


def _message(message: dict) -> dict:
    shown = {"text": message.get("text") or "", "response": message.get("response"),
             "buttons": [{"title": b.get("title") or b.get("payload") or "", "payload": b.get("payload") or ""}
                         for b in message.get("buttons") or []]}
    if message.get("custom") is not None:
        shown["custom"] = message["custom"]
    if message.get("image"):
        shown["image"] = message["image"]
    return shown


def _stack(chat: engine.Conversation) -> list[dict]:
    """Frames top first, as the inspector lists them."""
    return [{"flow_id": f.flow_id, "step_id": f.step_id, "type": f.frame_type or "pattern", "frame_id": f.frame_id}
            for f in reversed(chat.tracker.stack.frames)]


def _live_step(assistant: Assistant, chat: engine.Conversation) -> dict | None:
    """The innermost user flow (else the running pattern) and its step, with the editor's deep link
    when the flow is stored in the studio (default patterns are not)."""
    stack = chat.tracker.stack
    frame = stack.top_user_frame(ignore_call_and_link=False) or stack.top_flow_frame()
    if frame is None:
        return None
    url = None
    if Flow.objects.filter(assistant=assistant, flow_id=frame.flow_id).exists():
        try:
            url = reverse("flow_editor", args=[assistant.slug, frame.flow_id]) + f"#step={frame.step_id}"
        except NoReverseMatch:  # the editor app is not installed
            url = None
    top = stack.top()
    pattern = top.flow_id if top is not None and not top.is_user and top is not frame else None
    return {"flow_id": frame.flow_id, "step_id": frame.step_id, "editor_url": url, "pattern": pattern}
