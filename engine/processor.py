"""The command processor: clean up predicted commands, then run them against the stack.

Follows rasa/dialogue_understanding/processor/command_processor.py and the commands'
`run_command_on_tracker`. Commands run in reverse order, so the first command's frame ends
up on top of the stack and runs first.
"""

from __future__ import annotations

from typing import Any

from engine.commands import (
    CANNOT_HANDLE_DEFAULT, CancelFlow, CannotHandle, ChitChat, Clarify, Command, ContinueAgent, CorrectSlots,
    HandleCodeChange, HumanHandoff, InternalError, KnowledgeAnswer, RepeatBotMessages, SessionStart, SetSlot,
    RestartAgent, SkipQuestion, StartFlow, TriggerIntent,
)
from engine.executor import readable_name, select_canceled_frames
from engine.repair import frames_from, previous_collect_steps, remove_pattern_if_active, resume_flow
from engine.slot_commands import clean_set_slot, current_collect_slot, run_set_slot
from engine.stack import INTERRUPT, REGULAR
from engine.tracker import Tracker

CHITCHAT_REASON = "cannot_handle_chitchat"


def process_commands(tracker: Tracker, commands: list[Command]) -> list[Command]:
    """Clean up and run the commands; returns the commands that actually ran."""
    cleaned = prepare_commands(tracker, commands)
    run_commands(tracker, cleaned)
    return cleaned


def prepare_commands(tracker: Tracker, commands: list[Command]) -> list[Command]:
    """Rasa's clean-up of predicted commands against the current state. When a flow on the
    stack changed since the last turn, everything is replaced by a code-change command."""
    tracker.predicted_flows = [c.flow for c in commands if isinstance(c, StartFlow)]
    if updated_flows(tracker):
        return [HandleCodeChange()]
    return clean_up_commands(tracker, commands)


def updated_flows(tracker: Tracker) -> list[str]:
    flows, stored = tracker.assistant.flows, tracker.flow_hashes
    return [f.flow_id for f in tracker.stack.frames if f.is_flow and f.flow_id not in flows
            or (f.flow_id in stored and stored[f.flow_id] != flows[f.flow_id].fingerprint)]


def _run_code_change(tracker: Tracker, command: HandleCodeChange, original: Any) -> None:
    user = original.top_user_frame()
    if user is None or user.flow_id not in tracker.assistant.flows:
        return
    tracker.stack.push(tracker.new_frame("pattern_code_change", None))


def run_commands(tracker: Tracker, cleaned: list[Command]) -> None:
    original = tracker.stack.copy()
    tracker.pending_validations = []
    for command in reorder_commands(tracker, cleaned):
        run_command(tracker, command, original)
    # Slots with a `validation:` block are checked by pattern_validate_slot after all commands.
    # Rasa inserts every frame at the same index (each stack patch is computed against the
    # stack as it was before the first one), so the first slot set ends up on top.
    index = len(tracker.stack.frames)
    for name in tracker.pending_validations:
        push_validation(tracker, name, index)


def push_validation(tracker: Tracker, name: str, index: int | None = None) -> None:
    """A pattern_validate_slot frame for a slot with a domain `validation:` block. Rasa stacks
    these: one per slot set, even when a frame for the same slot still waits below."""
    slot = tracker.assistant.slots[name]
    tracker.stack.push(tracker.new_frame(
        "pattern_validate_slot", None, validate=name, refill_utter=slot.refill_utter,
        refill_action=f"action_ask_{name}", rejections=list(slot.validation_rejections or ())),
        index=index)


# --- clean-up -------------------------------------------------------------------------------
def clean_up_commands(tracker: Tracker, commands: list[Command]) -> list[Command]:
    clean: list[Command] = []
    for command in commands:
        if isinstance(command, SetSlot):
            clean = clean_set_slot(tracker, clean, command)
        elif isinstance(command, CancelFlow):
            _clean_cancel(tracker, clean, command)
        elif isinstance(command, CannotHandle) and _has(clean, CannotHandle):
            continue
        elif isinstance(command, StartFlow):
            _clean_start_flow(tracker, clean, command)
        elif isinstance(command, ChitChat):
            clean.insert(0, _chitchat_or_cannot_handle(tracker, command))
        elif isinstance(command, KnowledgeAnswer):
            clean.insert(0, command)  # a free-form answer: Rasa keeps these first (run last)
        elif isinstance(command, (ContinueAgent, RestartAgent)):
            continue  # Rasa keeps these only while a sub-agent runs; there are none here
        elif isinstance(command, Clarify) and len(commands) > 1:
            if all(isinstance(c, Clarify) for c in commands) and not clean:
                clean.append(command)
        else:
            clean.append(command)
    for kind in (CannotHandle, RepeatBotMessages, ChitChat):
        clean = _keep_first(clean, kind)
    if len(clean) > 1:
        clean = [c for c in clean if not isinstance(c, CannotHandle)]
    return clean


