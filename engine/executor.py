"""The flow executor: advances the top frame step by step until an action must run.

Mirrors rasa/core/policies/flows/flow_executor.py: select the next step from the frame's
current step, move the frame's pointer, run the step. Steps either continue, or pause and
return the name of an action for the caller to run.
"""

from __future__ import annotations

from typing import Any

from engine.errors import StepLimitError
from engine.external_calls import external_call_kind, skip_external_call
from engine.model.flows import CONTINUE_PREFIX, END, START, Flow, Link, Step
from engine.predicates import evaluate_predicate
from engine.stack import CALL, COLLECT, INTERRUPT, LINK, Frame
from engine.templates import render_context_template
from engine.tracker import Tracker

MAX_STEPS = 250  # Rasa's circuit breaker per prediction
HUMAN_HANDOFF = "pattern_human_handoff"
SEARCH = "pattern_search"


def readable_name(flow: Flow | None, flow_id: str) -> str:
    """Rasa's `Flow.readable_name()`: the name, else the id with `_`/`-` as spaces."""
    if flow is not None and flow.name:
        return str(flow.name)
    return flow_id.replace("_", " ").replace("-", " ")


def resolve_step(flow: Flow, step_id: str) -> Step | None:
    if step_id == START:
        return Step(id=START, kind="start", flow_id=flow.id, links=(Link("static", flow.first_step_id),))
    if step_id == END:
        return Step(id=END, kind="end", flow_id=flow.id)
    if step_id.startswith(CONTINUE_PREFIX):
        target = step_id[len(CONTINUE_PREFIX):]
        return Step(id=step_id, kind="continue", flow_id=flow.id, links=(Link("static", target),))
    return flow.step(step_id)


def select_next_step_id(step: Step, tracker: Tracker) -> str | None:
    links = step.links
    if not links:
        if step.kind == "link":
            return END
        return None
    if len(links) == 1 and links[0].kind == "static":
        return links[0].target
    context = tracker.stack.current_context()
    for link in links:
        if link.kind == "if" and link.condition is not None:
            if _condition(link.condition, tracker.slots, context):
                return link.target
    for link in links:
        if link.kind == "else":
            return link.target
    return None


def _condition(condition: Any, slots: dict, context: dict) -> bool:
    if isinstance(condition, bool):
        return condition
    return evaluate_predicate(str(condition), slots, context)


def render_action_name(name: str, context: dict) -> str:
    return render_context_template(name, context)


def advance(tracker: Tracker) -> str | None:
    """Run steps until an action is due (its name) or nothing is left to do (None)."""
    flows = tracker.assistant.flows
    for _ in range(MAX_STEPS):
        frame = tracker.stack.top()
        if frame is None or not frame.is_flow or tracker.terminated:
            return None  # a search/chitchat frame on top: no flow policy acts, Rasa listens
        flow = flows.get(frame.flow_id)
        current = resolve_step(flow, frame.step_id) if flow else None
        if current is None:
            tracker.stack.frames.remove(frame)  # stale frame: Rasa drops it and goes on
            continue
        next_id = select_next_step_id(current, tracker)
        # Rasa raises NoNextStepInFlowException here; validation makes it rare, END is safe.
        next_step = resolve_step(flow, next_id or END) or resolve_step(flow, END)
        previous = frame.step_id
        frame.step_id = next_step.id
        if next_step.kind == "collect":
            tracker.remember_collect(frame)
        action = run_step(tracker, next_step, flow, frame, previous)
        if action is not None:
            return action
    raise StepLimitError(f"more than {MAX_STEPS} steps without waiting for the user "
                         f"(stack: {', '.join(tracker.stack.flow_ids())})")


