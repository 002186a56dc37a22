"""Mutable dialogue state of one conversation and the record of the running turn."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.assistant import Assistant
from engine.stack import COLLECT, Frame, Stack


@dataclass
class TurnRecord:
    """What happened during one turn (bot messages, lifecycle events, inspector events)."""

    messages: list[dict] = field(default_factory=list)
    flow_events: list[str] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)


@dataclass
class CollectVisit:
    """A moment where a flow frame sat on a collect step (Rasa reads these from past stacks)."""

    user_frame_id: str | None
    flow_id: str
    step_id: str
    frame_id: str
    is_pattern: bool


_COERCED_ON_ASSIGNMENT = frozenset({"categorical", "list"})


class Tracker:
    """Slots, stack and history; the executor and the actions change it in place."""

    def __init__(self, assistant: Assistant):
        self.assistant = assistant
        self.slots: dict[str, Any] = dict(assistant.slot_defaults)
        self.ever_set: set[str] = set()
        self.stack = Stack()
        self.frame_counter = 0
        self.collect_visits: list[CollectVisit] = []
        self.snapshots: dict[str, list[dict]] = {}  # "flow|step" -> stack as it was then
        self.previous_bot_block: list[dict] = []
        self.history: list[tuple[str, str]] = []  # (role, text) for the understanding layer
        self.turn = TurnRecord()
        self.predicted_flows: list[str] = []  # start-flow commands of the current message
        self.pending_validations: list[str] = []  # slots set by commands that need validation
        self.validate_after_next_action: list[str] = []  # corrected slots that need validation
        self.flow_hashes: dict[str, str] = {}  # fingerprints of the flows on the stack
        self.latest_intent: str | None = None  # intent of the latest user message (payloads only)
        self.filled_by: dict[str, str] = {}  # slot -> extractor of the command that last set it
        self.terminated = False  # action_hangup ended the session; Rasa ignores what follows

    # --- frames -------------------------------------------------------------------------
    def new_frame(self, flow_id: str, frame_type: str | None, **fields: Any) -> Frame:
        self.frame_counter += 1
        return Frame(flow_id=flow_id, frame_id=f"f{self.frame_counter}", frame_type=frame_type,
                     fields=fields)

    def remember_collect(self, frame: Frame) -> None:
        """Record the stack while `frame` (on top) points at a collect step."""
        user = self.stack.top_user_frame()
        self.collect_visits.append(CollectVisit(
            user_frame_id=user.frame_id if user else None, flow_id=frame.flow_id,
            step_id=frame.step_id, frame_id=frame.frame_id, is_pattern=frame.is_pattern))
        self.snapshots[f"{frame.flow_id}|{frame.step_id}"] = self.stack.copy().to_list()
        if len(self.collect_visits) > 200:  # bounded: old visits can no longer be rewound to
            del self.collect_visits[:50]

    def checkpoint(self) -> tuple:
        return (self.stack.copy(), dict(self.slots), set(self.ever_set), self.frame_counter,
                len(self.turn.flow_events), len(self.turn.events), len(self.collect_visits))

    def restore(self, saved: tuple) -> None:
        stack, slots, ever_set, counter, n_flows, n_events, n_visits = saved
        self.stack, self.slots, self.ever_set, self.frame_counter = stack, slots, ever_set, counter
        del self.turn.flow_events[n_flows:]
        del self.turn.events[n_events:]
        del self.collect_visits[n_visits:]

    # --- slots and events -----------------------------------------------------------------
    def set_slot(self, name: str, value: Any, filled_by: str | None = None) -> None:
        if filled_by is not None:
            self.filled_by[name] = filled_by  # Rasa keeps the last non-empty `filled_by`
        slot = self.assistant.slots.get(name)
        if slot is not None and slot.type in _COERCED_ON_ASSIGNMENT:
            # Rasa's CategoricalSlot/ListSlot convert in their value setter, so every
            # assignment (set_slots steps, action events, resets) is normalised.
            value = slot.coerce(value)
        self.ever_set.add(name)
        old = self.slots.get(name)
        self.slots[name] = value
        if old is not value and old != value or type(old) is not type(value):
            self.event("slot_set", name=name, value=value)

    def event(self, kind: str, **data: Any) -> None:
        self.turn.events.append({"event": kind, **data})

    def flow_event(self, kind: str, flow_id: str, step_id: str | None = None) -> None:
        """A flow lifecycle event; `step_id` is the step Rasa's FlowCompleted/FlowCancelled carry
        (e2e tests may assert it as `flow_step_id`)."""
        if flow_id == COLLECT:
            return  # Rasa's collect pattern is an implementation detail (FORMAT.md §3.4)
        self.turn.flow_events.append(f"{kind}:{flow_id}")
        self.event(f"flow_{kind}", flow_id=flow_id, **({"step_id": step_id} if step_id else {}))

    def utter(self, message: dict) -> None:
        self.turn.messages.append(message)
        self.event("bot", **message)
