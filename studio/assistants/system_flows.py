"""System flows: Rasa 3.21's built-in patterns, each either default or customised by an override row.

The default content is the engine's (`engine.default_pattern_bodies`); the studio never reads the
engine's data files. Customising creates the override flow from the default; resetting deletes it.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from django.db import transaction

import engine
from studio.accounts.permissions import CAN_EDIT_FLOWS, require_role
from studio.assistants import services
from studio.assistants.models import Assistant, Flow
from studio.core.exceptions import NotFound, RevisionConflict, ValidationFailed
from studio.exchange.yamlproject import yamlio


@dataclass(frozen=True)
class SystemFlow:
    flow_id: str
    default: dict[str, Any]  # the default body, keys in the order the studio writes flows
    override: Flow | None

    @property
    def customised(self) -> bool:
        return self.override is not None

    @property
    def name(self) -> str:
        return str(self.default.get("name") or "")

    @property
    def description(self) -> str:
        return str(self.default.get("description") or "")

    def to_api(self) -> dict[str, Any]:
        """The API shape (SystemFlowOut); `revision` is the override's, None while default."""
        return {"flow_id": self.flow_id, "name": self.name, "description": self.description,
                "customised": self.customised, "revision": self.override.revision if self.override else None,
                "default": self.default}


def _in_studio_order(flow_id: str, body: dict[str, Any]) -> dict[str, Any]:
    # Through the model's own shape, so an untouched override and its default dump identically.
    return Flow(flow_id=flow_id, **Flow.fields_from_rasa(body)).to_rasa()


def _defaults() -> dict[str, dict[str, Any]]:
    return {flow_id: _in_studio_order(flow_id, body) for flow_id, body in engine.default_pattern_bodies().items()}


def system_flow_ids() -> frozenset[str]:
    return frozenset(engine.default_pattern_bodies())


def system_flow_list(assistant: Assistant) -> list[SystemFlow]:
    """Every built-in pattern in id order, with the assistant's override if any; callers check the role."""
    overrides = {f.flow_id: f for f in Flow.objects.filter(assistant=assistant, is_pattern=True)}
    return [SystemFlow(flow_id, body, overrides.get(flow_id)) for flow_id, body in sorted(_defaults().items())]


def system_flow_get(assistant: Assistant, flow_id: str) -> SystemFlow:
    default = _defaults().get(flow_id)
    if default is None:
        raise NotFound(f"{flow_id!r} is not a built-in pattern")
    return SystemFlow(flow_id, default, Flow.objects.filter(assistant=assistant, flow_id=flow_id).first())


def system_flow_yaml(flow_id: str, body: dict[str, Any]) -> str:
    """The body as it would appear under `flows:` in a flows file."""
    return yamlio.dump(yamlio.to_node({flow_id: body}))


def system_flow_diff(system_flow: SystemFlow) -> str:
    """A unified YAML diff from the default to the override ("" when unchanged)."""
    if system_flow.override is None:
        raise NotFound(f"{system_flow.flow_id} is not customised: it runs Rasa's default")
    before = system_flow_yaml(system_flow.flow_id, system_flow.default).splitlines(keepends=True)
    after = system_flow_yaml(system_flow.flow_id, system_flow.override.to_rasa()).splitlines(keepends=True)
    return "".join(difflib.unified_diff(before, after, "default", "customised"))


@transaction.atomic
def system_flow_customise(*, user, assistant: Assistant, flow_id: str, fields: dict[str, Any] | None = None) -> Flow:
    """The override of a built-in pattern, starting from its default content (`fields` over it)."""
    require_role(user, assistant, *CAN_EDIT_FLOWS)
    system_flow = system_flow_get(assistant, flow_id)
    if system_flow.customised:
        raise ValidationFailed.one("flow_id", msg=f"{flow_id} is already customised")
    return services.flow_create(user=user, assistant=assistant, flow_id=flow_id,
                                data={**system_flow.default, **(fields or {})})


def flow_start(*, user, assistant: Assistant, flow_id: str, fields: dict[str, Any]) -> Flow:
    """A flow created in the editor: no steps yet, except that a built-in pattern's id starts
    from its default (an empty override would silently switch the pattern off)."""
    if flow_id in system_flow_ids():
        return system_flow_customise(user=user, assistant=assistant, flow_id=flow_id, fields=fields)
    return services.flow_create(user=user, assistant=assistant, flow_id=flow_id, data={**fields, "steps": []})


@transaction.atomic
def system_flow_reset(*, user, assistant: Assistant, flow_id: str, revision: int | None = None) -> None:
    """Delete the override so Rasa's default applies again; `revision` is the one the user reviewed.

    Unlike a flow delete this is never refused for usages: links to the pattern still resolve to
    the default.
    """
    require_role(user, assistant, *CAN_EDIT_FLOWS)
    system_flow_get(assistant, flow_id)
    override = Flow.objects.select_for_update().filter(assistant=assistant, flow_id=flow_id).first()
    if override is None:
        raise NotFound(f"{flow_id} is not customised: it runs Rasa's default")
    if revision is not None and revision != override.revision:
        raise RevisionConflict(override)
    override.delete()
    services.assistant_touch(assistant)
