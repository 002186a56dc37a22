"""A conversation with an assistant: turn API, inspector events, JSON state."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

from engine.actions import LISTEN, ActionFailed, ActionRunner, RunContext, run_action, start_session
from engine.assistant import Assistant
from engine.commands import Command, InternalError, command_to_dict
from engine.errors import EngineError, StepLimitError
from engine.executor import advance, end_top_user_flow, select_canceled_frames
from engine.model.domain import BOOKKEEPING_SLOTS
from engine.nlg import RenderError
from engine.processor import (
    current_collect_slot, prepare_commands, process_commands, push_validation, run_commands,
)
from engine.reading import MessageReader, Reading
from engine.slot_mappings import extract_slots
from engine.stack import Stack
from engine.tracker import CollectVisit, Tracker, TurnRecord

STATE_VERSION = 1
_SILENCE_COUNTER = "consecutive_silence_timeouts"
MAX_ACTIONS_PER_TURN = 1000  # Rasa's MAX_NUMBER_OF_PREDICTIONS_CALM
_RECENT_TURNS = 10


@dataclass(frozen=True)
class StateView:
    """Read-only dialogue state for command generators."""

    active_flow: str | None
    active_step: str | None
    collecting_slot: str | None
    slots: dict[str, Any]
    recent_turns: list[tuple[str, str]]
    stack: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Understanding:
    """What a command generator returns."""

    commands: list[Command]
    info: dict = field(default_factory=dict)


class CommandGenerator(Protocol):
    def generate(self, message: str, context: StateView) -> Understanding: ...


@dataclass(frozen=True)
class Turn:
    """Everything one user message caused."""

    user: str
    messages: list[dict]
    slots: dict[str, Any]
    flows: list[str]
    stack: list[str]
    commands: list[dict]  # the commands that ran, after Rasa's clean-up
    events: list[dict]
    error: str | None = None

    def to_trace(self) -> dict[str, Any]:
        """The normalized trace entry of FORMAT.md §3.1."""
        trace = {"user": self.user, "bot": self.messages, "slots": self.slots,
                 "flows": self.flows, "stack": self.stack}
        if self.error:
            trace["error"] = self.error
        return trace


_ABSENT = object()


def _differs(old: Any, new: Any) -> bool:
    """Type-aware inequality of FORMAT.md §3.3 (0 == 0.0, but True != 1)."""
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is not type(new) or old != new
    numbers = (int, float)
    if isinstance(old, numbers) and isinstance(new, numbers):
        return old != new
    return type(old) is not type(new) or old != new


class Conversation:
    """One conversation. Not thread-safe; serialise with `to_json` between processes."""

    def __init__(self, assistant: Assistant, *, generator: CommandGenerator | None = None,
                 actions: ActionRunner | None = None):
        self.assistant = assistant
        self.generator = generator
        self.tracker = Tracker(assistant)
        if actions is None and assistant.action_endpoint_url:
            from engine.action_server import HttpActions
            actions = HttpActions(assistant.action_endpoint_url)
        self.actions = actions

    # --- turns -------------------------------------------------------------------------------
    def start_session(self, *, actions: ActionRunner | None = None,
                      search: Callable[[Tracker], str | None] | None = None) -> Turn:
        return self.handle("/session_start", actions=actions, search=search)

    def handle(self, text: str, *, commands: list[Command] | None = None,
               actions: ActionRunner | None = None,
               search: Callable[[Tracker], str | None] | None = None) -> Turn:
        """Process one user message and run the dialogue until the bot waits again."""
        tracker = self.tracker
        tracker.turn = TurnRecord()
        before = dict(tracker.slots)
        tracker.event("user", text=text)
        if tracker.terminated:
            # Rasa ignores every message once action_hangup ended the session.
            tracker.event("ignored", reason="the conversation was ended (action_hangup)")
            return self._finish_turn(text, before, [], None)
        if text.strip() != "/silence_timeout" and tracker.slots.get(_SILENCE_COUNTER) not in (None, 0.0):
            tracker.set_slot(_SILENCE_COUNTER, 0.0)  # Rasa resets it on any other message
        error = None
        cleaned: list[Command] = []
        actions = actions if actions is not None else self.actions
        try:
            ctx = RunContext(actions=actions, search=search)
            if not tracker.history:
                self._start_session(ctx)  # Rasa's processor: a new conversation starts a session
            message = self._read(text, commands)
            commands = message.commands
            tracker.history.append(("user", text))
            tracker.latest_intent = message.intent
            extract_slots(tracker, message, text.strip(), ctx)
            cleaned = prepare_commands(tracker, list(commands))
            tracker.event("commands", predicted=[command_to_dict(c) for c in commands],
                          commands=[command_to_dict(c) for c in cleaned])
            run_commands(tracker, cleaned)
            self._run(ctx)
        except EngineError as exc:
            error = str(exc)
            self._recover(RunContext(actions=actions, search=search), error)
        except Exception as exc:  # noqa: BLE001 - a bug must not take the conversation down
            error = f"internal engine error: {type(exc).__name__}: {exc}"
            self._recover(RunContext(actions=actions, search=search), error)
        return self._finish_turn(text, before, cleaned, error)

    def _read(self, text: str, commands: list[Command] | None) -> Reading:
        """The message's commands: read from the text, or chosen elsewhere (taken as they are)."""
        if commands is not None:
            return Reading(list(commands))
        return MessageReader(self.tracker, self.generator, self.state_view).read(text)

    def _start_session(self, ctx: RunContext) -> None:
        """Before the first message is understood, as Rasa's processor does."""
        before = self.tracker.stack.copy()
        try:
            start_session(self.tracker, ctx)
        except (ActionFailed, RenderError) as exc:
            self._action_failed("action_session_start", exc, before)

    def _run(self, ctx: RunContext) -> None:
        for _ in range(MAX_ACTIONS_PER_TURN):
            # The frames as they are before this prediction (a shallow list is enough: a
            # failure only reads ids, flow ids and call types, which advancing never changes).
            before = Stack(self.tracker.stack.frames)
            action = self._advance_with_breaker()
            if action is None or action == LISTEN:
                return
            corrected, self.tracker.validate_after_next_action = self.tracker.validate_after_next_action, []
            try:
                run_action(self.tracker, action, ctx)
            except (ActionFailed, RenderError) as exc:
                self._action_failed(action, exc, before)
                continue
            # Rasa's processor: after the action that follows action_correct_flow_slot, the
            # corrected slots that have a `validation:` block are validated (first one on top).
            for name in reversed(corrected):
                push_validation(self.tracker, name)
        # Rasa's processor just stops predicting at this limit and waits for the user.
        self.tracker.event("error", message=f"stopped after {MAX_ACTIONS_PER_TURN} actions in one turn")

    def _action_failed(self, action: str, exc: Exception, before: Stack) -> None:
        """Rasa's `_get_events_from_action_execution_failure`: the action's events are lost;
        looking at the stack as it was BEFORE the prediction that chose the action, the top
        user flow is cancelled (named by the then-top frame's flow id, e.g.
        pattern_collect_information right after a question was answered) and
        pattern_internal_error goes on top. The prediction's own stack changes still apply."""
        tracker = self.tracker
        tracker.event("action_failed", name=action, error=str(exc))
        top = before.top()
        name = top.flow_id if top is not None and top.is_flow else ""
        if before.top_user_frame() is not None:
            tracker.stack.push(tracker.new_frame("pattern_cancel_flow", None, canceled_name=name,
                                                 canceled_frames=select_canceled_frames(before)))
        tracker.stack.push(self._internal_error_frame())

    def _advance_with_breaker(self) -> str | None:
        """Rasa's circuit breaker: a looping flow is ended and pattern_internal_error runs.
        What the looping attempt did is discarded, as Rasa works on a tracker copy there."""
        tracker = self.tracker
        saved = tracker.checkpoint()
        try:
            return advance(tracker)
        except StepLimitError as exc:
            tracker.restore(saved)
            tracker.event("error", message=str(exc))
            end_top_user_flow(tracker.stack)
            tracker.stack.push(self._internal_error_frame())
            action = advance(tracker)
            # Rasa's FlowPolicy applies the "push internal error" stack patch to the tracker
            # and returns it again with its prediction, so the patch lands twice: a second,
            # fresh internal-error frame sits on top and the user hears the error twice.
            tracker.stack.push(self._internal_error_frame())
            return action

    def _internal_error_frame(self):
        return self.tracker.new_frame("pattern_internal_error", None,
                                      error_type="rasa_internal_error_default", info={})

    def _recover(self, ctx: RunContext, error: str) -> None:
        """Like Rasa's circuit breaker: drop the dialogue and tell the user something broke."""
        tracker = self.tracker
        tracker.event("error", message=error)
        tracker.stack = Stack()
        process_commands(tracker, [InternalError()])
        try:
            self._run(ctx)
        except Exception as exc:  # noqa: BLE001 - the internal-error pattern itself is broken
            tracker.stack = Stack()
            tracker.event("error", message=str(exc))

    def _finish_turn(self, text: str, before: dict, commands: list[Command], error: str | None) -> Turn:
        tracker = self.tracker
        record = tracker.turn
        # The same object is no change (most slots of a large assistant stay None): only the rest are compared.
        changed = {name: value for name, value in tracker.slots.items()
                   if not (name in before and before[name] is value) and name not in BOOKKEEPING_SLOTS
                   and _differs(before.get(name), value)}
        stack = tracker.stack.flow_ids()
        tracker.event("stack", stack=stack)
        # Collect visits only matter while their user frame is on the stack (see repair.py).
        on_stack = {f.frame_id for f in tracker.stack.frames}
        tracker.collect_visits = [v for v in tracker.collect_visits if v.user_frame_id in on_stack]
        flows = self.assistant.flows
        tracker.flow_hashes = {f.flow_id: flows[f.flow_id].fingerprint
                               for f in tracker.stack.frames if f.flow_id in flows}
        if record.messages:
            tracker.previous_bot_block = [dict(m) for m in record.messages]
        for message in record.messages:
            tracker.history.append(("bot", message.get("text") or ""))
        del tracker.history[:-2 * _RECENT_TURNS]
        return Turn(user=text, messages=record.messages, slots=changed, flows=record.flow_events,
                    stack=stack, commands=[command_to_dict(c) for c in commands],
                    events=record.events, error=error)

    # --- views -------------------------------------------------------------------------------
    def state_view(self) -> StateView:
        stack = self.tracker.stack
        top = stack.top_flow_frame()
        return StateView(
            active_flow=top.flow_id if top else None, active_step=top.step_id if top else None,
            collecting_slot=current_collect_slot(self.tracker), slots=dict(self.tracker.slots),
            recent_turns=list(self.tracker.history[-2 * _RECENT_TURNS:]), stack=stack.flow_ids())

    # --- persistence -------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        t = self.tracker
        defaults = self.assistant.slot_defaults
        return {
            "v": STATE_VERSION,
            # Most slots still hold their default, the very object (None, mostly): no need to compare.
            "slots": {n: v for n, v in t.slots.items()
                      if (d := defaults.get(n, _ABSENT)) is _ABSENT or (v is not d and _differs(d, v))},
            "set": sorted(t.ever_set), "stack": t.stack.to_list(), "n": t.frame_counter,
            "visits": [[v.user_frame_id, v.flow_id, v.step_id, v.frame_id, v.is_pattern]
                       for v in t.collect_visits],
            "snap": t.snapshots, "last_bot": t.previous_bot_block, "history": t.history,
            "hashes": t.flow_hashes, **({"ended": True} if t.terminated else {}),
            **({"filled": t.filled_by} if t.filled_by else {}),
            **({"intent": t.latest_intent} if t.latest_intent else {}),
        }

    @classmethod
    def from_json(cls, assistant: Assistant, data: dict[str, Any], *,
                  generator: CommandGenerator | None = None) -> Conversation:
        if not isinstance(data, dict) or data.get("v") != STATE_VERSION:
            raise EngineError("conversation state has an unknown format or version")
        conversation = cls(assistant, generator=generator)
        t = conversation.tracker
        try:
            t.slots.update({k: v for k, v in data.get("slots", {}).items() if k in t.slots})
            t.ever_set = set(data.get("set", []))
            t.stack = Stack.from_list(data.get("stack", []))
            t.frame_counter = int(data.get("n", 0))
            t.collect_visits = [CollectVisit(*v) for v in data.get("visits", [])]
            t.snapshots = dict(data.get("snap", {}))
            t.previous_bot_block = list(data.get("last_bot", []))
            t.history = [tuple(item) for item in data.get("history", [])]
            t.flow_hashes = dict(data.get("hashes", {}))
            t.terminated = bool(data.get("ended", False))
            t.filled_by = {str(k): str(v) for k, v in dict(data.get("filled", {})).items()}
            t.latest_intent = data.get("intent")
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise EngineError(f"conversation state is damaged: {exc}") from exc
        return conversation
