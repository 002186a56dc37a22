from django.http import HttpRequest
from ninja import Router, Status

from studio.accounts.permissions import CAN_READ
from studio.assistants.schemas import ErrorOut
from studio.assistants.selectors import assistant_get_for_user
from studio.training.schemas import VersionIn, VersionOut
from studio.training.selectors import version_list
from studio.training.services import version_create

router = Router(tags=["versions"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _version_out(version) -> dict:
    fields = ("number", "status", "note", "created_at", "problems")
    created_by = version.created_by.get_username() if version.created_by else None
    return {**{name: getattr(version, name) for name in fields}, "created_by": created_by}


@router.get("/{slug}/versions", response={200: list[VersionOut], **ERRORS})
def version_list_route(request: HttpRequest, slug: str):
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    return [_version_out(version) for version in version_list(assistant)]


@router.post("/{slug}/versions", response={201: VersionOut, **ERRORS})
def version_create_route(request: HttpRequest, slug: str, payload: VersionIn):
    """Build a version; with a worker it starts as pending and the worker finishes it."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    version = version_create(user=request.user, assistant=assistant, note=payload.note)
    version.refresh_from_db()  # an eager (embedded) build has already finished
    return Status(201, _version_out(version))
