"""Reads the graph editor needs beyond the assistants app: validation, pickers, usages."""
from __future__ import annotations

from typing import Any

from engine.predicates import predicate_problem
from studio.assistants import engine_adapter
from studio.assistants.models import Assistant, CustomAction, Response, Slot
from studio.assistants.selectors import flow_list
from studio.exchange.usage_index import usage_project
from studio.exchange.yamlproject import FLOWS
from studio.exchange.yamlproject.usages import Project, usages


def flow_problems(assistant: Assistant, flow_id: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    """Problems of `body` as flow `flow_id`, judged by the engine (through the one adapter)."""
    # The editor's API has always said None (not "") for a flow-level problem's step.
    return [{**p.as_dict(), "flow_id": p.flow_id or None, "step_id": p.step_id or None}
            for p in engine_adapter.flow_problems(assistant, flow_id, body)]


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


def flow_usages(assistant: Assistant, flow_id: str, project: Project | None = None) -> list[dict[str, Any]]:
    """Every place outside the flow itself that names it (other flows' link/call steps, e2e tests, slot
    mappings, config, action code as kind "code"): what breaks if it is deleted or renamed.
    Pass `project` to reuse one index."""
    project = project or usage_project(assistant)
    return [{"flow_id": u.flow_id, "kind": u.key, "step_id": u.step_id, "where": u.where, "file": u.path,
             "line": u.line} for u in usages(project, FLOWS, flow_id) if u.flow_id != flow_id]
