"""Slot and custom action edits from their pages and the API.

A slot's definition is judged by the same code that judges an import and a build: the engine's
domain build (type, categorical values) and its slot model (is the initial value one the slot can
hold), plus the exchange's check of the keys Rasa's slot classes take. No rule is restated here;
the judges' messages are only placed on the field they talk about.
"""
from __future__ import annotations

from typing import Any

from django.db import transaction

from engine.model.domain import Slot as EngineSlot
from studio.accounts.permissions import CAN_EDIT_ACTIONS, CAN_EDIT_SLOTS, require_role
from studio.assistants import services
from studio.assistants.models import Assistant, CustomAction, Slot
from studio.assistants.validation import check_name, check_slot_definition
from studio.core.engine_judge import engine_from_dicts
from studio.core.exceptions import NotFound, Problem, RevisionConflict, ValidationFailed
from studio.exchange.yamlproject import Item, ProjectContent
from studio.exchange.yamlproject.checks import check_domain

# The keys the slot form edits one by one; every other key is kept and edited as YAML.
SLOT_FORM_KEYS = ("type", "values", "min_value", "max_value", "initial_value", "influence_conversation", "mappings")
# Longest first: "initial_value" must win over "values" when a message names it.
_FIELDS_BY_LENGTH = sorted(SLOT_FORM_KEYS, key=len, reverse=True)


def _field_named_in(message: str, data: dict[str, Any]) -> str:
    """The form key a judge's message is about (its quoted or listed key), else `other` (the YAML keys)."""
    for key in _FIELDS_BY_LENGTH:
        if f"'{key}'" in message or message.endswith(f": {key}") or f"{key}," in message:
            return key
    if "unknown type" in message:
        return "type"
    return "other" if set(data) - set(SLOT_FORM_KEYS) else "data"


def slot_definition_problems(name: str, data: dict[str, Any]) -> list[Problem]:
    """Why Rasa would refuse `data` as slot `name` ([] when it would load it), each on its field."""
    try:
        check_slot_definition(data)
    except ValidationFailed as exc:
        return [Problem(p.loc[1:] or p.loc, p.msg) for p in exc.problems]
    # The slot alone: the engine validates no flow here, so each problem is about this slot.
    built = engine_from_dicts(config={}, domain={"slots": {name: data}}, flows={}, strict=False, whole_project=False)
    content = ProjectContent(slots={name: Item(name, data)})
    messages = [p.message for p in built.problems] + [p.message for p in check_domain(content)]
    problems = [Problem((_field_named_in(m, data),), m) for m in messages]
    initial = data.get("initial_value")
    if not problems and not EngineSlot.from_dict(name, data).is_valid(initial):
        problems.append(Problem(("initial_value",), f"{initial!r} is not a value a {data['type']} slot can hold"))
    return problems


def _judged(name: str, data: Any) -> dict[str, Any]:
    problems = slot_definition_problems(name, data)
    if problems:
        raise ValidationFailed(problems)
    return data


@transaction.atomic
def slot_create(*, user, assistant: Assistant, name: str, data: dict[str, Any]) -> Slot:
    """A new slot, once the engine accepts its definition."""
    require_role(user, assistant, *CAN_EDIT_SLOTS)
    check_name(name, ("name",), "slot")
    return services.slot_save(user=user, assistant=assistant, name=name, data=_judged(name, data), revision=None)


@transaction.atomic
def slot_update(*, user, assistant: Assistant, name: str, data: dict[str, Any], revision: int) -> Slot:
    """Replace the slot's definition; `revision` is the one the editor loaded (409 when stale)."""
    require_role(user, assistant, *CAN_EDIT_SLOTS)
    if not Slot.objects.filter(assistant=assistant, name=name).exists():
        raise NotFound(f"Slot {name!r} not found in {assistant.slug!r}")
    return services.slot_save(user=user, assistant=assistant, name=name, data=_judged(name, data), revision=revision)


# --- custom actions -------------------------------------------------------------------------------


def _check_action_definition(definition: Any) -> dict[str, Any] | None:
    if definition is not None and not isinstance(definition, dict):
        raise ValidationFailed.one("definition", msg="must be a mapping such as {send_domain: true}")
    if definition and "send_domain" in definition and not isinstance(definition["send_domain"], bool):
        raise ValidationFailed.one("send_domain", msg="must be true or false")
    return definition or None


def action_create(*, user, assistant: Assistant, name: str, definition: dict[str, Any] | None = None) -> CustomAction:
    """A new custom action (`- name`, or `- name: {send_domain: true}` with a definition)."""
    require_role(user, assistant, *CAN_EDIT_ACTIONS)
    return services.custom_action_create(user=user, assistant=assistant, name=name,
                                         definition=_check_action_definition(definition))


@transaction.atomic
def action_update(*, user, assistant: Assistant, name: str, definition: dict[str, Any] | None,
                  revision: int) -> CustomAction:
    """Replace the action's options (None: the plain `- name` entry); 409 when `revision` is stale."""
    require_role(user, assistant, *CAN_EDIT_ACTIONS)
    definition = _check_action_definition(definition)
    action = CustomAction.objects.select_for_update().filter(assistant=assistant, name=name).first()
    if action is None:
        raise NotFound(f"Action {name!r} not found in {assistant.slug!r}")
    if revision != action.revision:
        raise RevisionConflict(action)
    action.revision += 1
    action.updated_by = user
    action.definition = definition
    action.save()
    services.assistant_touch(assistant)
    return action
