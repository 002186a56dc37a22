"""Try-it conversations: start, send a message, reset. The consumer and the pages both call these."""
from __future__ import annotations

import functools
from typing import Any

from django.db import transaction
from django.urls import NoReverseMatch, get_script_prefix, reverse

import engine
from engine.errors import EngineError
from engine.model.domain import BOOKKEEPING_SLOTS
from studio.accounts.permissions import CAN_MANAGE, CAN_TRY, require_role
from studio.assistants.models import Assistant, Slot
from studio.core.exceptions import Conflict, NotFound, ValidationFailed
from studio.core.ids import id_from_text
from studio.tryit.models import Conversation, ConversationTurn, Outcome, TurnKind
from studio.tryit.presenters import external_call_notes
from studio.tryit.rows import conversation_create, conversation_forget, conversation_read, conversation_turn_save
from studio.tryit.runtime import (
    Runtime, Source, TryItUnavailable, content_source, plain, runtime_for, source_for, version_source,
)
from studio.tryit.turns import TurnTimer, flows_touched, outcome_after, slot_values_parse, slots_apply
from studio.tryit.wording import humane_turn

MAX_TEXT = 2000  # longer than any LLM input limit; the engine applies the assistant's own limit


def conversation_start(*, user, assistant: Assistant, version: Any = None) -> tuple[Conversation, dict[str, Any]]:
    """A new conversation, session started, on the current content (a draft build, redone only after
    an edit), or pinned to the ready version numbered `version` (a 422 naming `version` otherwise)."""
    require_role(user, assistant, *CAN_TRY)
    return _start(user, assistant, version)


def _start(user, assistant: Assistant, version: Any = None) -> tuple[Conversation, dict[str, Any]]:
    return _start_on(user, assistant, source_for(assistant, version))


def _start_on(user, assistant: Assistant, source: Source, *,
              replacing: int | None = None) -> tuple[Conversation, dict[str, Any]]:
    """The session started by the engine, then the conversation stored with that first turn (and, on a
    reset, the one it replaces deleted) in one write."""
    runtime = runtime_for(assistant, source)
    chat = engine.Conversation(runtime.assistant, generator=runtime.generator(assistant),
                               actions=runtime.actions(source))
    timer = TurnTimer(chat)
    turn = timer.run(chat.start_session)
    humane_turn(turn, chat)
    conversation = Conversation(assistant=assistant, user=user, version_id=source.version_id)
    data = _turn_dict(conversation, chat, turn, source.label, runtime)
    _turn_finish(conversation, chat, turn, data, timer, kind=TurnKind.START)
    conversation_create(conversation, chat.to_json(), data, kind=str(TurnKind.START), replacing=replacing)
    return conversation, data


def conversation_turn(*, user, conversation: Conversation, text: str) -> dict[str, Any]:
    """Run one user message and save the new state; the dict is what the chat and inspector show.

    Besides the engine, a turn is one read (the row, the few assistant fields a turn needs, the
    role) and one write (the row with the stored turn); everything else was built once per
    definition (runtime.Runtime).
    """
    check_text(text)
    row = _read(conversation.pk, user)
    turn = _turn(user, row, text)
    conversation.state = row.state  # the caller's instance shows the new transcript too
    return turn


def _turn(user, conversation: Conversation, text: str) -> dict[str, Any]:
    chat, source, runtime = _resume(user, conversation)
    pressed = _button_title(chat, text)
    timer = TurnTimer(chat)
    turn = timer.run(chat.handle, text)
    humane_turn(turn, chat)
    data = _turn_dict(conversation, chat, turn, source.label, runtime)
    if pressed:
        data["button_title"] = pressed
    return _turn_store(conversation, chat, turn, data, timer, kind=TurnKind.MESSAGE)


def _button_title(chat: engine.Conversation, text: str) -> str | None:
    """The title of the button the bot just offered whose payload is this text (the chat shows what
    was pressed, not `/SetSlots(...)`)."""
    for message in chat.tracker.previous_bot_block:
        for button in message.get("buttons") or []:
            if isinstance(button, dict) and button.get("payload") == text and button.get("title"):
                return str(button["title"])
    return None


def _resume(user, conversation: Conversation) -> tuple[engine.Conversation, Source, Runtime]:
    """The engine conversation of a row just read, on the definition it runs (cached per source)."""
    _require_own(user, conversation, member_role=conversation.member_role)
    assistant = conversation.assistant
    source = _row_source(conversation)
    runtime = runtime_for(assistant, source)
    try:
        chat = engine.Conversation.from_json(runtime.assistant, conversation.state,
                                             generator=runtime.generator(assistant))
    except EngineError as exc:
        raise TryItUnavailable(f"This conversation cannot continue ({exc}); press Reset to start over") from None
    chat.actions = runtime.actions(source)
    return chat, source, runtime


