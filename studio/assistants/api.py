from django.http import HttpRequest
from ninja import Router, Status

from studio.accounts.permissions import CAN_MANAGE, CAN_READ, role_for
from studio.accounts import services as account_services
from studio.accounts.selectors import member_list
from studio.assistants import services
from studio.assistants.schemas import (
    AssistantDetailOut,
    AssistantIn,
    AssistantOut,
    AssistantPatchIn,
    ErrorOut,
    MemberIn,
    MemberOut,
)
from studio.assistants.selectors import (
    assistant_counts,
    assistant_get_for_user,
    assistant_list_for_user,
    flow_get,
)
from studio.editor import api as editor_api
from studio.editor.schemas import EditorFlowOut, FlowListItemOut

router = Router(tags=["assistants"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _assistant_out(assistant, role: str, **extra) -> dict:
    fields = ("id", "slug", "name", "language", "description", "revision", "created_at", "updated_at")
    return {**{name: getattr(assistant, name) for name in fields}, "role": role, **extra}


@router.get("", response=list[AssistantOut])
def assistant_list(request: HttpRequest):
    return [_assistant_out(a, role_for(request.user, a)) for a in assistant_list_for_user(request.user)]


@router.post("", response={201: AssistantOut, 422: ErrorOut})
def assistant_create(request: HttpRequest, payload: AssistantIn):
    assistant = services.assistant_create(user=request.user, **payload.dict())
    return Status(201, _assistant_out(assistant, "owner"))


def _detail_out(assistant, role: str) -> dict:
    return _assistant_out(assistant, role, counts=assistant_counts(assistant), config_yaml=assistant.config_yaml,
                          endpoints_yaml=assistant.endpoints_yaml, settings=assistant.settings)


@router.get("/{slug}", response={200: AssistantDetailOut, **ERRORS})
def assistant_detail(request: HttpRequest, slug: str):
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    return _detail_out(assistant, role_for(request.user, assistant))


@router.patch("/{slug}", response={200: AssistantDetailOut, **ERRORS})
def assistant_update(request: HttpRequest, slug: str, payload: AssistantPatchIn):
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    changes = {key: value for key, value in payload.dict(exclude_unset=True).items() if value is not None}
    assistant = services.assistant_update(user=request.user, assistant=assistant, **changes)
    return _detail_out(assistant, role_for(request.user, assistant))


@router.delete("/{slug}", response={204: None, **ERRORS})
def assistant_delete(request: HttpRequest, slug: str):
    assistant = assistant_get_for_user(request.user, slug, *CAN_MANAGE)
    services.assistant_delete(user=request.user, assistant=assistant)
    return Status(204, None)


# The flows API is the editor's (/{slug}/editor/flows...); these routes answer the same shapes.
@router.get("/{slug}/flows", response={200: list[FlowListItemOut], **ERRORS})
def flow_list_route(request: HttpRequest, slug: str):
    return editor_api.flow_list_out(assistant_get_for_user(request.user, slug, *CAN_READ))


@router.get("/{slug}/flows/{flow_id}", response={200: EditorFlowOut, **ERRORS})
def flow_detail(request: HttpRequest, slug: str, flow_id: str):
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    return editor_api.flow_out(assistant, flow_get(assistant, flow_id))


@router.get("/{slug}/members", response={200: list[MemberOut], **ERRORS})
def member_list_route(request: HttpRequest, slug: str):
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    return [{"username": m.user.get_username(), "role": m.role} for m in member_list(assistant)]


@router.post("/{slug}/members", response={200: MemberOut, **ERRORS})
def member_set_route(request: HttpRequest, slug: str, payload: MemberIn):
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    membership = account_services.membership_set(user=request.user, assistant=assistant, **payload.dict())
    return {"username": membership.user.get_username(), "role": membership.role}


@router.delete("/{slug}/members/{username}", response={204: None, **ERRORS})
def member_remove_route(request: HttpRequest, slug: str, username: str):
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    account_services.membership_remove(user=request.user, assistant=assistant, username=username)
    return Status(204, None)