def _has(commands: list[Command], kind: type) -> bool:
    return any(isinstance(c, kind) for c in commands)


def _keep_first(commands: list[Command], kind: type) -> list[Command]:
    seen = False
    result = []
    for command in commands:
        if isinstance(command, kind):
            if seen:
                continue
            seen = True
        result.append(command)
    return result


def _clean_cancel(tracker: Tracker, clean: list[Command], command: CancelFlow) -> None:
    if tracker.stack.current_context().get("flow_id") is None:
        if not _has(clean, CannotHandle):
            clean.append(CannotHandle("CancelFlowCommand was predicted but no flows are active."))
    elif not _has(clean, CancelFlow):
        clean.append(command)


def _clean_start_flow(tracker: Tracker, clean: list[Command], command: StartFlow) -> None:
    top = tracker.stack.top_user_frame(ignore_call_and_link=False)
    continuing = tracker.stack.pattern_frame("pattern_continue_interrupted") is not None
    if top is not None and top.flow_id == command.flow and not continuing:
        return  # the flow is already active
    clean.append(command)


def _chitchat_or_cannot_handle(tracker: Tracker, command: ChitChat) -> Command:
    pattern = tracker.assistant.flows.get("pattern_chitchat")
    if pattern is None:
        return CannotHandle(CHITCHAT_REASON)
    uses_trigger = any(s.kind == "action" and s.action == "action_trigger_chitchat" for s in pattern.steps)
    if uses_trigger and not tracker.assistant.has_intentless_policy:
        return CannotHandle(CHITCHAT_REASON)
    return command


def reorder_commands(tracker: Tracker, commands: list[Command]) -> list[Command]:
    ordered = list(commands)
    if tracker.stack.top_user_frame() is None:
        starts = [c for c in commands if isinstance(c, StartFlow)]
        if len(starts) == 1:
            ordered = [c for c in commands if c not in starts] + starts
        elif starts:
            ordered = [c for c in commands if c != starts[-1]] + [starts[-1]]
    return list(reversed(ordered))


# --- running ----------------------------------------------------------------------------------
def run_command(tracker: Tracker, command: Command, original: Any) -> None:
    handler = _HANDLERS.get(type(command))
    if handler is not None:
        handler(tracker, command, original)


def _run_start_flow(tracker: Tracker, command: StartFlow, original: Any) -> None:
    stack = tracker.stack
    if command.flow not in tracker.assistant.flows:
        return
    original_user = original.top_user_frame()
    before = list(stack.frames)
    remove_pattern_if_active(tracker, "pattern_completed")
    if original_user is not None and original_user.flow_id == command.flow:
        if stack.pattern_frame("pattern_continue_interrupted") is None:
            return
        remove_pattern_if_active(tracker, "pattern_continue_interrupted")
        resume_flow(tracker, command.flow)
        return
    on_stack = {f.flow_id for f in stack.user_frames(ignore_call_and_link=False)}
    if command.flow in on_stack and original_user is not None:
        remove_pattern_if_active(tracker, "pattern_continue_interrupted")
        if frames_from(stack, command.flow)[1] is None:
            # Only linked/called frames of that flow: Rasa's resume finds nothing to move and
            # writes no stack update, so the popped patterns stay; only the events remain.
            stack.frames = before
        else:
            resume_flow(tracker, command.flow)
        tracker.flow_event("interrupted", original_user.flow_id)
        return
    frame_type = REGULAR
    remove_pattern_if_active(tracker, "pattern_continue_interrupted")
    if original_user is not None:
        frame_type = INTERRUPT
        tracker.flow_event("interrupted", original_user.flow_id)
    stack.push(tracker.new_frame(command.flow, frame_type))


def _run_cancel_flow(tracker: Tracker, command: CancelFlow, original: Any) -> None:
    user = original.top_user_frame(ignore_call_and_link=False)
    if user is None or user.flow_id not in tracker.assistant.flows:
        return
    flow = tracker.assistant.flows[user.flow_id]
    canceled = select_canceled_frames(original)
    tracker.stack.push(tracker.new_frame("pattern_cancel_flow", None,
                                         canceled_name=readable_name(flow, flow.id),
                                         canceled_frames=canceled))
    tracker.flow_event("cancelled", user.flow_id, user.step_id)