def _turn_finish(conversation: Conversation, chat: engine.Conversation, turn: engine.Turn, data: dict,
                 timer: TurnTimer, *, kind: str) -> None:
    """The row's flows and outcome after the turn; the turn dict gains its index, kind, latency split
    and the outcome after it."""
    conversation.flows = flows_touched(conversation.flows, turn.flows)
    conversation.outcome = outcome_after(conversation.outcome, turn, chat)
    data.update(index=conversation.turn_count, kind=str(kind), latency=timer.split(), outcome=str(conversation.outcome))


def _turn_store(conversation: Conversation, chat: engine.Conversation, turn: engine.Turn, data: dict,
                timer: TurnTimer, *, kind: str) -> dict[str, Any]:
    """Save the state, flows and outcome and store the turn (one UPDATE, one INSERT)."""
    _turn_finish(conversation, chat, turn, data, timer, kind=kind)
    if not conversation_turn_save(conversation, chat.to_json(), data, kind=str(kind),
                                  user_text=turn.user if kind == TurnKind.MESSAGE else ""):
        if not Conversation.objects.filter(pk=conversation.pk).exists():
            raise NotFound(GONE)
        # Another tab (or process) stored a turn after this one read the row: this one is dropped
        # rather than stored on a state it never saw; the transcript stays as the other left it.
        raise Conflict("This conversation moved on in another tab; reload it, then send your message again")
    return data


GONE = "This conversation was reset or deleted; press Reset to start a new one"


def _row_source(row: Conversation) -> Source:
    """The definition a row read by conversation_read runs: its pinned version, else the current content."""
    assistant = row.assistant
    if row.version_id is not None:
        return version_source(row.version_id, row.version_number, assistant.pk, assistant.revision,
                              assistant.mocks_revision)
    return content_source(assistant.pk, assistant.revision, assistant.updated_at, assistant.mocks_revision)


def _read(pk: Any, user) -> Conversation:
    conversation = conversation_read(pk, user)
    if conversation is None:
        raise NotFound(GONE)
    return conversation


KEEP_PIN = object()


def pin_choice(data: Any) -> dict[str, Any]:
    """The `version` a start or reset request chose, if it chose one (a number, or "" for the current
    content); without it a start runs the current content and a reset keeps the conversation's pin."""
    return {"version": data.get("version")} if "version" in data else {}


def conversation_reset(*, user, conversation: Conversation,
                       version: Any = KEEP_PIN) -> tuple[Conversation, dict[str, Any]]:
    """Forget the conversation and start a fresh one on the same source, or on `version` when given
    (a version number, or None/"" for the current content)."""
    # One read gives the role, the pin and the assistant's current revision (the socket hands in a
    # bare row handle, and its assistant row may be old).
    row = _read(conversation.pk, user)
    _require_own(user, row, member_role=row.member_role)
    assistant = row.assistant
    source = _row_source(row) if version is KEEP_PIN else source_for(assistant, version)
    return _start_on(user, assistant, source, replacing=row.pk)


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


def check_text(text: Any) -> None:
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
        "stack": _stack(conversation.assistant, chat, runtime.editor_flows),
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


def _stack(assistant: Assistant, chat: engine.Conversation, editor_flows: frozenset[str]) -> list[dict]:
    """Frames top first, as the inspector lists them; a studio flow's frame links to its step in the editor."""
    return [{"flow_id": f.flow_id, "step_id": f.step_id, "type": f.frame_type or "pattern", "frame_id": f.frame_id,
             "editor_url": _editor_url(assistant, f.flow_id, f.step_id, editor_flows)}
            for f in reversed(chat.tracker.stack.frames)]


def _editor_url(assistant: Assistant, flow_id: str, step_id: str | None, editor_flows: frozenset[str]) -> str | None:
    """The editor's deep link to a step, when the flow is stored in the studio (default patterns are not)."""
    if flow_id not in editor_flows:
        return None
    base = _flow_editor_path(get_script_prefix(), assistant.slug, flow_id)
    return None if base is None else base + (f"#step={step_id}" if step_id else "")


@functools.lru_cache(maxsize=4096)
def _flow_editor_path(prefix: str, slug: str, flow_id: str) -> str | None:
    """reverse() once per flow, not for every frame of every turn (the URLs never change while running)."""
    try:
        return reverse("flow_editor", args=[slug, flow_id])
    except NoReverseMatch:  # the editor app is not installed
        return None


def _live_step(assistant: Assistant, chat: engine.Conversation, editor_flows: frozenset[str]) -> dict | None:
    """The innermost user flow (else the running pattern) and its step, with the editor's deep link
    when the flow is stored in the studio (default patterns are not)."""
    stack = chat.tracker.stack
    frame = stack.top_user_frame(ignore_call_and_link=False) or stack.top_flow_frame()
    if frame is None:
        return None
    url = _editor_url(assistant, frame.flow_id, frame.step_id, editor_flows)
    top = stack.top()
    pattern = top.flow_id if top is not None and not top.is_user and top is not frame else None
    return {"flow_id": frame.flow_id, "step_id": frame.step_id, "editor_url": url, "pattern": pattern}


