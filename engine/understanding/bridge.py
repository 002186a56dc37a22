"""Understanding contexts from the engine's Assistant and Conversation.

The assistant part of a context (flows, slots) is built once per Assistant and reused
for every turn, so generators can keep per-assistant indexes keyed on it; only flow
guards are re-evaluated each turn.
"""

from __future__ import annotations

import os
from typing import Any, Mapping

from .base import CommandGenerator, Understanding
from .context import (
    CollectInfo, FlowInfo, SlotInfo, UnderstandingContext, button_titles, question_text, search_enabled_for_config,
)
from .selection import generator_for


class AssistantView:
    """Read-only projection of an `engine.Assistant` for command generators."""

    def __init__(self, assistant: Any, nlu: Mapping[str, list[str]] | None = None) -> None:
        self.assistant = assistant
        self.syntax = assistant.command_syntax
        self.search_enabled = search_enabled_for_config(assistant.config)
        self.slots = tuple(_slot_info(slot) for slot in assistant.slots.values())
        responses = assistant.domain.responses
        self._flows = tuple(_flow_info(flow, nlu or {}, responses) for flow in assistant.flows.values())
        self._guarded = [f.id for f in assistant.flows.values() if f.guard is not None and not f.is_pattern]
        self._by_blocked: dict[frozenset[str], tuple[FlowInfo, ...]] = {}

    def flows_for(self, slot_values: Mapping[str, Any]) -> tuple[FlowInfo, ...]:
        """Flow infos with `startable` for these slot values; the same tuple for the same guards."""
        blocked = frozenset(f for f in self._guarded if not self.assistant.is_startable(f, dict(slot_values)))
        flows = self._by_blocked.get(blocked)
        if flows is None:
            flows = tuple(_with_startable(f, f.id not in blocked) for f in self._flows)
            self._by_blocked[blocked] = flows
        return flows

    def context(self, state: Any) -> UnderstandingContext:
        """A context from an engine `StateView` (or anything with the same attributes)."""
        slots = dict(state.slots)
        return UnderstandingContext(
            flows=self.flows_for(slots),
            slots=self.slots,
            active_flow=state.active_flow,
            active_step=state.active_step,
            collecting_slot=state.collecting_slot,
            slot_values=slots,
            recent_turns=tuple((str(r), str(t)) for r, t in state.recent_turns),
            syntax=self.syntax,
            search_enabled=self.search_enabled,
        )


def context_from_conversation(assistant: Any, conversation: Any) -> UnderstandingContext:
    return AssistantView(assistant).context(conversation.state_view())


class EngineGenerator:
    """Plugs a command generator into `engine.Conversation`, which passes its StateView.

    The last Understanding is kept for the inspector (prompt, raw output, rejections).
    """

    def __init__(self, generator: CommandGenerator, assistant: Any, nlu: Mapping[str, list[str]] | None = None):
        self.generator = generator
        self.view = AssistantView(assistant, nlu)
        self.name = generator.name
        self.last: Understanding | None = None

    def generate(self, message: str, state: Any) -> Understanding:
        self.last = self.generator.generate(message, self.view.context(state))
        return self.last


def _slot_info(slot: Any) -> SlotInfo:
    mappings = tuple(slot.mapping_types) or ("from_llm",)
    return SlotInfo(
        name=slot.name,
        type=slot.type,
        values=tuple(str(v) for v in slot.values),
        initial=slot.initial_value,
        llm_fillable=any(m != "controlled" for m in mappings),
        description=str(slot.raw.get("description") or ""),
    )


def _flow_info(flow: Any, nlu: Mapping[str, list[str]], responses: Mapping[str, Any]) -> FlowInfo:
    collects: dict[str, CollectInfo] = {}
    for step in flow.collect_steps():
        variations = [v.raw for v in responses.get(step.utter or "", ())]
        collects.setdefault(step.collect, CollectInfo(
            step.collect, step.description or "", step.ask_before_filling,
            bool(step.raw.get("force_slot_filling", False)), question_text(variations),
            button_titles(variations),
        ))
    intents = tuple(flow.nlu_triggers)
    uttered: dict[str, None] = {}  # the responses said before the first question (context.walk_utterances)
    for step in flow.steps:
        if step.kind == "collect":
            break
        if step.kind == "action" and (step.action or "").startswith("utter_"):
            uttered[step.action] = None
        if isinstance(step.raw.get("next"), list):
            break
    return FlowInfo(
        id=flow.id,
        name=flow.name or flow.id,
        description=flow.description or "",
        collected_slots=tuple(collects.values()),
        nlu_intents=intents,
        examples=tuple(example for intent in intents for example in nlu.get(intent, ())),
        utterances=" ".join(question_text([v.raw for v in responses.get(name, ())]) for name in uttered),
        startable=True,
        always_include=bool(flow.raw.get("always_include_in_prompt", False)),
        is_pattern=flow.is_pattern,
    )


def _with_startable(flow: FlowInfo, startable: bool) -> FlowInfo:
    if flow.startable == startable:
        return flow
    return FlowInfo(**{**flow.__dict__, "startable": startable})


def make_generator(
    name: str | None,
    assistant: Any,
    *,
    settings: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    nlu: Mapping[str, list[str]] | None = None,
) -> EngineGenerator:
    """A generator ready for `engine.Conversation(generator=...)`.

    `name` is llm / offline / scripted, or None/"auto" to choose from config.yml. This is
    the command-line entry point, so without `environ` it reads OPENAI_API_KEY and
    OPENAI_BASE_URL from the process environment.
    """
    environ = dict(os.environ) if environ is None else environ
    merged = dict(settings or {})
    if name and name != "auto":
        merged["generator"] = name
    llm = dict(merged.get("llm") or {})
    llm.setdefault("api_key", environ.get("OPENAI_API_KEY"))
    llm.setdefault("base_url", environ.get("OPENAI_BASE_URL"))
    merged["llm"] = {k: v for k, v in llm.items() if v}
    generator = generator_for(assistant.config, merged, endpoints=assistant.endpoints, environ=environ)
    return EngineGenerator(generator, assistant, nlu)
