"""Pages: translations side by side with the default language, and responses as a spreadsheet (CSV).

Plain forms that post and redirect (no JavaScript needed); a refused save re-renders the page with
the user's text kept in the refused block.

Both write through studio.assistants.translations / responses_csv, which save through the response
and flow services (roles, revisions, 409): the same calls the API makes.
"""
from __future__ import annotations

import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from studio.accounts.permissions import CAN_EDIT_FLOWS, CAN_EDIT_RESPONSES, CAN_READ, role_for
from studio.assistants.models import Flow, Response
from studio.assistants.responses_csv import responses_csv_apply, responses_csv_export, responses_csv_preview
from studio.assistants.selectors import assistant_get_for_user
from studio.assistants.translations import (
    FlowRow,
    ResponseRow,
    assistant_languages,
    check_language,
    flow_name_translation_save,
    missing_counts,
    response_translations_save,
    translation_table,
)
from studio.core.exceptions import RevisionConflict, ValidationFailed
from studio.core.pages import domain_errors_as_pages
from studio.editor.item_pages import posted_revision

TEXT_PREFIXES = ("text-", "button-")


def _response_item(row: ResponseRow, lang: str, posted: dict[str, str] | None = None, error: str = "") -> dict:
    """One response's block on the page; after a failed save it keeps what the user typed."""
    cells = [{"field": c.field, "label": c.label, "source": c.source, "missing": not c.translated(lang).strip(),
              "value": posted[c.field] if posted and c.field in posted else c.translated(lang)} for c in row.cells]
    return {"response": row.response, "missing": row.missing, "cells": cells, "error": error}


def _flow_item(row: FlowRow, posted: str | None = None, error: str = "") -> dict:
    return {"flow": row.flow, "name": row.name, "missing": row.missing, "error": error,
            "value": row.translated if posted is None else posted}


def _page_context(request: HttpRequest, assistant, lang: str, failed: dict | None = None) -> dict:
    languages = assistant_languages(assistant)
    role = role_for(request.user, assistant)
    table = translation_table(assistant, lang) if lang else None
    failed = failed or {}
    responses = [_response_item(r, lang, *(failed.get(("response", r.response.pk)) or ())) for r in table.responses] \
        if table else []
    flows = [_flow_item(f, *(failed.get(("flow", f.flow.pk)) or ())) for f in table.flows] if table else []
    return {"assistant": assistant, "languages": languages, "lang": lang,
            "counts": missing_counts(assistant, languages),
            "responses": responses, "flows": flows, "can_edit_responses": role in CAN_EDIT_RESPONSES,
            "can_edit_flows": role in CAN_EDIT_FLOWS}


def _save(request: HttpRequest, assistant, lang: str) -> tuple[tuple[str, int], str]:
    """Save the posted response or flow name; ((kind, pk), "Saved …")."""
    if request.POST.get("kind") == "flow":
        flow_id = request.POST.get("flow_id", "")
        flow = flow_name_translation_save(user=request.user, assistant=assistant, flow_id=flow_id, language=lang,
                                          name=request.POST.get("name", ""), revision=posted_revision(request))
        return ("flow", flow.pk), f"Saved the {lang} name of flow {flow_id}"
    name = request.POST.get("name", "")
    texts = {k: v for k, v in request.POST.items() if k.startswith(TEXT_PREFIXES)}
    response = response_translations_save(user=request.user, assistant=assistant, name=name, language=lang,
                                          texts=texts, revision=posted_revision(request))
    return ("response", response.pk), f"Saved the {lang} translation of {name}"


