"""What a command generator may know about an assistant and a conversation.

Generators only read these small frozen types, so they work the same for an
assistant loaded by the engine, one built from plain Rasa-shaped dicts (tests,
the CLI before a conversation exists) and one kept in the studio's database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterable, Mapping

from engine.predicates import evaluate_predicate

V3_GENERATORS = frozenset({"SearchReadyLLMCommandGenerator"})
SEARCH_POLICY = "EnterpriseSearchPolicy"


@dataclass(frozen=True)
class CollectInfo:
    """One collect step of a flow, as the prompt and the slot filler see it."""

    slot: str
    description: str = ""
    ask_before_filling: bool = False
    # Rasa keeps only the answer to this question while it is asked.
    force_slot_filling: bool = False
    # The question's text and button titles (utter_ask_<slot> or the step's `utter`).
    question: str = ""
    # The button titles alone: the answers the question offers, so values of the slot.
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class FlowInfo:
    id: str
    name: str = ""
    description: str = ""
    collected_slots: tuple[CollectInfo, ...] = ()
    nlu_intents: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    # What the flow says before it asks anything (its answer, its introduction): response texts.
    utterances: str = ""
    startable: bool = True
    always_include: bool = False
    is_pattern: bool = False

    @property
    def slot_names(self) -> tuple[str, ...]:
        return tuple(c.slot for c in self.collected_slots)

    def collect(self, slot: str) -> CollectInfo | None:
        return next((c for c in self.collected_slots if c.slot == slot), None)


@dataclass(frozen=True)
class SlotInfo:
    name: str
    type: str = "text"
    values: tuple[str, ...] = ()
    initial: Any = None
    # Rasa drops an LLM's `set slot` for a slot that only has `controlled` mappings.
    llm_fillable: bool = True
    description: str = ""


@dataclass(frozen=True)
class UnderstandingContext:
    flows: tuple[FlowInfo, ...]
    slots: tuple[SlotInfo, ...]
    active_flow: str | None = None
    active_step: str | None = None
    collecting_slot: str | None = None
    slot_values: Mapping[str, Any] = field(default_factory=dict)
    recent_turns: tuple[tuple[str, str], ...] = ()
    syntax: str = "v2"
    search_enabled: bool = False

    @cached_property
    def _flows_by_id(self) -> dict[str, FlowInfo]:
        return {f.id: f for f in self.flows}

    @cached_property
    def _slots_by_name(self) -> dict[str, SlotInfo]:
        return {s.name: s for s in self.slots}

    def flow(self, flow_id: str | None) -> FlowInfo | None:
        return self._flows_by_id.get(flow_id) if flow_id is not None else None

    def slot(self, name: str | None) -> SlotInfo | None:
        return self._slots_by_name.get(name) if name is not None else None

    def user_flows(self) -> list[FlowInfo]:
        return [f for f in self.flows if not f.is_pattern]

    def startable_flows(self) -> list[FlowInfo]:
        return [f for f in self.flows if f.startable and not f.is_pattern]

    def collect_info(self, slot: str | None) -> CollectInfo | None:
        """The collect step for a slot: the active flow's first, else any flow's."""
        if slot is None:
            return None
        active = self.flow(self.active_flow)
        found = active.collect(slot) if active else None
        return found or next((c for f in self.flows for c in f.collected_slots if c.slot == slot), None)

    def with_state(self, **changes: Any) -> "UnderstandingContext":
        """A copy with other conversation state (the assistant part is shared)."""
        values = {name: getattr(self, name) for name in self.__dataclass_fields__}
        values.update(changes)
        return UnderstandingContext(**values)


def syntax_for_config(config: Mapping[str, Any] | None) -> str:
    """v3 for SearchReadyLLMCommandGenerator, v2 otherwise (Rasa's own rule)."""
    for item in (config or {}).get("pipeline") or []:
        if isinstance(item, Mapping) and item.get("name") in V3_GENERATORS:
            return "v3"
    return "v2"


def search_enabled_for_config(config: Mapping[str, Any] | None) -> bool:
    policies = (config or {}).get("policies") or []
    return any(isinstance(p, Mapping) and p.get("name") == SEARCH_POLICY for p in policies)


def context_from_dicts(
    flows: Mapping[str, Any],
    domain: Mapping[str, Any],
    state: Mapping[str, Any] | None = None,
    config: Mapping[str, Any] | None = None,
) -> UnderstandingContext:
    """Build a context from Rasa-shaped dicts: flows (id -> body), domain, state, config.

    `state` may hold `active_flow`, `active_step`, `collecting_slot`, `slots`
    (values that differ from the initial ones), `recent_turns` ([role, text] pairs)
    and `nlu` (intent -> list of example texts, from the project's NLU data).
    """
    state = state or {}
    slots = tuple(slot_info_from_dict(name, body) for name, body in (domain.get("slots") or {}).items())
    values = {s.name: s.initial for s in slots}
    values.update(state.get("slots") or {})
    nlu = state.get("nlu") or {}
    responses = domain.get("responses") or {}
    flow_infos = tuple(
        flow_info_from_dict(flow_id, body or {}, values, nlu, responses) for flow_id, body in flows.items()
    )
    return UnderstandingContext(
        flows=flow_infos,
        slots=slots,
        active_flow=state.get("active_flow"),
        active_step=state.get("active_step"),
        collecting_slot=state.get("collecting_slot"),
        slot_values=values,
        recent_turns=tuple((str(r), str(t)) for r, t in state.get("recent_turns") or ()),
        syntax=syntax_for_config(config),
        search_enabled=search_enabled_for_config(config),
    )


def slot_info_from_dict(name: str, body: Mapping[str, Any] | None) -> SlotInfo:
    body = body or {}
    mappings = body.get("mappings") or [{"type": "from_llm"}]
    fillable = any((m or {}).get("type", "from_llm") != "controlled" for m in mappings)
    return SlotInfo(
        name=name,
        type=str(body.get("type", "text")),
        values=tuple(str(v) for v in body.get("values") or ()),
        initial=body.get("initial_value"),
        llm_fillable=fillable,
        description=str(body.get("description") or ""),
    )


def flow_info_from_dict(
    flow_id: str,
    body: Mapping[str, Any],
    slot_values: Mapping[str, Any],
    nlu: Mapping[str, Iterable[str]] | None = None,
    responses: Mapping[str, Any] | None = None,
) -> FlowInfo:
    intents = tuple(_trigger_intents(body.get("nlu_trigger")))
    examples = tuple(ex for intent in intents for ex in (nlu or {}).get(intent, ()))
    collects = _dedupe_collects(walk_collects(body.get("steps") or [], responses or {}))
    uttered = dict.fromkeys(walk_utterances(body.get("steps") or []))
    return FlowInfo(
        id=flow_id,
        name=str(body.get("name") or flow_id),
        description=str(body.get("description") or ""),
        collected_slots=tuple(collects),
        nlu_intents=intents,
        examples=examples,
        utterances=" ".join(question_text((responses or {}).get(name)) for name in uttered),
        startable=guard_holds(body.get("if"), slot_values),
        always_include=bool(body.get("always_include_in_prompt", False)),
        is_pattern=flow_id.startswith("pattern_"),
    )


def walk_collects(steps: Iterable[Any], responses: Mapping[str, Any] | None = None) -> Iterable[CollectInfo]:
    """Collect steps in document order, branches (`next: - then: [...]`) included."""
    for step in steps:
        if not isinstance(step, Mapping):
            continue
        if "collect" in step:
            slot = str(step["collect"])
            utter = str(step.get("utter") or f"utter_ask_{slot}")
            yield CollectInfo(
                slot=slot,
                description=str(step.get("description") or ""),
                ask_before_filling=bool(step.get("ask_before_filling", False)),
                force_slot_filling=bool(step.get("force_slot_filling", False)),
                question=question_text((responses or {}).get(utter)),
                choices=button_titles((responses or {}).get(utter)),
            )
        nxt = step.get("next")
        if isinstance(nxt, list):
            for branch in nxt:
                if isinstance(branch, Mapping):
                    for key in ("then", "else"):
                        if isinstance(branch.get(key), list):
                            yield from walk_collects(branch[key], responses)


def walk_utterances(steps: Iterable[Any]) -> Iterable[str]:
    """The `utter_*` responses a flow says before it first asks for anything: its answer or
    its introduction (what it says after collecting is an outcome, not what it is about)."""
    for step in steps:
        if not isinstance(step, Mapping) or "collect" in step:
            return
        if str(step.get("action") or "").startswith("utter_"):
            yield str(step["action"])
        nxt = step.get("next")
        if isinstance(nxt, list):
            return  # branches: what follows depends on the conversation


def question_text(variations: Any) -> str:
    """The text and button titles of a response's variations, as one string."""
    parts: list[str] = []
    for variation in variations if isinstance(variations, list) else ():
        if isinstance(variation, Mapping):
            parts.append(str(variation.get("text") or ""))
            parts += [str(b.get("title") or "") for b in variation.get("buttons") or () if isinstance(b, Mapping)]
    # `{slot}` placeholders say nothing about what the user will answer.
    return " ".join(re.sub(r"\{[^}]*\}", " ", " ".join(p for p in parts if p)).split())


def button_titles(variations: Any) -> tuple[str, ...]:
    """The distinct button titles of a response's variations."""
    titles = [str(b.get("title") or "").strip() for v in variations if isinstance(v, Mapping)
              for b in v.get("buttons") or () if isinstance(b, Mapping)] if isinstance(variations, list) else []
    return tuple(dict.fromkeys(t for t in titles if t))


def _dedupe_collects(collects: Iterable[CollectInfo]) -> list[CollectInfo]:
    seen: dict[str, CollectInfo] = {}
    for c in collects:
        seen.setdefault(c.slot, c)
    return list(seen.values())


def _trigger_intents(trigger: Any) -> Iterable[str]:
    for item in trigger or ():
        if isinstance(item, str):
            yield item
        elif isinstance(item, Mapping):
            intent = item.get("intent")
            yield str(intent.get("name") if isinstance(intent, Mapping) else intent)


def guard_holds(expr: Any, slot_values: Mapping[str, Any]) -> bool:
    """Evaluate a flow guard (`if:`) like Rasa: a broken or failing guard blocks the flow."""
    if expr is None:
        return True
    if isinstance(expr, bool):
        return expr
    return evaluate_predicate(str(expr), dict(slot_values))