def slot_names(assistant: Assistant) -> list[str]:
    """The assistant's own slots, for the set-a-slot and preset forms (Rasa's built-in ones are not offered)."""
    return list(Slot.objects.filter(assistant=assistant).order_by("name").values_list("name", flat=True))


def conversation_slots_set(*, user, conversation: Conversation, values: dict[str, Any]) -> dict[str, Any]:
    """Set slots by hand (text converted by each slot's type); stored as a turn the timeline shows."""
    if not isinstance(values, dict) or not values:
        raise ValidationFailed.one("slots", msg="name at least one slot and its value")
    row = _read(conversation.pk, user)
    chat, source, runtime = _resume(user, row)
    typed = slot_values_parse(runtime.assistant, values)
    timer = TurnTimer(chat)
    turn = timer.run(slots_apply, chat, typed)
    data = _turn_store(row, chat, turn, _turn_dict(row, chat, turn, source.label, runtime), timer, kind=TurnKind.SLOTS)
    conversation.state = row.state
    return data


def conversation_start_with_slots(*, user, assistant: Assistant, slots: dict[str, Any] | None = None,
                                  version: Any = None) -> tuple[Conversation, dict[str, Any]]:
    """A new conversation (on `version` when pinned), then the preset slots (when any) set as its second turn."""
    conversation, turn = conversation_start(user=user, assistant=assistant, version=version)
    preset = {name: value for name, value in (slots or {}).items() if value not in (None, "")}
    if preset:
        try:
            turn = conversation_slots_set(user=user, conversation=conversation, values=preset)
        except ValidationFailed:
            conversation_forget(conversation.pk)  # a start with a bad preset leaves nothing behind
            raise
    return conversation, turn


MAX_TITLE = 200


def conversation_rename(*, user, conversation: Conversation, title: Any) -> Conversation:
    """Only the person who had the conversation renames it; an empty title restores the default."""
    _require_own(user, conversation)
    if not isinstance(title, str):
        raise ValidationFailed.one("title", msg="must be a string")
    title = " ".join(title.split())
    if len(title) > MAX_TITLE:
        raise ValidationFailed.one("title", msg=f"must be at most {MAX_TITLE} characters (got {len(title)})")
    Conversation.objects.filter(pk=conversation.pk).update(title=title)
    conversation.title = title
    return conversation


def conversation_delete(*, user, conversation: Conversation) -> None:
    """The person who had the conversation, or an owner of the assistant, deletes it (turns go too)."""
    _require_can_see(user, conversation)
    conversation_forget(conversation.pk)


@transaction.atomic
def conversation_fork(*, user, conversation: Conversation, index: Any) -> Conversation:
    """A new conversation of the user's own, in the state after turn `index`, with turns 0..index copied."""
    _require_can_see(user, conversation)
    position = id_from_text(str(index)) if not isinstance(index, int) else index
    if position is None or position < 0:
        raise ValidationFailed.one("turn", msg=f"must be a turn number (got {index!r})")
    turns = list(ConversationTurn.objects.filter(conversation=conversation, index__lte=position).order_by("index"))
    if not turns or turns[-1].index != position:
        raise ValidationFailed.one("turn", msg=f"this conversation has no turn {position}")
    last = turns[-1]
    fork = Conversation.objects.create(
        assistant=conversation.assistant, user=user, version_id=conversation.version_id, state=last.state,
        title=f"{conversation.display_title} · replay from turn {position}"[:MAX_TITLE],
        flows=_flows_until(turns), outcome=last.data.get("outcome") or Outcome.IN_PROGRESS, turn_count=len(turns))
    ConversationTurn.objects.bulk_create(
        ConversationTurn(conversation=fork, index=t.index, kind=t.kind, user_text=t.user_text,
                         data={**t.data, "conversation": fork.pk}, state=t.state, latency_ms=t.latency_ms)
        for t in turns)
    return fork


def _flows_until(turns: list[ConversationTurn]) -> list[str]:
    touched: list[str] = []
    for turn in turns:
        touched = flows_touched(touched, turn.data.get("flows") or [])
    return touched


def _require_can_see(user, conversation: Conversation) -> str:
    """Anyone who can try the assistant sees their own conversations; its owners see everyone's."""
    role = require_role(user, conversation.assistant, *CAN_TRY)
    if conversation.user_id != user.pk and role not in CAN_MANAGE:
        raise NotFound(f"Conversation {conversation.pk!r} not found")
    return role
