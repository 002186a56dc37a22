"""Try-it conversations: start, send a message, reset. The consumer and the pages both call these."""
from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse

import engine
from engine.errors import EngineError
from engine.model.domain import BOOKKEEPING_SLOTS
from studio.accounts.permissions import CAN_TRY, require_role
from studio.assistants.models import Assistant
from studio.core.exceptions import NotFound, ValidationFailed
from studio.core.ids import id_from_text
from studio.tryit.models import Conversation
from studio.tryit.presenters import external_call_notes
from studio.tryit.rows import conversation_locked, conversation_state_save, turn_transaction
from studio.tryit.runtime import (
    Runtime, TryItUnavailable, content_source, latest_ready_version, plain, runtime_for, source_for, version_source,
)

MAX_TEXT = 2000  # longer than any LLM input limit; the engine applies the assistant's own limit


def conversation_start(*, user, assistant: Assistant) -> tuple[Conversation, dict[str, Any]]:
    """A new conversation on the latest ready version (else the current content), session started."""
    require_role(user, assistant, *CAN_TRY)
    with turn_transaction():
        return _start(user, assistant)


def _start(user, assistant: Assistant) -> tuple[Conversation, dict[str, Any]]:
    source = source_for(assistant, latest_ready_version(assistant))
    runtime = runtime_for(assistant, source)
    chat = engine.Conversation(runtime.assistant, generator=runtime.generator(assistant), actions=runtime.actions)
    turn = chat.start_session()
    conversation = Conversation.objects.create(assistant=assistant, user=user, version_id=source.version_id,
                                               state=chat.to_json())
    return conversation, _turn_dict(conversation, chat, turn, source.label, runtime)


def conversation_turn(*, user, conversation: Conversation, text: str) -> dict[str, Any]:
    """Run one user message and save the new state; the dict is what the chat and inspector show.

    Besides the engine, a turn is one read (the locked row, the few assistant fields a turn needs,
    the role) and one write; everything else was built once per definition (runtime.Runtime).
    """
    _check_text(text)
    with turn_transaction():
        locked = _locked(conversation.pk, user)
        turn = _turn(user, locked, text)
    conversation.state = locked.state  # the caller's instance shows the new transcript too
    return turn


def _turn(user, conversation: Conversation, text: str) -> dict[str, Any]:
    _require_own(user, conversation, member_role=conversation.member_role)
    assistant = conversation.assistant
    if conversation.version_id is not None:
        source = version_source(conversation.version_id, conversation.version_number)
    else:
        source = content_source(assistant.pk, assistant.revision, assistant.updated_at)
    runtime = runtime_for(assistant, source)
    try:
        chat = engine.Conversation.from_json(runtime.assistant, conversation.state,
                                             generator=runtime.generator(assistant))
    except EngineError as exc:
        raise TryItUnavailable(f"This conversation cannot continue ({exc}); press Reset to start over") from None
    chat.actions = runtime.actions or chat.actions
    turn = chat.handle(text)
    conversation_state_save(conversation, chat.to_json())
    return _turn_dict(conversation, chat, turn, source.label, runtime)


def _locked(pk: Any, user) -> Conversation:
    """The row, locked so two tabs sending at once cannot both start from the same state."""
    conversation = conversation_locked(pk, user)
    if conversation is None:
        raise NotFound("This conversation was reset or deleted; press Reset to start a new one")
    return conversation


def conversation_reset(*, user, conversation: Conversation) -> tuple[Conversation, dict[str, Any]]:
    """Forget the conversation and start a fresh one (on the latest ready version)."""
    _require_own(user, conversation)
    assistant = conversation.assistant
    with turn_transaction():
        conversation.delete()
        return _start(user, assistant)


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


def _require_own(user, conversation: Conversation, **known: Any) -> None:
    require_role(user, conversation.assistant, *CAN_TRY, **known)
    if conversation.user_id != user.pk:
        raise NotFound(f"Conversation {conversation.pk!r} not found")


def _check_text(text: Any) -> None:
    if not isinstance(text, str):
        raise ValidationFailed.one("text", msg="must be a string")
    if "\x00" in text:
        raise ValidationFailed.one("text", msg="must not contain NUL characters")
    if len(text) > MAX_TEXT:
        raise ValidationFailed.one("text", msg=f"must be at most {MAX_TEXT} characters (got {len(text)})")


def _turn_dict(conversation: Conversation, chat: engine.Conversation, turn: engine.Turn, source: str,
               runtime: Runtime) -> dict:
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
        "live": _live_step(conversation.assistant, chat, runtime.editor_flows),
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


def _live_step(assistant: Assistant, chat: engine.Conversation, editor_flows: frozenset[str]) -> dict | None:
    """The innermost user flow (else the running pattern) and its step, with the editor's deep link
    when the flow is stored in the studio (default patterns are not)."""
    stack = chat.tracker.stack
    frame = stack.top_user_frame(ignore_call_and_link=False) or stack.top_flow_frame()
    if frame is None:
        return None
    url = None
    if frame.flow_id in editor_flows:
        try:
            url = reverse("flow_editor", args=[assistant.slug, frame.flow_id]) + f"#step={frame.step_id}"
        except NoReverseMatch:  # the editor app is not installed
            url = None
    top = stack.top()
    pattern = top.flow_id if top is not None and not top.is_user and top is not frame else None
    return {"flow_id": frame.flow_id, "step_id": frame.step_id, "editor_url": url, "pattern": pattern}