def _failed_item(request: HttpRequest, assistant) -> tuple[str, int] | None:
    if request.POST.get("kind") == "flow":
        flows = Flow.objects.filter(assistant=assistant, flow_id=request.POST.get("flow_id", ""))
        pk = flows.values_list("pk", flat=True)
        return ("flow", pk[0]) if pk else None
    pk = Response.objects.filter(assistant=assistant, name=request.POST.get("name", "")).values_list("pk", flat=True)
    return ("response", pk[0]) if pk else None


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_pages
def translations_page(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    languages = assistant_languages(assistant)
    lang = request.GET.get("lang") or (languages.additional[0] if languages.additional else "")
    if lang or request.method == "POST":
        check_language(languages, lang)
    if request.method == "GET":
        return TemplateResponse(request, "editor/translations.html", _page_context(request, assistant, lang))
    key = _failed_item(request, assistant)
    try:
        key, message = _save(request, assistant, lang)
    except (ValidationFailed, RevisionConflict) as exc:
        if key is None:
            raise
        posted = request.POST.get("name") if key[0] == "flow" else \
            {k: v for k, v in request.POST.items() if k.startswith(TEXT_PREFIXES)}
        note = exc.message + (" — your text is kept below; save again to replace their version"
                              if isinstance(exc, RevisionConflict) else "")
        context = _page_context(request, assistant, lang, {key: (posted, note)})
        return TemplateResponse(request, "editor/translations.html", context, status=exc.status)
    messages.success(request, message)
    anchor = f"#{key[0][0]}-{key[1]}"
    return redirect(f"{reverse('translations', kwargs={'slug': assistant.slug})}?{urlencode({'lang': lang})}{anchor}")


# --- spreadsheets ---------------------------------------------------------------------------------


@login_required
@require_GET
@domain_errors_as_pages
def responses_csv_export_view(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    # A BOM so spreadsheet programs open the file as UTF-8; import reads it with or without.
    text = "\ufeff" + responses_csv_export(user=request.user, assistant=assistant)
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{assistant.slug}-responses.csv"'
    return response


def _csv_context(assistant, **extra) -> dict:
    return {"assistant": assistant, "languages": assistant_languages(assistant), **extra}


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_pages
def responses_csv_import_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload → preview of every changed cell → apply (the file's text travels in the apply form)."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_EDIT_RESPONSES)
    template = "editor/responses_csv_import.html"
    if request.method == "GET":
        return TemplateResponse(request, template, _csv_context(assistant))
    try:
        if "csv" in request.POST:
            data = request.POST["csv"].encode("utf-8")
            preview = responses_csv_apply(user=request.user, assistant=assistant, data=data,
                                          revisions=_posted_revisions(request))
            count = len(preview.changes)
            messages.success(request, f"Applied {count} change{'' if count == 1 else 's'} to "
                                      f"{len(preview.responses)} response{'' if len(preview.responses) == 1 else 's'}")
            return redirect("response_list", slug=assistant.slug)
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationFailed.one("file", msg="Choose a CSV file exported from the responses page")
        data = upload.read(settings.UPLOAD_MAX_BYTES + 1)  # the service refuses past the limit, naming it
        preview = responses_csv_preview(user=request.user, assistant=assistant, data=data)
    except (ValidationFailed, RevisionConflict) as exc:
        return TemplateResponse(request, template, _csv_context(assistant, error=exc.message), status=exc.status)
    # The apply form posts the file's text back; Django refuses form bodies past this size.
    form_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    context = _csv_context(assistant, preview=preview, csv=data.decode("utf-8-sig"),
                           revisions=json.dumps(preview.revisions),
                           too_large_for_form=form_limit is not None and len(data) > form_limit - 10_000,
                           api_apply=f"/api/assistants/{assistant.slug}/editor/responses-csv/apply")
    return TemplateResponse(request, template, context, status=422 if preview.problems else 200)


def _posted_revisions(request: HttpRequest) -> dict[str, int]:
    try:
        revisions = json.loads(request.POST.get("revisions", ""))
    except ValueError:
        revisions = None
    if not isinstance(revisions, dict) or not all(isinstance(v, int) for v in revisions.values()):
        raise ValidationFailed.one("revisions", msg="the preview's revisions are missing; upload the file again")
    return revisions
