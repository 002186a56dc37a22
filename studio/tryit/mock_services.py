"""Reading and saving an action's mock; the API, the mock page and the demo loader call these."""
from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F

from engine.loader import default_pattern_data
from studio.accounts.permissions import CAN_EDIT_ACTIONS, CAN_READ, require_role
from studio.assistants.models import Assistant, CustomAction, Response, Slot
from studio.core.exceptions import NotFound, RevisionConflict
from studio.tryit.mocks import mock_clean


def action_get_for_user(user, assistant: Assistant, name: str) -> CustomAction:
    """The assistant's custom action `name`, for anyone who may read the assistant."""
    require_role(user, assistant, *CAN_READ)
    action = CustomAction.objects.filter(assistant=assistant, name=name).select_related("updated_by").first()
    if action is None:
        raise NotFound(f"Action {name!r} not found in {assistant.slug!r}")
    return action


@transaction.atomic
def action_mock_save(*, user, assistant: Assistant, name: str, mock: Any, revision: int) -> CustomAction:
    """Replace the action's mock (None removes it); `revision` is the action's as loaded (409 when stale)."""
    require_role(user, assistant, *CAN_EDIT_ACTIONS)
    action = CustomAction.objects.select_for_update().filter(assistant=assistant, name=name).first()
    if action is None:
        raise NotFound(f"Action {name!r} not found in {assistant.slug!r}")
    if revision != action.revision:
        raise RevisionConflict(action, f"The action '{name}' was changed by someone else (now at revision "
                                       f"{action.revision}); reload to see their change")
    action.mock = mock_clean(mock, slots=_slot_definitions(assistant), responses=_response_names(assistant))
    action.revision += 1
    action.updated_by = user
    action.save(update_fields=["mock", "revision", "updated_by", "updated_at"])
    # No assistant_touch: a mock is not part of the Rasa project nor of a version, so no build has to
    # be redone; try-it's mocks are read again at the next call (studio/tryit/runtime.py).
    Assistant.objects.filter(pk=assistant.pk).update(mocks_revision=F("mocks_revision") + 1)
    return action


def _slot_definitions(assistant: Assistant) -> dict[str, dict]:
    return {slot.name: slot.to_rasa() for slot in Slot.objects.filter(assistant=assistant)}


def _response_names(assistant: Assistant) -> set[str]:
    stored = set(Response.objects.filter(assistant=assistant).values_list("name", flat=True))
    return stored | set(default_pattern_data().get("responses") or {})


def action_mock_out(action: CustomAction) -> dict[str, Any]:
    """The API shape of an action's mock (MockOut); also the body of a 409."""
    return {"name": action.name, "revision": action.revision, "mock": action.mock,
            "updated_at": action.updated_at.isoformat() if action.updated_at else None,
            "updated_by": action.updated_by.get_username() if action.updated_by else None}
