"""The command-generation prompt: flow retrieval and a Jinja2 template, editable per assistant."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import jinja2

from engine.sandbox import bounded_environment, render_template

from ..context import FlowInfo, SlotInfo, UnderstandingContext
from ..offline.flows import IndexCache
from ..offline.meaning import meanings_cache, packaged_vectors

DEFAULT_TEMPLATE = (Path(__file__).resolve().parent / "command_prompt.jinja2").read_text(encoding="utf-8")
DEFAULT_NUM_FLOWS = 20
_MEANING_WEIGHT = 0.5  # of a flow's similarity in meaning, beside the share of the message its words explain


class PromptTemplateError(ValueError):
    """A custom prompt template that does not compile or render; the message says where."""


@dataclass(frozen=True)
class Retrieval:
    """Rasa's `flow_retrieval` settings. Rasa ranks flows by embeddings from an embedding model;
    here by the words a message shares with each flow and by word-piece vectors (offline/meaning.py)."""

    active: bool = True
    num_flows: int = DEFAULT_NUM_FLOWS

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None) -> "Retrieval":
        config = config or {}
        return cls(bool(config.get("active", True)), int(config.get("num_flows", DEFAULT_NUM_FLOWS)))


def _to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# Templates are edited by studio users, so they render in Jinja's sandbox: no attribute
# tricks reach Python internals from a prompt template.
_ENV = bounded_environment(undefined=jinja2.ChainableUndefined, keep_trailing_newline=True)
_MAX_PROMPT = 1_000_000  # characters; far above any real prompt, far below what hurts the server
_ENV.filters["to_json"] = _to_json
# Rasa's templates call the same filter by this name, so a prompt exported from Rasa still renders.
_ENV.filters["to_json_escaped_string"] = _to_json


@functools.lru_cache(maxsize=64)
def compile_template(text: str) -> jinja2.Template:
    try:
        return _ENV.from_string(text)
    except jinja2.TemplateSyntaxError as exc:
        raise PromptTemplateError(f"prompt template line {exc.lineno}: {exc.message}") from exc


class PromptBuilder:
    def __init__(self, template: str | None = None, retrieval: Retrieval = Retrieval()) -> None:
        self.template = compile_template(template or DEFAULT_TEMPLATE)
        self.retrieval = retrieval
        self._indexes = IndexCache()
        self._meanings = meanings_cache(packaged_vectors)

    def build(self, message: str, context: UnderstandingContext) -> str:
        """The prompt; a template that fails while rendering raises PromptTemplateError."""
        try:
            return self._render(message.replace("\n", " "), context)
        except jinja2.TemplateError as exc:
            line = _template_line(exc)
            raise PromptTemplateError(f"prompt template{line}: {exc}") from exc
        except Exception as exc:  # noqa: BLE001 - e.g. a division by zero inside the template
            raise PromptTemplateError(f"prompt template failed: {type(exc).__name__}: {exc}") from exc

    def _render(self, message: str, context: UnderstandingContext) -> str:
        collecting = context.slot(context.collecting_slot)
        return render_template(self.template, dict(
            available_flows=[_flow_entry(f, context) for f in self.relevant_flows(message, context)],
            current_flow=context.active_flow,
            current_slot=context.collecting_slot,
            current_slot_description=_collect_description(context),
            current_slot_type=collecting.type if collecting else None,
            current_slot_allowed_values=_allowed_values(collecting),
            flow_slots=_active_flow_slots(context),
            current_conversation=_transcript(context.recent_turns, message),
            user_message=message,
            syntax=context.syntax,
        ), max_size=_MAX_PROMPT)

    def relevant_flows(self, message: str, context: UnderstandingContext) -> list[FlowInfo]:
        """Top-k startable flows by relevance, plus always-included and active flows. Relevance is
        the share of the message a flow's words explain plus half its similarity in meaning, so a
        message in other words than the flow's own still finds it (the flow asked for is among the
        top 5 for 96.6 % of the first-contact tuning turns by words alone, 99.1 % with meaning)."""
        startable = context.startable_flows()
        if not self.retrieval.active or len(startable) <= self.retrieval.num_flows:
            return startable
        allowed = {f.id for f in startable}
        index = self._indexes.get(context.flows, context.slots)
        coverage = {s.flow_id: s.coverage for s in index.score(message, allowed)}
        # Every message, even one of stop words: "what can you do?" is nearest what_can_you_do.
        meaning = self._meanings.get(context.flows).similarities(message, allowed)
        relevance = {f: coverage.get(f, 0.0) + _MEANING_WEIGHT * meaning.get(f, 0.0) for f in allowed}
        by_relevance = sorted(startable, key=lambda f: (-relevance[f.id], f.id))
        keep = {f.id for f in by_relevance[: self.retrieval.num_flows]}
        keep |= {f.id for f in startable if f.always_include or f.id == context.active_flow}
        return [f for f in startable if f.id in keep]


def _template_line(exc: Exception) -> str:
    line = getattr(exc, "lineno", None)
    return f" line {line}" if line else ""


def _allowed_values(slot: SlotInfo | None) -> list[Any] | None:
    if slot is None:
        return None
    if slot.type == "bool":
        return [True, False]
    if slot.type == "categorical":
        return [v for v in slot.values if v != "__other__"]
    return None


def _extractable(collect, context: UnderstandingContext) -> bool:
    # Rasa: an ask_before_filling slot is only offered once filled or while it is asked.
    if not collect.ask_before_filling:
        return True
    return context.slot_values.get(collect.slot) is not None or context.collecting_slot == collect.slot


def _flow_entry(flow: FlowInfo, context: UnderstandingContext) -> dict[str, Any]:
    slots = []
    for collect in flow.collected_slots:
        if context.slot(collect.slot) is None or not _extractable(collect, context):
            continue
        entry: dict[str, Any] = {"name": collect.slot}
        if collect.description:
            entry["description"] = collect.description
        allowed = _allowed_values(context.slot(collect.slot))
        if allowed:
            entry["allowed_values"] = allowed
        slots.append(entry)
    result: dict[str, Any] = {"name": flow.id, "description": flow.description}
    if slots:
        result["slots"] = slots
    return result


def _active_flow_slots(context: UnderstandingContext) -> list[dict[str, Any]]:
    flow = context.flow(context.active_flow)
    if flow is None:
        return []
    result = []
    for collect in flow.collected_slots:
        slot = context.slot(collect.slot)
        if slot is None or not _extractable(collect, context):
            continue
        value = context.slot_values.get(collect.slot)
        entry = {"name": collect.slot, "value": "undefined" if value is None else str(value), "type": slot.type}
        if collect.description:
            entry["description"] = collect.description
        allowed = _allowed_values(slot)
        if allowed:
            entry["allowed_values"] = allowed
        result.append(entry)
    return result


def _collect_description(context: UnderstandingContext) -> str | None:
    collect = context.collect_info(context.collecting_slot)
    return (collect.description or None) if collect else None


def _transcript(turns: tuple[tuple[str, str], ...], message: str) -> str:
    lines = [f"{'USER' if role == 'user' else 'AI'}: {text}" for role, text in turns]
    lines.append(f"USER: {message}")
    return "\n".join(lines)
