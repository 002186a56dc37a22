"""Slot mappings decide who may fill a slot (Rasa's `SlotFillingManager`).

Two places use them, as in Rasa: the LLM command generator drops a `set slot` when none of
the slot's mappings would fill it right now (`_check_commands_against_slot_mappings`), and the
NLU command adapter turns an intent payload's intent, entities and text into `set slot`
commands for the slots whose NLU mappings (`from_entity`, `from_intent`, `from_text`) apply.
"""

from __future__ import annotations

from typing import Any

from engine.actions import ActionFailed, RunContext, run_custom_action
from engine.commands import Command, SetSlot
from engine.model.domain import Slot, SlotMapping
from engine.nlg import RenderError
from engine.tracker import Tracker

_NLU_EXTRACTED = frozenset({"from_entity", "from_intent", "from_text"})


def drop_unfillable_llm_slots(tracker: Tracker, commands: list[Command]) -> list[Command]:
    """An LLM `set slot` survives only when one of the slot's mappings applies now. The
    intent Rasa checks is the previous message's: this message is not on the tracker yet."""
    slots = tracker.assistant.slots
    blocked = {c.name for c in commands if isinstance(c, SetSlot) and c.extractor == "LLM"
               and c.name in slots and not any(
                   mapping_applies(tracker, slots[c.name], m, tracker.latest_intent)
                   for m in slots[c.name].mappings)}
    for name in sorted(blocked):
        tracker.event("slot_command_dropped", slot=name,
                      reason="no slot mapping of this slot lets the LLM fill it here")
    return [c for c in commands if not (isinstance(c, SetSlot) and c.name in blocked)]


def mapping_applies(tracker: Tracker, slot: Slot, mapping: SlotMapping, intent: str | None) -> bool:
    """Rasa's `should_fill_slot`: the mapping is valid, wants this intent and its
    conditions hold."""
    return (_valid(tracker, mapping) and _intent_desired(mapping, intent)
            and _conditions_hold(tracker, mapping))


def _valid(tracker: Tracker, mapping: SlotMapping) -> bool:
    assistant = tracker.assistant
    if mapping.type == "from_entity":
        return mapping.entity in assistant.entities
    if mapping.type == "from_intent":
        return all(name in assistant.intents for name in mapping.intents)
    return True


def _intent_desired(mapping: SlotMapping, intent: str | None) -> bool:
    if mapping.intents:
        return intent in mapping.intents
    return intent not in mapping.not_intents


def _conditions_hold(tracker: Tracker, mapping: SlotMapping) -> bool:
    if not mapping.conditions or mapping.type == "from_trigger_intent":
        return True
    active_flow = tracker.stack.current_context().get("flow_id")
    if active_flow:
        return any(c.active_flow == active_flow for c in mapping.conditions if c.active_flow is not None)
    # No flow: Rasa falls back to its form rules. There is never an active loop in CALM, so
    # only a condition that says `active_loop: null` holds.
    return any(c.active_loop is None for c in mapping.conditions)


def nlu_slot_commands(tracker: Tracker, intent: str, entities: list[tuple[str, Any]],
                      text: str) -> list[Command]:
    """`_issue_set_slot_commands`: for every slot some flow collects (not ask_before_filling,
    except the collect being asked), the first NLU mapping that applies and yields a value."""
    assistant = tracker.assistant
    names = {s.collect for f in assistant.flows.values() for s in f.collect_steps()
             if not s.ask_before_filling}
    asked = _current_collect_step(tracker)
    if asked is not None and asked.ask_before_filling:
        names.add(asked.collect)
    commands: list[Command] = []
    for name, slot in assistant.slots.items():
        if name not in names:
            continue
        found, value = _extract(tracker, slot, intent, entities, text)
        if found:
            commands.append(SetSlot(name, value, "NLU"))
    return commands


def _current_collect_step(tracker: Tracker):
    context = tracker.stack.current_context()
    flow = tracker.assistant.flows.get(context.get("flow_id") or "")
    step = flow.step(context.get("step_id")) if flow is not None else None
    return step if step is not None and step.kind == "collect" else None


def _extract(tracker: Tracker, slot: Slot, intent: str, entities: list[tuple[str, Any]],
             text: str) -> tuple[bool, Any]:
    for mapping in slot.mappings:
        if mapping.type not in _NLU_EXTRACTED or not mapping_applies(tracker, slot, mapping, intent):
            continue
        if mapping.type == "from_entity":
            values = [value for entity, value in entities if entity == mapping.entity]
        elif mapping.type == "from_intent":
            values = [mapping.value]
        else:
            values = [text]
        if not values:
            continue
        value = values if slot.type == "list" else values[-1]
        if value is not None or tracker.slots.get(slot.name) is not None:
            return True, value
    return False, None


def extract_slots(tracker: Tracker, message: Any, text: str, ctx: RunContext) -> None:
    """Rasa's `action_extract_slots`, after every user message and before its commands run:
    the custom action of each `controlled` mapping with `run_action_every_turn` (once per
    action), and, when the message produced no command at all, every slot's NLU mappings
    (Rasa then treats the message as one for an NLU-based assistant)."""
    nlu_turn = not message.commands
    if not nlu_turn:  # only the every-turn actions: no need to walk every slot
        for action in tracker.assistant.domain.every_turn_actions:
            _run_every_turn(tracker, action, ctx, keep_messages=True)
        return
    done: set[str] = set()
    for name, slot in tracker.assistant.slots.items():
        found, value = _extract(tracker, slot, message.intent, list(message.entities), text)
        if found:
            tracker.set_slot(name, value)
        for mapping in slot.mappings:
            action = mapping.run_action_every_turn
            if mapping.type == "controlled" and action and action not in done:
                done.add(action)
                _run_every_turn(tracker, action, ctx, keep_messages=False)


def _run_every_turn(tracker: Tracker, action: str, ctx: RunContext, *, keep_messages: bool) -> None:
    sent = len(tracker.turn.messages)
    try:
        run_custom_action(tracker, action, ctx)
    except (ActionFailed, RenderError) as exc:
        # Rasa logs a warning and fills nothing; the turn goes on.
        tracker.event("action_failed", name=action, error=str(exc))
    if not keep_messages and len(tracker.turn.messages) > sent:
        # In an NLU turn Rasa keeps only the slot events of what action_extract_slots ran.
        del tracker.turn.messages[sent:]
        tracker.event("messages_dropped", action=action,
                      reason="Rasa sends no messages from slot extraction in a turn without commands")
