"""Running actions: responses, Rasa's built-in pattern actions, and custom actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

from engine.executor import assemble_options
from engine.model.flows import CONTINUE_PREFIX, END
from engine.nlg import render_response
from engine.predicates import evaluate_rejection
from engine.repair import correct_flow_slot, frames_from, resume_flow
from engine.stack import COLLECT, REGULAR, Frame
from engine.tracker import Tracker

LISTEN = "action_listen"
NO_RELEVANT_ANSWER = "cannot_handle_no_relevant_answer"
_TYPE_REJECTIONS = {"bool": "utter_boolean_slot_rejection", "float": "utter_float_slot_rejection",
                    "categorical": "utter_categorical_slot_rejection"}


@dataclass(frozen=True)
class ActionResult:
    """What a custom action returned: bot messages first, then events (FORMAT.md §2.4)."""

    responses: tuple[dict, ...] = ()
    events: tuple[dict, ...] = ()


class ActionRunner(Protocol):
    def run(self, name: str, tracker: Tracker) -> ActionResult: ...


class ActionFailed(Exception):
    """A custom action could not be run (server down, bad reply); Rasa shows an internal error."""


@dataclass
class RunContext:
    """Per-turn collaborators: custom actions and the knowledge search."""

    actions: ActionRunner | None = None
    search: Callable[[Tracker], str | None] | None = None
    extra: dict = field(default_factory=dict)


def run_action(tracker: Tracker, name: str, ctx: RunContext) -> None:
    """Run one action predicted by the executor; events are applied to the tracker."""
    assistant = tracker.assistant
    if assistant.is_custom_action(name):
        run_custom_action(tracker, name, ctx)
        return
    builtin = _BUILTINS.get(name)
    if builtin is not None:
        tracker.event("action", name=name)  # Rasa's ActionExecuted, which e2e `action_executed` reads
        builtin(tracker, ctx)
        return
    if name in assistant.responses:
        message = render_response(assistant.domain, name, tracker.slots, tracker.stack.current_context())
        if message is not None:
            tracker.utter(message)


def run_custom_action(tracker: Tracker, name: str, ctx: RunContext) -> None:
    runner = ctx.actions
    if runner is None:
        return  # no action server and no stub: like an empty stub
    tracker.event("action", name=name)
    result = runner.run(name, tracker)  # ActionFailed goes up to the conversation loop
    apply_action_result(tracker, result)


def apply_action_result(tracker: Tracker, result: ActionResult) -> None:
    context = tracker.stack.current_context()
    for response in result.responses:
        message = _message_from_response(tracker, response, context)
        if message is not None:
            tracker.utter(message)
    for event in result.events:
        _apply_event(tracker, event)


def _message_from_response(tracker: Tracker, response: dict, context: dict) -> dict | None:
    extra_buttons = [{"title": b.get("title"), "payload": b.get("payload")}
                     for b in response.get("buttons") or [] if isinstance(b, dict)]
    name = response.get("response")
    if name:
        extra = {k: v for k, v in response.items() if k != "response"}
        message = render_response(tracker.assistant.domain, name, tracker.slots, context, extra)
        if message is None:
            return None
        if extra_buttons:
            message["buttons"] = message.get("buttons", []) + extra_buttons
        # Rasa then overlays the entry's own non-empty keys (e.g. a literal text).
        if response.get("text"):
            message["text"] = response["text"]
        if response.get("custom"):
            message["custom"] = response["custom"]
        return message
    message = {"response": None, "text": response.get("text")}
    if extra_buttons:
        message["buttons"] = extra_buttons
    if response.get("custom"):
        message["custom"] = response["custom"]
    return message


def _apply_event(tracker: Tracker, event: dict) -> None:
    kind = event.get("event")
    if kind == "slot" and event.get("name") in tracker.slots:
        tracker.set_slot(event["name"], event.get("value"))
    elif kind == "reset_slots":
        for name, slot in tracker.assistant.slots.items():
            tracker.set_slot(name, slot.initial_value)


# --- built-in actions ---------------------------------------------------------------------
def _noop(tracker: Tracker, ctx: RunContext) -> None:
    return None


def _session_start(tracker: Tracker, ctx: RunContext) -> None:
    """The step `action: action_session_start` of pattern_session_start. Rasa's processor has
    always started the session by the time this step runs (see `start_session`), so Rasa
    rejects the step: it does nothing, even when the project has its own action."""
    return None


def start_session(tracker: Tracker, ctx: RunContext) -> None:
    """What Rasa's processor does when a session starts: before the first message of a new
    conversation and right after a restart. Only a project's own `action_session_start`
    shows (it runs like any custom action); Rasa's default one changes nothing visible."""
    if "action_session_start" in tracker.assistant.domain.actions:
        run_custom_action(tracker, "action_session_start", ctx)


