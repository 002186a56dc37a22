"""Reads that check permission; every page, API route and consumer goes through these."""
from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from studio.accounts.permissions import require_role
from studio.assistants.models import Assistant, CustomAction, Flow, Response, Slot
from studio.core.exceptions import NotFound
from studio.core.ids import id_from_text


def assistant_list_for_user(user) -> QuerySet[Assistant]:
    if not user.is_authenticated:
        return Assistant.objects.none()
    if user.is_superuser:
        return Assistant.objects.all()
    return Assistant.objects.filter(memberships__user=user).distinct()


def assistant_get_for_user(user, slug_or_id: str | int, *roles: str) -> Assistant:
    """The assistant by slug (or numeric id) if the user has one of `roles` on it."""
    text = str(slug_or_id)
    pk = id_from_text(text)
    lookup = {"pk": pk} if pk is not None else {"slug": text}
    assistant = Assistant.objects.filter(**lookup).first()
    if assistant is None:
        raise NotFound(f"Assistant {slug_or_id!r} not found")
    require_role(user, assistant, *roles)
    return assistant


def flow_list(assistant: Assistant) -> QuerySet[Flow]:
    return Flow.objects.filter(assistant=assistant).ordered()


def flow_get(assistant: Assistant, flow_id: str) -> Flow:
    flow = Flow.objects.filter(assistant=assistant, flow_id=flow_id).first()
    if flow is None:
        raise NotFound(f"Flow {flow_id!r} not found in {assistant.slug!r}")
    return flow


def response_get(assistant: Assistant, name: str) -> Response:
    response = Response.objects.filter(assistant=assistant, name=name).first()
    if response is None:
        raise NotFound(f"Response {name!r} not found in {assistant.slug!r}")
    return response


def slot_get(assistant: Assistant, name: str) -> Slot:
    slot = Slot.objects.filter(assistant=assistant, name=name).first()
    if slot is None:
        raise NotFound(f"Slot {name!r} not found in {assistant.slug!r}")
    return slot


def action_get(assistant: Assistant, name: str) -> CustomAction:
    action = CustomAction.objects.filter(assistant=assistant, name=name).first()
    if action is None:
        raise NotFound(f"Action {name!r} not found in {assistant.slug!r}")
    return action


def flow_get_for_user(user, assistant: Assistant, flow_id: str, *roles: str) -> Flow:
    require_role(user, assistant, *roles)
    return flow_get(assistant, flow_id)


def assistant_counts(assistant: Assistant) -> dict[str, int]:
    return {
        "flows": Flow.objects.filter(assistant=assistant, is_pattern=False).count(),
        "patterns": Flow.objects.filter(assistant=assistant, is_pattern=True).count(),
        "slots": Slot.objects.filter(assistant=assistant).count(),
        "responses": Response.objects.filter(assistant=assistant).count(),
        "actions": CustomAction.objects.filter(assistant=assistant).count(),
    }


def assistant_domain_dict(assistant: Assistant) -> dict[str, Any]:
    """The assistant's domain in Rasa's domain.yml shape (slots, responses, actions)."""
    domain: dict[str, Any] = {"version": "3.1"}
    slots = {slot.name: slot.to_rasa() for slot in Slot.objects.filter(assistant=assistant).ordered()}
    responses = {r.name: r.to_rasa() for r in Response.objects.filter(assistant=assistant).ordered()}
    actions = [a.to_rasa() for a in CustomAction.objects.filter(assistant=assistant).ordered()]
    if slots:
        domain["slots"] = slots
    if responses:
        domain["responses"] = responses
    if actions:
        domain["actions"] = actions
    return domain


def assistant_flows_dict(assistant: Assistant) -> dict[str, dict[str, Any]]:
    """flow_id -> flow body in Rasa's flows.yml shape, patterns included."""
    return {flow.flow_id: flow.to_rasa() for flow in flow_list(assistant)}

