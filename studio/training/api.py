from django.http import HttpRequest
from ninja import Router, Status

from studio.accounts.permissions import CAN_READ
from studio.assistants.schemas import ErrorOut
from studio.assistants.selectors import assistant_get_for_user
from studio.training.schemas import VersionIn, VersionOut
from studio.training.selectors import version_list
from studio.training.services import version_create, version_retry

router = Router(tags=["versions"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
SEND_ERRORS = {**ERRORS, 503: ErrorOut}  # the task broker is unreachable: the version is failed, say so


def _version_out(version) -> dict:
    fields = ("number", "status", "reason", "attempts", "note", "created_at", "queued_at", "started_at",
              "finished_at", "problems")
    created_by = version.created_by.get_username() if version.created_by else None
    return {**{name: getattr(version, name) for name in fields}, "created_by": created_by}


@router.get("/{slug}/versions", response={200: list[VersionOut], **ERRORS})
def version_list_route(request: HttpRequest, slug: str):
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    return [_version_out(version) for version in version_list(assistant)]


@router.post("/{slug}/versions", response={201: VersionOut, **SEND_ERRORS})
def version_create_route(request: HttpRequest, slug: str, payload: VersionIn):
    """Build a version: it starts queued and a worker finishes it (ready or failed)."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    version = version_create(user=request.user, assistant=assistant, note=payload.note)
    version.refresh_from_db()  # an eager (embedded) build has already finished
    return Status(201, _version_out(version))


@router.post("/{slug}/versions/{number}/retry", response={202: VersionOut, 409: ErrorOut, **SEND_ERRORS})
def version_retry_route(request: HttpRequest, slug: str, number: int):
    """Build a failed version again; 409 unless it failed."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    version = version_retry(user=request.user, assistant=assistant, number=number)
    version.refresh_from_db()
    return Status(202, _version_out(version))