def _hangup(tracker: Tracker, ctx: RunContext) -> None:
    """SessionEnded: Rasa marks the conversation terminated; the flow stops where it is and
    later messages are ignored."""
    tracker.terminated = True
    tracker.event("session_ended")


def _cancel_flow(tracker: Tracker, ctx: RunContext) -> None:
    top = tracker.stack.top()
    if top is None or top.flow_id != "pattern_cancel_flow":
        return
    for frame_id in top.fields.get("canceled_frames", []):
        for frame in tracker.stack.frames:
            if frame.frame_id == frame_id:
                frame.step_id = CONTINUE_PREFIX + END
                break


def _correct_flow_slot(tracker: Tracker, ctx: RunContext) -> None:
    top = tracker.stack.top()
    corrected = list(top.fields.get("corrected_slots", {})) if top is not None else []
    correct_flow_slot(tracker)
    slots = tracker.assistant.slots
    # Rasa validates corrected slots when the NEXT action runs (see Conversation._run).
    tracker.validate_after_next_action = [n for n in corrected if n in slots and slots[n].requires_validation]


def _clarify_flows(tracker: Tracker, ctx: RunContext) -> None:
    top = tracker.stack.top()
    if top is None or top.flow_id != "pattern_clarification":
        return
    try:
        limit = int(tracker.slots.get("max_clarification_options"))
    except (TypeError, ValueError):
        limit = 3
    names = top.fields.get("names", [])[:limit]  # Rasa slices even with a negative limit
    top.fields["names"] = names
    top.fields["clarification_options"] = assemble_options(names, conjunction="or")


def _continue_interrupted_flow(tracker: Tracker, ctx: RunContext) -> None:
    frame = tracker.stack.pattern_frame("pattern_continue_interrupted")
    if frame is None:
        return
    ids, names = frame.fields.get("interrupted_flow_ids", []), frame.fields.get("interrupted_flow_names", [])
    target = None
    if not frame.fields.get("multiple_flows_interrupted"):
        target = ids[0] if ids else None
    else:
        selected = tracker.slots.get("interrupted_flow_to_continue")
        if selected in ids:
            target = selected
        elif selected in names:
            target = ids[names.index(selected)]
    if target is None:
        # Rasa sends this text straight to the output channel, not as a bot event, so it is
        # not part of the conversation (nor of a trace); the inspector still shows it.
        tracker.event("direct_message", text="You haven't selected a valid task to resume. Please "
                      "specify the task you would like to continue. The options are: "
                      "{{context.interrupted_flow_options}}")
        return
    resume_flow(tracker, target)
    tracker.set_slot("interrupted_flow_to_continue", None)
    tracker.set_slot("continue_interrupted_flow_confirmation", None)


def _cancel_interrupted_flows(tracker: Tracker, ctx: RunContext) -> None:
    frame = tracker.stack.pattern_frame("pattern_continue_interrupted")
    if frame is None:
        return
    # Rasa computes each cancellation from the stack as it was before the action and
    # applies the stack patches one after the other: each later cancel frame is inserted at
    # the same index, i.e. below the earlier ones, so the first flow's cancel runs first.
    original = list(tracker.stack.frames)
    index = len(original)
    for flow_id in frame.fields.get("interrupted_flow_ids", []):
        _cancel_interrupted(tracker, flow_id, original, index)
    tracker.set_slot("interrupted_flow_to_continue", None)
    tracker.set_slot("continue_interrupted_flow_confirmation", None)


def _cancel_interrupted(tracker: Tracker, flow_id: str, frames: list[Frame], index: int) -> None:
    to_cancel, anchor = frames_from(frames, flow_id)
    if anchor is None:
        return
    # Rasa names the flow by its id here, not its readable name (odd, but copied).
    tracker.stack.push(tracker.new_frame("pattern_cancel_flow", None, canceled_name=flow_id,
                                         canceled_frames=[f.frame_id for f in to_cancel]), index=index)
    tracker.flow_event("cancelled", anchor.flow_id, anchor.step_id)


def _run_slot_rejections(tracker: Tracker, ctx: RunContext) -> None:
    top = tracker.stack.top()
    if top is None or top.flow_id not in (COLLECT, "pattern_validate_slot"):
        return
    name = top.fields.get("collect") or top.fields.get("validate")
    slot = tracker.assistant.slots.get(name)
    if slot is None or name not in tracker.ever_set:
        return  # first time the question comes up: nothing to validate yet
    value = tracker.slots.get(name)
    if value is None:
        return
    utterance = None
    typed = slot.coerce(value) if slot.is_valid(value) else None
    if typed is None:
        utterance = _TYPE_REJECTIONS.get(slot.type)
    else:
        utterance = _rejection_utterance(name, typed, top.fields.get("rejections") or [])
    if utterance is None:
        if value != typed or type(value) is not type(typed):
            tracker.set_slot(name, typed)
        return
    if utterance == _NO_UTTERANCE:
        tracker.set_slot(name, None)
        return
    # The message renders while the slot still holds the rejected value (Rasa's order).
    message = render_response(tracker.assistant.domain, utterance, tracker.slots,
                              tracker.stack.current_context(), {"value": value})
    tracker.set_slot(name, None)
    if message is not None:
        tracker.utter(message)


