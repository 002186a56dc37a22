"""Set-slot commands: Rasa's clean-up rules (`clean_up_slot_command`, `should_slot_be_set`,
corrections) and `SetSlotCommand.run_command_on_tracker` (which slots a message may fill)."""

from __future__ import annotations

import dataclasses
from typing import Any

from engine.commands import CannotHandle, Command, CorrectSlots, SetSlot
from engine.stack import COLLECT
from engine.tracker import Tracker

_NLU_MAPPINGS = frozenset({"from_entity", "from_intent", "from_trigger_intent", "from_text"})


def clean_set_slot(tracker: Tracker, clean: list[Command], command: SetSlot) -> list[Command]:
    slot = tracker.assistant.slots.get(command.name)
    if slot is None:
        return clean + [CannotHandle("The slot predicted by the LLM is not defined in the domain.")]
    if not _should_slot_be_set(slot, command, clean):
        reason = CannotHandle("A command generator attempted to set a slot with a value extracted "
                              "by an extractor that is incompatible with the slot mapping type.")
        same = any(isinstance(c, SetSlot) and c.name == command.name for c in clean)
        return clean if same or reason in clean else clean + [reason]
    if tracker.filled_by.get(command.name) == "NLU" and command.extractor == "LLM" and not any(
            m.type == "from_llm" and m.allow_nlu_correction for m in slot.mappings):
        return clean  # the LLM may not overwrite what NLU extracted unless the mapping allows it
    eligible = command.name in tracker.ever_set and tracker.slots.get(command.name) is not None
    if not eligible:
        return clean + [command]
    current = current_collect_slot(tracker)
    if current == command.name:
        return clean + [command]
    if _should_be_corrected(tracker, command):
        return _to_correction(clean, command)
    return clean


def _should_slot_be_set(slot: Any, command: SetSlot, clean: list[Command]) -> bool:
    if command.extractor == "CommandPayloadReader":
        return True
    types = set(slot.mapping_types) or {"from_llm"}
    has_nlu = bool(types & _NLU_MAPPINGS)
    allows_llm = "from_llm" in types
    earlier = [c for c in clean if isinstance(c, SetSlot) and c.name == slot.name]
    if earlier and command.extractor == "LLM":
        return not any(c.extractor == "NLU" for c in earlier) and allows_llm
    if has_nlu and command.extractor == "LLM" and not allows_llm:
        return False
    if allows_llm and command.extractor == "NLU" and not has_nlu:
        return False
    if "controlled" in types and not (has_nlu or allows_llm):
        return False
    return True


def _should_be_corrected(tracker: Tracker, command: SetSlot) -> bool:
    if str(tracker.slots.get(command.name)) == str(command.value):
        return False
    top = tracker.stack.top_flow_frame()
    if top is not None and top.flow_id == "pattern_correction":
        already = top.fields.get("corrected_slots", {})
        if command.name in already and str(already[command.name].get("value")) == str(command.value):
            return False
    return True


def _to_correction(clean: list[Command], command: SetSlot) -> list[Command]:
    entry = (command.name, command.value, command.extractor)
    for index, existing in enumerate(clean):
        if isinstance(existing, CorrectSlots):
            clean = list(clean)
            clean[index] = dataclasses.replace(existing, slots=existing.slots + (entry,))
            return clean
    return clean + [CorrectSlots((entry,))]


def current_collect_slot(tracker: Tracker) -> str | None:
    """The slot whose question is being asked right now, if any."""
    frames = tracker.stack.frames
    if len(frames) < 2 or frames[-1].flow_id != COLLECT:
        return None
    below = frames[-2]
    flow = tracker.assistant.flows.get(below.flow_id)
    step = flow.step(below.step_id) if flow else None
    return step.collect if step is not None and step.kind == "collect" else None


def run_set_slot(tracker: Tracker, command: SetSlot, original: Any) -> None:
    slot = tracker.assistant.slots.get(command.name)
    if slot is None:
        return
    value = slot.coerce(command.value)
    if value == tracker.slots.get(command.name):
        return
    if command.name not in _slots_of_active_flow(tracker) and command.extractor in (
            "LLM", "CommandPayloadReader", "NLU"):
        if not _slot_fill_allowed(tracker, command.name):
            return  # the slot is not asked for by anything on the stack or about to start
    tracker.set_slot(command.name, value, filled_by=command.extractor)
    if slot.requires_validation:
        tracker.pending_validations.append(command.name)


def _slots_of_active_flow(tracker: Tracker) -> set[str]:
    stack, flows = tracker.stack, tracker.assistant.flows
    primary = stack.top_user_frame()
    any_frame = stack.top_user_frame(ignore_call_and_link=False)
    active = [f for f in (any_frame, primary if primary is not any_frame else None) if f is not None]
    names = {s.collect for f in active if f.flow_id in flows
             for s in tracker.assistant.collects(f.flow_id) if not s.ask_before_filling}
    top = stack.top()
    if top is not None and top.flow_id == COLLECT:
        names.add(top.fields.get("collect"))
    elif top is not None and top.flow_id == "pattern_validate_slot":
        names.add(top.fields.get("validate"))
    return names


def _slot_fill_allowed(tracker: Tracker, name: str) -> bool:
    flows = tracker.assistant.flows
    predicted = tracker.predicted_flows or [
        f.id for f in flows.values() if f.is_pattern
        and any(s.collect == name and not s.ask_before_filling for s in tracker.assistant.collects(f.id))]
    return any(s.collect == name and not s.ask_before_filling
               for fid in predicted if fid in flows for s in tracker.assistant.collects(fid))