def run_step(tracker: Tracker, step: Step, flow: Flow, frame: Frame, previous: str) -> str | None:
    if previous == START:
        tracker.flow_event("started", flow.id)
    if step.kind == "end":
        return _run_end(tracker, flow, previous)
    runner = _RUNNERS.get(step.kind)
    if runner is None:
        raise StepLimitError(f"unknown step kind '{step.kind}' in flow '{flow.id}'")
    return runner(tracker, step, flow, frame)


def _run_collect(tracker: Tracker, step: Step, flow: Flow, frame: Frame) -> str | None:
    available = tracker.assistant.available_actions()
    slot = tracker.assistant.slots.get(step.collect or "")
    has_initial = slot is not None and slot.initial_value is not None
    if not (has_initial or step.utter in available or step.collect_action in available):
        cancel_flow_and_push_internal_error(tracker, readable_name(flow, flow.id))
        return None
    rejections = [{"if": r.condition, "utter": r.utter} for r in step.rejections]
    tracker.stack.push(tracker.new_frame(COLLECT, None, collect=step.collect, utter=step.utter,
                                         collect_action=step.collect_action, rejections=rejections))
    if slot is not None and step.ask_before_filling:
        tracker.set_slot(step.collect, None)
    return None


def _run_action(tracker: Tracker, step: Step, flow: Flow, frame: Frame) -> str | None:
    name = render_action_name(step.action or "", tracker.stack.current_context())
    if name in tracker.assistant.available_actions():
        return name
    return None  # unknown actions are skipped, as in Rasa


def _run_link(tracker: Tracker, step: Step, flow: Flow, frame: Frame) -> str | None:
    target = step.target_flow or ""
    if target == HUMAN_HANDOFF:
        linked = tracker.new_frame(HUMAN_HANDOFF, None)
    else:
        linked = tracker.new_frame(target, LINK)
    tracker.stack.push(linked, index=-1)  # below the linking frame, which ends next
    return None


def _run_call(tracker: Tracker, step: Step, flow: Flow, frame: Frame) -> str | None:
    external = external_call_kind(tracker, step)
    if external is not None:
        skip_external_call(tracker, step, external)  # a sub-agent or an MCP tool
        return None
    tracker.stack.push(tracker.new_frame(step.target_flow or "", CALL))
    return None


def _run_set_slots(tracker: Tracker, step: Step, flow: Flow, frame: Frame) -> str | None:
    for name, value in step.slot_values:
        tracker.set_slot(name, value)
    return None


def _run_noop(tracker: Tracker, step: Step, flow: Flow, frame: Frame) -> str | None:
    return None


def _run_end(tracker: Tracker, flow: Flow, previous: str) -> str | None:
    """The flow's last step ran: FlowCompleted carries that step's id, as Rasa's executor does."""
    ended = tracker.stack.pop()
    trigger_pattern_completed(tracker, ended)
    trigger_pattern_continue_interrupted(tracker, ended)
    for name, value in reset_scoped_slots(tracker, ended, flow):
        tracker.set_slot(name, value)
    tracker.flow_event("completed", ended.flow_id, previous)
    return None


_RUNNERS = {
    "collect": _run_collect, "action": _run_action, "link": _run_link, "call": _run_call,
    "set_slots": _run_set_slots, "noop": _run_noop,
    "start": _run_noop, "continue": _run_noop,
}


def trigger_pattern_completed(tracker: Tracker, ended: Frame) -> None:
    if not tracker.stack.is_empty():
        return
    if not (ended.is_user or ended.flow_id == SEARCH):
        return
    flow = tracker.assistant.flows.get(ended.flow_id)
    if flow is not None and not flow.run_pattern_completed:
        return
    tracker.stack.push(tracker.new_frame(
        "pattern_completed", None, previous_flow_name=readable_name(flow, ended.flow_id)))


def continuable_user_frames(tracker: Tracker) -> list[Frame]:
    flows = tracker.assistant.flows
    result = []
    for frame in tracker.stack.user_frames():
        if frame.flow_id in flows and frame.step_id not in (END, CONTINUE_PREFIX + END):
            result.append(frame)
    return result