_NO_UTTERANCE = ""  # a rejection without `utter`: the value is dropped silently


def _rejection_utterance(name: str, value: Any, rejections: list[dict]) -> str | None:
    for rejection in rejections:
        result = evaluate_rejection(str(rejection.get("if", "")), name, value)
        if result is None:
            return "utter_internal_error_rasa"
        if result:
            utter = rejection.get("utter")
            return utter if isinstance(utter, str) and utter else _NO_UTTERANCE
    return None


_REPEATING_PATTERNS = frozenset({"pattern_repeat_bot_messages", "pattern_user_silence"})


def _repeat_bot_messages(tracker: Tracker, ctx: RunContext) -> None:
    messages = list(tracker.turn.messages) or list(tracker.previous_bot_block)
    below = tracker.stack.top(ignore=lambda f: f.flow_id in _REPEATING_PATTERNS)
    if below is not None and below.flow_id == COLLECT:
        messages = messages[:-1]  # the collect asks its question again anyway
    for message in messages:
        tracker.utter(dict(message))


def _trigger_search(tracker: Tracker, ctx: RunContext) -> None:
    if not tracker.assistant.has_search_policy:
        # Rasa pushes a search frame that only EnterpriseSearchPolicy answers; without it
        # the frame stays and the bot waits (no message, no pattern_completed).
        tracker.stack.push(tracker.new_frame("search", None))
        return
    answer = ctx.search(tracker) if ctx.search else None
    if isinstance(answer, str):
        tracker.utter({"response": None, "text": answer})
        return
    tracker.stack.push(tracker.new_frame("pattern_cannot_handle", None, reason=NO_RELEVANT_ANSWER))


def _trigger_chitchat(tracker: Tracker, ctx: RunContext) -> None:
    """Rasa pushes a chitchat frame for the IntentlessPolicy; there is none here, so the
    frame stays and the bot waits, as in Rasa without that policy."""
    if not tracker.assistant.has_intentless_policy:
        tracker.stack.push(tracker.new_frame("chitchat", None))


def _clean_stack(tracker: Tracker, ctx: RunContext) -> None:
    """End every frame; a user flow that called this action is moved to the bottom so it
    ends last and can still trigger pattern_completed (Rasa's action_clean_stack)."""
    stack = tracker.stack
    top_flow = stack.top_flow_frame(ignore_calls=False)
    top_user = stack.top_user_frame(ignore_call_and_link=False)
    stack.frames = [f for f in stack.frames if f.is_flow]  # Rasa keeps only flow frames
    for frame in stack.frames:
        frame.step_id = CONTINUE_PREFIX + END
        if frame.is_user:
            frame.frame_type = REGULAR  # no "continue interrupted" offers while cleaning up
    if (top_flow is not None and top_flow.flow_id != "pattern_code_change" and top_user is not None
            and top_user.flow_id == top_flow.flow_id):
        stack.pop()
        stack.push(top_user, index=0)


def _restart(tracker: Tracker, ctx: RunContext) -> None:
    if "utter_restart" in tracker.assistant.responses:
        message = render_response(tracker.assistant.domain, "utter_restart", tracker.slots,
                                  tracker.stack.current_context())
        if message is not None:
            tracker.utter(message)
    for name, slot in tracker.assistant.slots.items():
        tracker.set_slot(name, slot.initial_value)
    tracker.stack.frames.clear()
    # Rasa's Restarted event resets the tracker: slots count as never set again, and the
    # events before it (bot messages to repeat, earlier stacks to rewind to) are gone.
    tracker.ever_set.clear()
    tracker.previous_bot_block = []
    tracker.collect_visits.clear()
    tracker.snapshots.clear()
    tracker.filled_by.clear()
    tracker.latest_intent = None  # the restarted tracker has no latest message
    start_session(tracker, ctx)  # Rasa's processor starts a new session after the Restarted event


_BUILTINS: dict[str, Callable[[Tracker, RunContext], None]] = {
    "action_session_start": _session_start, "action_cancel_flow": _cancel_flow,
    "action_correct_flow_slot": _correct_flow_slot, "action_clarify_flows": _clarify_flows,
    "action_continue_interrupted_flow": _continue_interrupted_flow,
    "action_cancel_interrupted_flows": _cancel_interrupted_flows,
    "action_run_slot_rejections": _run_slot_rejections,
    "action_repeat_bot_messages": _repeat_bot_messages, "action_trigger_search": _trigger_search,
    "action_trigger_chitchat": _trigger_chitchat, "action_handoff_metric": _noop, "action_hangup": _hangup,
    "action_clean_stack": _clean_stack, "action_restart": _restart,
}

