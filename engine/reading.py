"""Reading one user message into commands, the way Rasa's processor does it.

A `force_slot_filling` collect takes the whole text; `/SetSlots(...)` and `/<intent>{...}`
payloads skip the LLM (intents go through the NLU command adapter, which starts the flow
triggered by the intent and fills slots from NLU mappings); everything else goes to the
command generator (or, without one, is parsed as the project's command grammar), whose `set
slot` commands are then checked against the slots' mappings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from engine.commands import (
    CannotHandle, Command, InternalError, SessionStart, SetSlot, StartFlow, TriggerIntent, is_payload,
    parse_commands, read_payload,
)
from engine.slot_commands import current_collect_slot
from engine.slot_mappings import drop_unfillable_llm_slots, nlu_slot_commands
from engine.tracker import Tracker

_TRIGGERABLE_PATTERNS = frozenset({"pattern_session_start", "pattern_restart", "pattern_session_end",
                                   "pattern_user_silence"})


@dataclass(frozen=True)
class Reading:
    """The commands of one message, plus the intent and entities an intent payload carried."""

    commands: list[Command]
    intent: str | None = None
    entities: tuple[tuple[str, Any], ...] = ()


class MessageReader:
    """Turns a message into commands for one tracker; `generator` may be None (grammar)."""

    def __init__(self, tracker: Tracker, generator: Any, state_view: Callable[[], Any]):
        self.tracker = tracker
        self.assistant = tracker.assistant
        self.generator = generator
        self.state_view = state_view

    def read(self, text: str) -> Reading:
        forced = self._forced_text_slot()
        if forced is not None:
            # Rasa's processor: a `force_slot_filling` collect of a slot with a `from_text`
            # mapping takes the whole message as the value, before payloads or the LLM.
            return Reading([SetSlot(forced, text, extractor="CommandPayloadReader")])
        if is_payload(text) and text.strip() != "/":  # Rasa reads a bare "/" as empty input
            return self._payload(text)
        return Reading(self._generated_commands(text, text))

    # --- payloads ------------------------------------------------------------------------
    def _payload(self, text: str) -> Reading:
        """Rasa reads `/SetSlots(...)` and `/<domain intent>` directly. Anything else that
        starts with `/` (an unknown intent, a payload that does not parse) has its leading
        slashes stripped and goes to the command generator like any text."""
        commands = read_payload(text, slot_names=self.assistant.slots.keys(), intents=self.assistant.intents)
        if commands == [SessionStart()]:
            slots = nlu_slot_commands(self.tracker, "session_start", [], text.strip())
            return Reading(commands + slots, "session_start")
        if len(commands) == 1 and isinstance(commands[0], TriggerIntent):
            return self._intent(commands[0], text.strip())
        if commands:
            return Reading(commands)
        return Reading(self._generated_commands(text, re.sub(r"^[/\s]+", "", text).strip()))

    def _intent(self, command: TriggerIntent, text: str) -> Reading:
        """Rasa's NLU command adapter. An intent that triggers nothing and fills nothing yields
        no command at all (not "cannot handle"): the dialogue just carries on."""
        entities = tuple((name, value) for name, value in command.entities if name in self.assistant.entities)
        slots = nlu_slot_commands(self.tracker, command.intent, list(entities), text)
        return Reading(self._triggered(command) + slots, command.intent, entities)

    def _triggered(self, command: TriggerIntent) -> list[Command]:
        """The first available flow whose `nlu_trigger` lists the intent is started; among
        patterns only the triggerable ones (session start, restart, session end...)."""
        for flow in self.assistant.flows.values():
            if command.intent not in flow.nlu_triggers:
                continue
            if command.confidence < flow.trigger_threshold(command.intent):
                continue
            if flow.is_pattern:
                if flow.id in _TRIGGERABLE_PATTERNS:
                    return [SessionStart()] if flow.id == "pattern_session_start" else [command]
            else:
                # Rasa's NLUCommandAdapter does not look at flow guards (`if:`).
                return [StartFlow(flow.id)]
        return []

    # --- the command generator -------------------------------------------------------------
    def _generated_commands(self, text: str, generator_text: str) -> list[Command]:
        """The command generator's commands. A scripted conversation parses the original
        text (the oracle's LLM echoes what the user sent); a real generator gets the text
        Rasa would give the LLM."""
        invalid = self._invalid_input(generator_text)
        if invalid:
            return invalid
        if self.generator is not None:
            understanding = self.generator.generate(generator_text, self.state_view())
            self._record_understanding(understanding)
            commands = self._only_startable(list(understanding.commands))
        else:
            commands = self.scripted_commands(text)
        commands = drop_unfillable_llm_slots(self.tracker, commands)
        return self._force_slot_filling(commands)

    def scripted_commands(self, text: str) -> list[Command]:
        """Treat the text as an LLM answer in the assistant's command grammar."""
        startable = self._startable()
        active = {f.flow_id for f in self.tracker.stack.user_frames(ignore_call_and_link=False)}
        parsed = parse_commands(text, self.assistant.command_syntax, user_flows=startable | active)
        return [c for c in parsed if not (isinstance(c, StartFlow) and c.flow not in startable)]

    def _record_understanding(self, understanding: Any) -> None:
        """Give the inspector what the generator saw and said (prompt, raw output, rejections)."""
        to_dict = getattr(understanding, "to_dict", None)
        detail = to_dict(self.assistant.command_syntax) if callable(to_dict) else dict(understanding.info)
        self.tracker.event("understanding", **detail)

    def _invalid_input(self, text: str) -> list[Command]:
        """Rasa's checks before the LLM is asked: empty and over-long messages."""
        if not text.strip() or text.strip() == "/":
            return [InternalError("rasa_internal_error_user_input_empty")]
        limit = self.assistant.max_user_input_characters
        if limit >= 0 and len(text) > limit:
            return [InternalError("rasa_internal_error_user_input_too_long", (("max_characters", limit),))]
        return []

    def _startable(self) -> set[str]:
        context = self.tracker.stack.current_context()
        return {f.id for f in self.assistant.startable_flows_in(self.tracker.slots, context)}

    def _only_startable(self, commands: list[Command]) -> list[Command]:
        """Rasa drops `start flow` for flows whose guard is false, whoever predicted it."""
        startable = self._startable()
        return [c for c in commands if not (isinstance(c, StartFlow) and c.flow not in startable)]

    # --- force_slot_filling ------------------------------------------------------------------
    def _forcing_step(self) -> tuple[str, Any] | None:
        """(slot, step) of the collect being asked when its step has `force_slot_filling`."""
        name = current_collect_slot(self.tracker)
        if name is None:
            return None
        below = self.tracker.stack.frames[-2]
        step = self.assistant.flows[below.flow_id].step(below.step_id)
        if step is None or not step.raw.get("force_slot_filling"):
            return None
        return name, step

    def _forced_text_slot(self) -> str | None:
        forcing = self._forcing_step()
        slot = self.assistant.slots.get(forcing[0]) if forcing else None
        return slot.name if slot is not None and "from_text" in slot.mapping_types else None

    def _force_slot_filling(self, commands: list[Command]) -> list[Command]:
        """A collect step with `force_slot_filling` only accepts a value for its slot."""
        forcing = self._forcing_step()
        if forcing is None:
            return commands
        kept = [c for c in commands if isinstance(c, SetSlot) and c.name == forcing[0]]
        return kept or [CannotHandle()]
