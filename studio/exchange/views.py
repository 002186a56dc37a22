"""Pages for import (new assistant), re-import (preview, then apply) and export download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from studio.accounts.permissions import CAN_IMPORT, CAN_READ
from studio.assistants.selectors import assistant_get_for_user
from studio.core.exceptions import ValidationFailed
from studio.core.pages import domain_errors_as_pages
from studio.exchange import pending, renames, services
from studio.exchange.usage_index import ItemInUse, item_usages
from studio.exchange.yamlproject.usages import WHAT


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
    """The project .zip; an assistant with errors gets a page listing them, unless `?allow_problems=1`."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    try:
        data = services.assistant_export_zip(user=request.user, assistant=assistant,
                                             allow_problems=request.GET.get("allow_problems") == "1")
    except services.ExportRefused as exc:
        problems = [(p, services.problem_editor_url(assistant, p)) for p in exc.problems]
        return TemplateResponse(request, "exchange/export_refused.html",
                                {"assistant": assistant, "problems": problems}, status=422)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{assistant.slug}.zip"'
    return response


# ---- rename and delete of one item (preview first) ---------------------------------------------------

def _item_context(request: HttpRequest, slug: str, kind: str, name: str, roles: tuple = CAN_READ) -> dict:
    if kind not in WHAT:
        raise Http404(f"no item kind {kind!r}")
    assistant = assistant_get_for_user(request.user, slug, *roles)
    back = reverse("flow_list" if kind == "flows" else "assistant_overview", kwargs={"slug": assistant.slug})
    return {"assistant": assistant, "kind": kind, "name": name, "what": WHAT[kind], "back": back}


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_pages
def item_rename_page(request: HttpRequest, slug: str, kind: str, name: str) -> HttpResponse:
    """GET asks for the new name; POST previews every change (a dry run); POST with confirm renames."""
    context = _item_context(request, slug, kind, name, CAN_IMPORT)
    if request.method == "GET":
        return TemplateResponse(request, "exchange/item_rename.html", context)
    new = request.POST.get("new", "")
    try:
        edit = renames.assistant_item_rename(user=request.user, assistant=context["assistant"], kind=kind, old=name,
                                             new=new, dry_run=request.POST.get("confirm") != "1")
    except ValidationFailed as exc:
        error = "; ".join(p.msg for p in exc.problems)
        return TemplateResponse(request, "exchange/item_rename.html", {**context, "error": error, "new": new},
                                status=422)
    return TemplateResponse(request, "exchange/item_rename.html", {**context, "edit": edit})


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_pages
def item_delete_page(request: HttpRequest, slug: str, kind: str, name: str) -> HttpResponse:
    return item_delete_response(request, _item_context(request, slug, kind, name))


def item_delete_response(request: HttpRequest, context: dict) -> HttpResponse:
    """GET lists the usages (a referenced item is refused), `?remove_references=1` previews deleting it
    with its references; POST deletes. Also serves the flow list's delete page."""
    assistant, kind, name = context["assistant"], context["kind"], context["name"]
    remove = (request.POST if request.method == "POST" else request.GET).get("remove_references") == "1"
    try:
        edit = renames.assistant_item_delete(user=request.user, assistant=assistant, kind=kind, name=name,
                                             remove_references=remove, dry_run=request.method == "GET")
    except ItemInUse as exc:
        context.update(refused=exc.message, usages=exc.usages, can_remove=not remove)
        return TemplateResponse(request, "exchange/item_delete.html", context, status=409)
    if request.method == "POST":
        messages.success(request, f"Deleted {context['what']} {name}")
        return redirect(context["back"])
    if remove:
        context["edit"] = edit
    else:
        context["usages"] = item_usages(assistant, kind, name)  # code mentions only: listed, not refused
    return TemplateResponse(request, "exchange/item_delete.html", context)
