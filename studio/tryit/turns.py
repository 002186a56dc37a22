"""What a stored turn adds to the engine's Turn: its latency split, the conversation's outcome and
flows touched, and slots set by hand (converted by the slot's type, as the engine does)."""
from __future__ import annotations

import contextlib
import json
import time
from typing import Any, Callable

import engine
from engine.model.domain import BOOKKEEPING_SLOTS
from engine.tracker import TurnRecord
from studio.core.exceptions import ValidationFailed
from studio.tryit.models import Outcome
from studio.tryit.turn_threads import waiting

HANDOFF_PATTERN = "pattern_human_handoff"
INTERNAL_ERROR_PATTERN = "pattern_internal_error"


# The command generators that wait on the network (an LLM server); the others only compute.
NETWORK_GENERATORS = frozenset({"llm"})


class TurnTimer:
    """A turn's wall time split into understanding (the command generator), actions (custom
    action calls) and execution (everything else the engine did).

    The engine does not time its own parts, so the per-turn copies of the generator and the action
    runner are wrapped for this turn only; the shared ones (runtime.Runtime) are left as they are.
    The wrappers also give the turn's running slot to another chat while this one waits on an action
    server or an LLM (turn_threads.waiting).
    """

    def __init__(self, chat: engine.Conversation) -> None:
        self.understanding = self.actions = self.total = 0.0
        if chat.generator is not None:
            remote = getattr(chat.generator, "name", None) in NETWORK_GENERATORS
            chat.generator = _Timed(chat.generator, "generate", self, "understanding", waits=remote)
        if chat.actions is not None:
            chat.actions = _Timed(chat.actions, "run", self, "actions", waits=True)

    def run(self, call: Callable[..., Any], *args: Any) -> Any:
        started = time.perf_counter()
        try:
            return call(*args)
        finally:
            self.total += time.perf_counter() - started

    def split(self) -> dict[str, float]:
        ms = lambda seconds: round(seconds * 1000, 1)  # noqa: E731
        execution = max(self.total - self.understanding - self.actions, 0.0)
        return {"understanding_ms": ms(self.understanding), "execution_ms": ms(execution),
                "actions_ms": ms(self.actions), "total_ms": ms(self.total)}


class _Timed:
    """Times one method of a wrapped object (`waits`: a call that waits on the network, run within
    turn_threads.waiting); every other attribute is the object's own."""

    def __init__(self, wrapped: Any, method: str, timer: TurnTimer, bucket: str, *, waits: bool) -> None:
        self._wrapped, self._method, self._timer, self._bucket = wrapped, method, timer, bucket
        self._around = waiting if waits else contextlib.nullcontext

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._wrapped, name)
        if name != self._method:
            return attribute

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                with self._around():
                    return attribute(*args, **kwargs)
            finally:
                setattr(self._timer, self._bucket, getattr(self._timer, self._bucket) + time.perf_counter() - started)
        return timed


def is_pattern(flow_id: str) -> bool:
    return flow_id.startswith("pattern_")  # Rasa's naming rule for its conversation patterns


def flows_touched(before: list[str], flow_events: list[str]) -> list[str]:
    """User flows started so far, in the order they were first started."""
    touched = list(before or [])
    for item in flow_events:
        kind, _, flow_id = item.partition(":")
        if kind == "started" and not is_pattern(flow_id) and flow_id not in touched:
            touched.append(flow_id)
    return touched


def outcome_after(before: str, turn: engine.Turn, chat: engine.Conversation) -> str:
    """The conversation's outcome after this turn: a hand-off sticks; a user flow on the stack is in
    progress; else the last user flow that ended this turn says completed or cancelled."""
    started = [item.partition(":")[2] for item in turn.flows if item.startswith("started:")]
    # A `link: pattern_human_handoff` puts the pattern on the stack without a "started" event.
    mentioned = {item.partition(":")[2] for item in turn.flows} | set(chat.tracker.stack.flow_ids())
    if before == Outcome.HANDED_OFF or HANDOFF_PATTERN in mentioned:
        return Outcome.HANDED_OFF
    if chat.tracker.stack.top_user_frame(ignore_call_and_link=False) is not None:
        return Outcome.IN_PROGRESS
    if turn.error or INTERNAL_ERROR_PATTERN in started:
        return Outcome.FAILED
    # A cancelled flow is also "completed" when pattern_cancel_flow removes its frame, just after.
    cancelled = {item.partition(":")[2] for item in turn.flows if item.startswith("cancelled:")}
    for item in reversed(turn.flows):
        kind, _, flow_id = item.partition(":")
        if not is_pattern(flow_id) and kind in ("completed", "cancelled"):
            return Outcome.CANCELLED if flow_id in cancelled else Outcome.COMPLETED
    return before or Outcome.IN_PROGRESS


def slot_values_parse(assistant: engine.Assistant, raw: dict[str, Any]) -> dict[str, Any]:
    """Typed values for slots typed in by hand; a bad one is a 422 naming `slots.<name>`."""
    values = {}
    for name, text in raw.items():
        slot = assistant.slots.get(name)
        if slot is None or name in BOOKKEEPING_SLOTS:
            raise ValidationFailed.one("slots", name, msg="this assistant has no such slot")
        values[name] = _slot_value(slot, text)
    return values


def _slot_value(slot: Any, text: Any) -> Any:
    field = ("slots", slot.name)
    if text is None:
        return None
    text = str(text).strip()
    if text in ("", "null"):
        return None  # how Rasa empties a slot
    value: Any = text
    if slot.type in ("list", "any"):
        try:
            value = json.loads(text)
        except ValueError:
            value = text
    value = slot.coerce(value)
    if slot.is_valid(value):
        return value
    if slot.type == "float":
        bounds = f" between {slot.min_value} and {slot.max_value}" if slot.min_value is not None else ""
        raise ValidationFailed.one(*field, msg=f"must be a number{bounds} (got {text!r})")
    if slot.type == "bool":
        raise ValidationFailed.one(*field, msg=f"must be true or false (got {text!r})")
    if slot.type == "categorical":
        raise ValidationFailed.one(*field, msg=f"must be one of {', '.join(slot.options)} (got {text!r})")
    raise ValidationFailed.one(*field, msg=f"is not a valid {slot.type} value (got {text!r})")


def slots_apply(chat: engine.Conversation, values: dict[str, Any]) -> engine.Turn:
    """Set slots outside any message, like a SlotSet event sent to Rasa's tracker API: the slots
    change (and say so in the events), the dialogue does not move until the next message."""
    tracker = chat.tracker
    tracker.turn = TurnRecord()
    before = dict(tracker.slots)
    tracker.event("slots_set_by_hand", slots=dict(values))
    for name, value in values.items():
        tracker.set_slot(name, value)
    changed = {name: tracker.slots[name] for name in values if before.get(name) != tracker.slots[name]
               or type(before.get(name)) is not type(tracker.slots[name])}
    return engine.Turn(user="", messages=[], slots=changed, flows=[], stack=tracker.stack.flow_ids(),
                       commands=[], events=tracker.turn.events)


PRESET_PREFIX = "slot__"  # the new-conversation form's preset slot fields (`slot__size`), page and socket alike


def preset_slots(fields: Any) -> dict[str, Any]:
    """Preset slots from the new-conversation form's fields, or from a JSON client's `slots` object."""
    if isinstance(fields.get("slots"), dict):
        return fields["slots"]
    return {key[len(PRESET_PREFIX):]: value for key, value in fields.items() if key.startswith(PRESET_PREFIX)}