def trigger_pattern_continue_interrupted(tracker: Tracker, ended: Frame) -> None:
    # A search *pattern* frame (from a knowledge command) offers to continue; pattern_search
    # reached through a link is a user frame of type link in Rasa, and does not.
    if not (ended.frame_type == INTERRUPT or (ended.is_pattern and ended.flow_id == SEARCH)):
        return
    frames = continuable_user_frames(tracker)
    if not frames:
        return
    flows = tracker.assistant.flows
    names = [readable_name(flows.get(f.flow_id), f.flow_id) for f in frames]
    pattern = tracker.new_frame(
        "pattern_continue_interrupted", None, interrupted_flow_names=names,
        interrupted_flow_ids=[f.flow_id for f in frames],
        interrupted_flow_options=assemble_options(names), multiple_flows_interrupted=len(names) > 1)
    top = tracker.stack.top()
    below_link = top is not None and top.frame_type == LINK
    tracker.stack.push(pattern, index=-1 if below_link else None)


def assemble_options(names: list[str], conjunction: str = "and") -> str:
    text = ""
    for index, name in enumerate(names):
        if index == 0:
            text += name
        elif index == len(names) - 1:
            text += f" {conjunction} {name}"
        else:
            text += f", {name}"
    return text


def _steps_with_calls(flow: Flow, flows: dict[str, Flow], seen: frozenset = frozenset()):
    for step in flow.steps:
        yield step
        if step.kind == "call" and step.target_flow in flows and step.target_flow not in seen:
            called = flows[step.target_flow]
            yield from _steps_with_calls(called, flows, seen | {flow.id})


def reset_scoped_slots(tracker: Tracker, ended: Frame, flow: Flow) -> list[tuple[str, Any]]:
    """Slots to reset when a flow ends (Rasa's `reset_scoped_slots`, order kept)."""
    if ended.frame_type == CALL:
        return []  # a called flow leaves its slots to the caller
    flows, slots = tracker.assistant.flows, tracker.assistant.slots
    persisted = list(flow.persisted_slots)
    keep: set[str] = set()
    resets: list[tuple[str, Any]] = []
    steps = list(_steps_with_calls(flow, flows))
    for step in steps:
        if step.kind == "call" and step.target_flow in flows:
            persisted.extend(flows[step.target_flow].persisted_slots)
        if step.kind == "collect":
            if step.reset_after_flow_ends and step.collect not in persisted:
                resets.append((step.collect, _initial(slots, step.collect)))
            else:
                keep.add(step.collect)
    for step in steps:
        if step.kind == "set_slots":
            for name, _ in step.slot_values:
                if name not in keep and name not in persisted:
                    resets.append((name, _initial(slots, name)))
    return resets


def _initial(slots: dict, name: str) -> Any:
    slot = slots.get(name)
    return slot.initial_value if slot else None


def cancel_flow_and_push_internal_error(tracker: Tracker, flow_name: str) -> None:
    stack = tracker.stack
    if stack.top_user_frame() is not None:
        stack.push(tracker.new_frame("pattern_cancel_flow", None, canceled_name=flow_name,
                                     canceled_frames=select_canceled_frames(stack)))
    stack.push(tracker.new_frame("pattern_internal_error", None,
                                 error_type="rasa_internal_error_default", info={}))


def select_canceled_frames(stack) -> list[str]:
    """Frame ids from the top down to (and including) the topmost non-called user frame."""
    canceled = []
    for frame in reversed(stack.frames):
        canceled.append(frame.frame_id)
        if frame.is_user and frame.frame_type != CALL:
            return canceled
    return canceled


def end_top_user_flow(stack) -> None:
    """Point every frame down to (and including) the top user frame at its end."""
    for frame in reversed(stack.frames):
        frame.step_id = CONTINUE_PREFIX + END
        if frame.is_user:
            break
