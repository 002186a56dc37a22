"""Stack surgery shared by commands and pattern actions: resuming flows and corrections."""

from __future__ import annotations

from engine.model.flows import CONTINUE_PREFIX, END, START
from engine.stack import CALL, COLLECT, INTERRUPT, REGULAR, Frame, Stack
from engine.tracker import Tracker


def frames_from(stack: Stack | list[Frame], flow_id: str) -> tuple[list[Frame], Frame | None]:
    """The user frame of `flow_id` (a regular or interrupt frame) and every frame above it
    up to the next such boundary (Rasa's `collect_frames_to_resume`).

    Takes a stack or a list of frames (a snapshot of a stack that is being changed)."""
    collected: list[Frame] = []
    anchor = None
    for frame in stack.frames if isinstance(stack, Stack) else stack:
        if frame.is_user:
            boundary = frame.frame_type in (REGULAR, INTERRUPT)
            if boundary and frame.flow_id == flow_id:
                collected.append(frame)
                anchor = frame
                continue
            if boundary and anchor is not None:
                break
        if anchor is not None:
            collected.append(frame)
    return collected, anchor


def resume_flow(tracker: Tracker, flow_id: str) -> None:
    """Move a flow (and what sits on it) back to the top of the stack."""
    frames, anchor = frames_from(tracker.stack, flow_id)
    if anchor is None:
        return
    ids = {f.frame_id for f in frames}
    tracker.stack.frames = [f for f in tracker.stack.frames if f.frame_id not in ids] + frames
    retype_after_move(tracker.stack.frames)
    tracker.flow_event("resumed", anchor.flow_id)


def retype_after_move(frames: list[Frame]) -> None:
    """Rasa's `DialogueStack.move_frames_to_top` re-types the user frames: every regular one
    becomes an interrupt, then the bottom user frame becomes regular. So a resumed flow that
    later ends (or is cancelled) offers to continue the flow below it."""
    for frame in frames:
        if frame.frame_type == REGULAR:
            frame.frame_type = INTERRUPT
    for frame in frames:
        if frame.is_user:
            frame.frame_type = REGULAR
            return


def remove_pattern_frames_on_top(tracker: Tracker) -> None:
    """Pop the pattern frames on top of the stack, each reported as completed."""
    while (top := tracker.stack.top()) is not None and top.is_pattern:
        tracker.stack.pop()
        tracker.flow_event("completed", top.flow_id, top.step_id)


def remove_pattern_if_active(tracker: Tracker, flow_id: str) -> None:
    if tracker.stack.pattern_frame(flow_id) is not None:
        remove_pattern_frames_on_top(tracker)


# --- corrections ---------------------------------------------------------------------------
def previous_collect_steps(tracker: Tracker) -> list[tuple[str, str]]:
    """(flow id, step id) of collect steps the active user flow went through, oldest first."""
    user = tracker.stack.top_user_frame()
    if user is None:
        return []
    active = {f.frame_id for f in tracker.stack.frames}
    result = []
    for visit in tracker.collect_visits:
        if visit.user_frame_id != user.frame_id:
            continue
        if visit.is_pattern and visit.frame_id not in active:
            continue
        result.append((visit.flow_id, visit.step_id))
    return result


def reset_stack_to_prior_state(tracker: Tracker, flow_id: str, step_id: str) -> Stack:
    snapshot = tracker.snapshots.get(f"{flow_id}|{step_id}")
    if snapshot is None:
        return tracker.stack
    previous = Stack.from_list(snapshot)
    target = previous.top_user_frame()
    if target is None:
        return tracker.stack
    current = tracker.stack
    frames: list[Frame] = []
    for frame in current.frames:
        if frame.frame_id == target.frame_id:
            break
        frames.append(frame)
    above: list[Frame] = []
    for frame in reversed(previous.frames):
        above.insert(0, frame)
        if frame.frame_id == target.frame_id:
            break
    frames.extend(above)
    for frame in reversed(frames):
        if frame.step_id != START:
            frame.step_id = CONTINUE_PREFIX + frame.step_id
            break
    frames.extend(_termination_frames(frames, current))
    return Stack(frames)


def _termination_frames(kept: list[Frame], current: Stack) -> list[Frame]:
    """Frames that disappear in the rewind are ended properly instead of dropped."""
    reused = {f.frame_id for f in kept}
    ended: list[Frame] = []
    for frame in reversed(current.frames):
        if frame.frame_id in reused:
            continue
        if frame.frame_type == CALL or frame.flow_id == COLLECT:
            frame.step_id = CONTINUE_PREFIX + END
        ended.insert(0, frame)
    return ended


def correct_flow_slot(tracker: Tracker) -> None:
    """`action_correct_flow_slot`: rewind to the corrected slot's question, then set the slots."""
    top = tracker.stack.top()
    if top is None or top.flow_id != "pattern_correction":
        return
    reset_flow, reset_step = top.fields.get("reset_flow_id"), top.fields.get("reset_step_id")
    if reset_flow:
        tracker.stack = reset_stack_to_prior_state(tracker, reset_flow, reset_step or START)
    for name, entry in top.fields.get("corrected_slots", {}).items():
        slot = tracker.assistant.slots.get(name)
        value = entry.get("value")
        # Rasa stores the raw string here; only categorical and list slots convert on assignment.
        if slot is not None and slot.type in ("categorical", "list"):
            value = slot.coerce(value)
        tracker.set_slot(name, value, filled_by=entry.get("filled_by"))
