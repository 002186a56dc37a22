"""REST entrance to import/export: thin handlers over studio.exchange.services."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from studio.accounts.permissions import CAN_IMPORT, CAN_READ
from studio.assistants.schemas import ErrorOut
from studio.assistants.selectors import assistant_get_for_user
from studio.exchange import pending, renames, services
from studio.exchange.schemas import (
    ApplyIn,
    ExportErrorOut,
    ImportErrorOut,
    ImportOut,
    ItemEditOut,
    ItemInUseOut,
    PreviewOut,
    RenameIn,
    UsageOut,
)
from studio.exchange.usage_index import ItemInUse, item_usages

router = Router(tags=["import/export"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ImportErrorOut}


def _problems(items) -> list[dict]:
    return [p.as_dict() for p in items]


def _refused(exc: services.ImportRefused) -> Status:
    return Status(422, {"detail": [p.as_dict() for p in exc.problems], "problems": _problems(exc.project_problems)})


def _import_out(result: services.ImportResult) -> dict:
    a = result.assistant
    return {"slug": a.slug, "name": a.name, "counts": result.counts, "warnings": _problems(result.warnings)}


@router.post("/import", response={201: ImportOut, 422: ImportErrorOut})
def assistant_import(request: HttpRequest, file: File[UploadedFile], name: Form[str] = ""):
    """Import a zipped Rasa Pro project as a new assistant."""
    try:
        result = services.assistant_import(user=request.user, source=file, name=name)
    except services.ImportRefused as exc:
        return _refused(exc)
    return Status(201, _import_out(result))


@router.get("/{slug}/export", response={200: None, 403: ErrorOut, 404: ErrorOut, 422: ExportErrorOut})
def assistant_export(request: HttpRequest, slug: str, allow_problems: bool = False):
    """The assistant as a zipped Rasa Pro 3.21 project; 422 listing every error unless `allow_problems`."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    try:
        data = services.assistant_export_zip(user=request.user, assistant=assistant, allow_problems=allow_problems)
    except services.ExportRefused as exc:
        problems = [{**p.as_dict(), "editor_url": services.problem_editor_url(assistant, p)} for p in exc.problems]
        return Status(422, {"detail": exc.message, "problems": problems})
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{assistant.slug}.zip"'
    return response


@router.post("/{slug}/import/preview", response={200: PreviewOut, **ERRORS})
def import_preview(request: HttpRequest, slug: str, file: File[UploadedFile]):
    """What a re-import would change; the upload waits (an hour, for you only) under `pending` for apply."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_IMPORT)
    try:
        waiting, preview = pending.pending_import_create(user=request.user, assistant=assistant, upload=file)
    except services.ImportRefused as exc:
        return _refused(exc)
    changes = [vars(c) for c in preview.changes]
    return {"slug": slug, "pending": str(waiting.pk), "changes": changes, "files_changed": preview.files_changed,
            "warnings": _problems(preview.warnings)}


@router.post("/{slug}/import/apply", response={200: ImportOut, 409: ErrorOut, **ERRORS})
def import_apply(request: HttpRequest, slug: str, payload: ApplyIn):
    """Apply a previewed re-import; 409 when the assistant changed after the preview."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_IMPORT)
    try:
        result = pending.pending_import_apply(user=request.user, assistant=assistant, pending_id=payload.pending)
    except services.ImportRefused as exc:
        return _refused(exc)
    return _import_out(result)


@router.post("/{slug}/rename", response={200: ItemEditOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def item_rename(request: HttpRequest, slug: str, payload: RenameIn):
    """Rename a flow, slot, response or action and every reference to it; `dry_run` only previews."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_IMPORT)
    return renames.assistant_item_rename(user=request.user, assistant=assistant, **payload.dict()).as_dict()


@router.get("/{slug}/usages/{kind}/{path:name}", response={200: list[UsageOut], 403: ErrorOut, 404: ErrorOut})
def item_usage_list(request: HttpRequest, slug: str, kind: str, name: str):
    """Every place that names the item: flows, domain, training data, e2e tests, config, action code."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    return [u.as_dict() for u in item_usages(assistant, kind, name)]


@router.delete("/{slug}/items/{kind}/{path:name}",
               response={200: ItemEditOut, 409: ItemInUseOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def item_delete(request: HttpRequest, slug: str, kind: str, name: str, remove_references: bool = False,
                dry_run: bool = False):
    """Delete an item; 409 with every usage when it is referenced, unless `remove_references`."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    try:
        result = renames.assistant_item_delete(user=request.user, assistant=assistant, kind=kind, name=name,
                                               remove_references=remove_references, dry_run=dry_run)
    except ItemInUse as exc:
        return Status(409, exc.as_dict())
    return result.as_dict()
