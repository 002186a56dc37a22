"""Pages for import (new assistant), re-import (preview, then apply) and export download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from studio.accounts.permissions import CAN_IMPORT, CAN_READ
from studio.assistants.selectors import assistant_get_for_user
from studio.core.pages import domain_errors_as_pages
from studio.exchange import pending, services


def _refused(request, template: str, context: dict, exc: services.ImportRefused) -> TemplateResponse:
    return TemplateResponse(request, template, {**context, "problems": exc.project_problems}, status=422)


def _no_file(request, template: str, context: dict) -> TemplateResponse:
    return TemplateResponse(request, template, {**context, "error": "Choose a .zip file to upload"}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def import_new(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return TemplateResponse(request, "exchange/import.html", {})
    upload = request.FILES.get("file")
    if upload is None:
        return _no_file(request, "exchange/import.html", {})
    try:
        result = services.assistant_import(user=request.user, source=upload, name=request.POST.get("name", ""))
    except services.ImportRefused as exc:
        return _refused(request, "exchange/import.html", {}, exc)
    return TemplateResponse(request, "exchange/result.html", {"result": result, "assistant": result.assistant})


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_pages
def reimport_preview(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_IMPORT)
    context = {"assistant": assistant}
    if request.method == "GET":
        return TemplateResponse(request, "exchange/reimport.html", context)
    upload = request.FILES.get("file")
    if upload is None:
        return _no_file(request, "exchange/reimport.html", context)
    try:
        waiting, preview = pending.pending_import_create(user=request.user, assistant=assistant, upload=upload)
    except services.ImportRefused as exc:
        return _refused(request, "exchange/reimport.html", context, exc)
    changes = {status: preview.of(status) for status in ("added", "changed", "removed")}
    return TemplateResponse(request, "exchange/preview.html",
                            {**context, "preview": preview, "pending": waiting, **changes})


@login_required
@require_POST
@domain_errors_as_pages
def reimport_apply(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_IMPORT)
    context = {"assistant": assistant}
    try:
        result = pending.pending_import_apply(user=request.user, assistant=assistant,
                                              pending_id=request.POST.get("pending", ""))
    except services.ImportRefused as exc:
        return _refused(request, "exchange/reimport.html", context, exc)
    except pending.ImportConflict as exc:
        return TemplateResponse(request, "exchange/reimport.html", {**context, "error": exc.message}, status=409)
    return TemplateResponse(request, "exchange/result.html", {"result": result, "assistant": assistant,
                                                              "reimported": True})


@login_required
@require_GET
@domain_errors_as_pages
def export_zip(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    data = services.assistant_export_zip(user=request.user, assistant=assistant)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{assistant.slug}.zip"'
    return response
