"""API of action mocks: read and replace the mock of one custom action."""
from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from studio.accounts.permissions import CAN_READ
from studio.assistants.schemas import ErrorOut
from studio.assistants.selectors import assistant_get_for_user
from studio.tryit.mock_services import action_get_for_user, action_mock_out, action_mock_save

router = Router(tags=["action mocks"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class MockIn(Schema):
    mock: Any = None  # one stub_custom_actions entry, or {variants: [...]}; null removes the mock
    revision: int


class MockOut(Schema):
    name: str
    revision: int
    mock: Any = None
    updated_at: str | None = None
    updated_by: str | None = None


@router.get("/{slug}/actions/{name}/mock", response={200: MockOut, **ERRORS})
def action_mock_get(request: HttpRequest, slug: str, name: str):
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    return action_mock_out(action_get_for_user(request.user, assistant, name))


@router.put("/{slug}/actions/{name}/mock", response={200: MockOut, **ERRORS})
def action_mock_put(request: HttpRequest, slug: str, name: str, payload: MockIn):
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    action = action_mock_save(user=request.user, assistant=assistant, name=name, mock=payload.mock,
                              revision=payload.revision)
    return action_mock_out(action)
