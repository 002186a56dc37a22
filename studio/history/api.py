"""History routes under /api/assistants/{slug}/: activity, an item's versions, restore. Thin over the selectors and service."""
from django.http import HttpRequest
from ninja import Router

from studio.accounts.permissions import CAN_READ
from studio.assistants.schemas import ErrorOut
from studio.assistants.selectors import assistant_get_for_user
from studio.history import schemas as s
from studio.history.selectors import SETTINGS, assistant_activity, item_history
from studio.history.services import history_restore

router = Router(tags=["history"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
PAGE_MAX = 200


def _restore_out(restored) -> dict:
    return {"kind": restored.kind, "key": restored.key, "revision": getattr(restored.item, "revision", None),
            "problems": restored.problems}


@router.get("/{slug}/activity", response={200: list[s.VersionOut], **ERRORS})
def activity(request: HttpRequest, slug: str, limit: int = 50, offset: int = 0):
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    return assistant_activity(request.user, assistant, limit=max(1, min(limit, PAGE_MAX)), offset=max(0, offset))


@router.get("/{slug}/history/settings", response={200: list[s.VersionOut], **ERRORS})
def settings_history(request: HttpRequest, slug: str):
    return item_history(request.user, assistant_get_for_user(request.user, slug, *CAN_READ), SETTINGS)


@router.post("/{slug}/history/settings", response={200: s.RestoreOut, **ERRORS})
def settings_restore(request: HttpRequest, slug: str, payload: s.RestoreIn):
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    return _restore_out(history_restore(user=request.user, assistant=assistant, kind=SETTINGS, key="",
                                        history_id=payload.history_id, revision=payload.revision))


@router.get("/{slug}/history/{kind}/{path:key}", response={200: list[s.VersionOut], **ERRORS})
def item_versions(request: HttpRequest, slug: str, kind: str, key: str):
    return item_history(request.user, assistant_get_for_user(request.user, slug, *CAN_READ), kind, key)


@router.post("/{slug}/history/{kind}/{path:key}", response={200: s.RestoreOut, **ERRORS})
def item_restore(request: HttpRequest, slug: str, kind: str, key: str, payload: s.RestoreIn):
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    return _restore_out(history_restore(user=request.user, assistant=assistant, kind=kind, key=key,
                                        history_id=payload.history_id, revision=payload.revision))
