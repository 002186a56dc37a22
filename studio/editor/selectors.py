"""Reads the graph editor needs beyond the assistants app: validation, pickers, usages."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from engine.assistant import Assistant as EngineAssistant
from engine.predicates import predicate_problem
from studio.assistants.models import Assistant, CustomAction, Flow, Response, Slot
from studio.assistants.selectors import assistant_domain_dict, assistant_flows_dict, flow_list
from studio.core.yaml import YamlProblem, parse_mapping


def _assistant_config(assistant: Assistant) -> dict[str, Any]:
    try:
        return parse_mapping(assistant.config_yaml or "", file="config.yml")
    except YamlProblem:
        # A broken config.yml is reported by training; flow problems can still be checked.
        return {}


def flow_problems(assistant: Assistant, flow_id: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    """Problems of `body` as flow `flow_id`, checked by the engine against the saved domain and flows."""
    engine = EngineAssistant.from_dicts(
        config=_assistant_config(assistant),
        domain=assistant_domain_dict(assistant),
        flows={k: v for k, v in assistant_flows_dict(assistant).items() if k != flow_id},
        strict=False,
    )
    return [
        {"flow_id": p.flow_id, "step_id": p.step_id, "message": p.message}
        for p in engine.validate_flow(flow_id, body)
    ]


def condition_problem(expression: str | bool) -> str | None:
    """Why a condition does not parse (pypred, as Rasa), or None."""
    return predicate_problem(expression)


def editor_catalog(assistant: Assistant) -> dict[str, Any]:
    """Names the editor's pickers offer."""
    slots = []
    for slot in Slot.objects.filter(assistant=assistant).ordered():
        values = slot.definition.get("values") if isinstance(slot.definition, dict) else None
        slots.append({"name": slot.name, "type": slot.type, "values": [str(v) for v in values or []]})
    return {
        "slots": slots,
        "responses": list(Response.objects.filter(assistant=assistant).ordered().values_list("name", flat=True)),
        "actions": list(CustomAction.objects.filter(assistant=assistant).ordered().values_list("name", flat=True)),
        "flows": [{"flow_id": f.flow_id, "name": f.name} for f in flow_list(assistant)],
    }


def _steps_in_tree(steps: Any) -> Iterator[dict[str, Any]]:
    for step in steps if isinstance(steps, list) else ():
        if not isinstance(step, dict):
            continue
        yield step
        branches = step.get("next")
        for branch in branches if isinstance(branches, list) else ():
            if isinstance(branch, dict):
                yield from _steps_in_tree(branch.get("then", branch.get("else")))


def flow_usages(assistant: Assistant, flow_id: str) -> list[dict[str, str]]:
    """Other flows that link to or call `flow_id` (what breaks if it is deleted or renamed)."""
    usages = []
    for flow in Flow.objects.filter(assistant=assistant).exclude(flow_id=flow_id).ordered():
        for step in _steps_in_tree(flow.steps):
            for kind in ("link", "call"):
                if step.get(kind) == flow_id:
                    usages.append({"flow_id": flow.flow_id, "kind": kind, "step_id": str(step.get("id") or "")})
    return usages