def _run_correct_slots(tracker: Tracker, command: CorrectSlots, original: Any) -> None:
    stack, flows = tracker.stack, tracker.assistant.flows
    top = stack.top_flow_frame()
    if top is None:
        return
    on_stack = {f.flow_id for f in stack.user_frames(ignore_call_and_link=False)}
    for name, _, _ in command.slots:
        if not any(s.collect == name for fid in on_stack if fid in flows for s in tracker.assistant.collects(fid)):
            return
    proposed = {name: {"value": value, "filled_by": extractor}
                for name, value, extractor in command.slots if tracker.slots.get(name) != value}
    frame = _correction_frame(tracker, proposed)
    index = len(stack.frames)
    if top.flow_id == "pattern_correction":
        index = stack.frames.index(top)
        for frame_ in reversed(stack.frames):
            frame_.step_id = "NEXT:END"
            if frame_ is top:
                break
    stack.push(frame, index=index if index < len(stack.frames) else None)


def _correction_frame(tracker: Tracker, proposed: dict) -> Any:
    flows = tracker.assistant.flows
    reset_only = all(s.collect not in proposed or s.ask_before_filling
                     for f in flows.values() for s in tracker.assistant.collects(f.id))
    earliest = next(((fid, sid) for fid, sid in previous_collect_steps(tracker)
                     if flows[fid].step(sid) is not None and flows[fid].step(sid).collect in proposed), None)
    if proposed:
        current = current_collect_slot(tracker)
        if current is not None:
            below = tracker.stack.frames[-2]
            ref = (below.flow_id, below.step_id)
            if earliest is None:
                earliest = ref
            elif ref[0] == earliest[0]:
                earliest = _earlier(tracker.assistant.collects(ref[0]), earliest, ref)
    return tracker.new_frame(
        "pattern_correction", None, is_reset_only=reset_only, corrected_slots=proposed,
        reset_flow_id=earliest[0] if earliest else None, reset_step_id=earliest[1] if earliest else None,
        new_slot_values=[v["value"] for v in proposed.values()])


def _earlier(flow: Any, first: tuple[str, str], second: tuple[str, str]) -> tuple[str, str]:
    ids = [s.id for s in flow]
    if first[1] not in ids or second[1] not in ids:
        return first
    return first if ids.index(first[1]) <= ids.index(second[1]) else second


def _push_pattern(flow_id: str, **fields: Any):
    def handler(tracker: Tracker, command: Any, original: Any) -> None:
        values = {k: (v(command) if callable(v) else v) for k, v in fields.items()}
        tracker.stack.push(tracker.new_frame(flow_id, None, **values))
    return handler


def _run_clarify(tracker: Tracker, command: Clarify, original: Any) -> None:
    flows = tracker.assistant.flows
    options = [o for o in command.options if o in flows]  # may be empty: "no options" variant
    remove_pattern_if_active(tracker, "pattern_completed")
    names = [readable_name(flows[o], o) for o in options]
    tracker.stack.push(tracker.new_frame("pattern_clarification", None, names=names,
                                         clarification_options="", clarification_ids=options))


def _run_skip_question(tracker: Tracker, command: SkipQuestion, original: Any) -> None:
    if original.top_user_frame() is None:
        return
    tracker.stack.push(tracker.new_frame("pattern_skip_question", None))


def _run_trigger_intent(tracker: Tracker, command: TriggerIntent, original: Any) -> None:
    """A triggerable pattern (restart, session end, silence) reached through its intent."""
    for flow in tracker.assistant.flows.values():
        if command.intent in flow.nlu_triggers and flow.is_pattern:
            tracker.stack.push(tracker.new_frame(flow.id, None))
            return


_HANDLERS = {
    SetSlot: run_set_slot, StartFlow: _run_start_flow, CancelFlow: _run_cancel_flow,
    CorrectSlots: _run_correct_slots, Clarify: _run_clarify, SkipQuestion: _run_skip_question,
    ChitChat: _push_pattern("pattern_chitchat"), KnowledgeAnswer: _push_pattern("pattern_search"),
    RepeatBotMessages: _push_pattern("pattern_repeat_bot_messages"),
    HumanHandoff: _push_pattern("pattern_human_handoff"),
    CannotHandle: _push_pattern("pattern_cannot_handle", reason=lambda c: c.reason or CANNOT_HANDLE_DEFAULT),
    SessionStart: _push_pattern("pattern_session_start"),
    InternalError: _push_pattern("pattern_internal_error", error_type=lambda c: c.error_type,
                                 info=lambda c: dict(c.info)),
    TriggerIntent: _run_trigger_intent, HandleCodeChange: _run_code_change,
}

