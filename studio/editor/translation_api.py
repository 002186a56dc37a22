"""API routes for translations and the responses spreadsheet, on the editor's router (studio/editor/api.py
imports this module): the same services the pages call."""
from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Schema
from ninja.files import UploadedFile

from studio.accounts.permissions import CAN_READ
from studio.assistants.responses_csv import CsvPreview, responses_csv_apply, responses_csv_export, responses_csv_preview
from studio.assistants.schemas import ErrorOut
from studio.assistants.selectors import assistant_get_for_user
from studio.assistants.translations import (
    assistant_languages,
    check_language,
    flow_name_translation_save,
    missing_counts,
    response_translations_save,
    translation_table,
)
from studio.core.exceptions import ValidationFailed
from studio.editor.api import BASE, ERRORS, router


class TranslationCellOut(Schema):
    field: str
    label: str
    source: str
    translated: str


class ResponseTranslationOut(Schema):
    name: str
    revision: int
    missing: int
    cells: list[TranslationCellOut]


class FlowNameTranslationOut(Schema):
    flow_id: str
    revision: int
    name: str
    translated: str


class TranslationsOut(Schema):
    default_language: str
    languages: list[str]
    missing: dict[str, int]
    language: str
    responses: list[ResponseTranslationOut]
    flows: list[FlowNameTranslationOut]


class ResponseTranslationIn(Schema):
    revision: int
    texts: dict[str, str]


class FlowNameTranslationIn(Schema):
    revision: int
    name: str


class CellChangeOut(Schema):
    row: int
    response: str
    where: str
    language: str
    status: str
    old: str
    new: str


class CsvPreviewOut(Schema):
    changes: list[CellChangeOut]
    problems: list[str]
    revisions: dict[str, int]


def _translations_out(assistant, language: str) -> dict:
    languages = assistant_languages(assistant)
    table = translation_table(assistant, language)
    return {
        "default_language": languages.default, "languages": list(languages.additional),
        "missing": missing_counts(assistant, languages), "language": language,
        "responses": [{"name": r.response.name, "revision": r.response.revision, "missing": r.missing,
                       "cells": [{"field": c.field, "label": c.label, "source": c.source,
                                  "translated": c.translated(language)} for c in r.cells]} for r in table.responses],
        "flows": [{"flow_id": f.flow.flow_id, "revision": f.flow.revision, "name": f.name,
                   "translated": f.translated} for f in table.flows],
    }


@router.get(BASE + "/translations/{lang}", response={200: TranslationsOut, **ERRORS})
def editor_translations(request: HttpRequest, slug: str, lang: str):
    """Response texts, button titles and flow names with their `lang` translations and missing counts."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    return _translations_out(assistant, check_language(assistant_languages(assistant), lang))


@router.put(BASE + "/translations/{lang}/responses/{path:name}",
            response={200: TranslationsOut, 409: ErrorOut, **ERRORS})
def editor_response_translation_save(request: HttpRequest, slug: str, lang: str, name: str,
                                     payload: ResponseTranslationIn):
    """Set `lang` texts of one response by field (text-0, button-0-1); an empty text removes one."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    response_translations_save(user=request.user, assistant=assistant, name=name, language=lang,
                               texts=payload.texts, revision=payload.revision)
    return _translations_out(assistant, lang)


@router.put(BASE + "/translations/{lang}/flows/{flow_id}", response={200: TranslationsOut, 409: ErrorOut, **ERRORS})
def editor_flow_name_translation_save(request: HttpRequest, slug: str, lang: str, flow_id: str,
                                      payload: FlowNameTranslationIn):
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    flow_name_translation_save(user=request.user, assistant=assistant, flow_id=flow_id, language=lang,
                               name=payload.name, revision=payload.revision)
    return _translations_out(assistant, lang)


@router.get(BASE + "/responses.csv", response={200: None, **ERRORS})
def editor_responses_csv(request: HttpRequest, slug: str):
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    text = responses_csv_export(user=request.user, assistant=assistant)
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{assistant.slug}-responses.csv"'
    return response


def _preview_out(preview: CsvPreview) -> dict:
    return {"changes": [{"row": c.row, "response": c.response, "where": c.label, "language": c.language,
                         "status": c.status, "old": c.old, "new": c.new} for c in preview.changes],
            "problems": preview.problems, "revisions": preview.revisions}


def _read(file: UploadedFile) -> bytes:
    return file.read(settings.UPLOAD_MAX_BYTES + 1)  # the service names the limit when this is past it


@router.post(BASE + "/responses-csv/preview", response={200: CsvPreviewOut, **ERRORS})
def editor_responses_csv_preview(request: HttpRequest, slug: str, file: File[UploadedFile]):
    """Every cell an edited export would change, and every row or column it cannot use."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    return _preview_out(responses_csv_preview(user=request.user, assistant=assistant, data=_read(file)))


@router.post(BASE + "/responses-csv/apply", response={200: CsvPreviewOut, 409: ErrorOut, **ERRORS})
def editor_responses_csv_apply(request: HttpRequest, slug: str, file: File[UploadedFile],
                               revisions: Form[str] = ""):
    """Apply an edited export at once or not at all; `revisions` (the preview's, as JSON) makes a
    response saved since the preview a 409."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    try:
        seen = json.loads(revisions) if revisions else None
    except ValueError:
        seen = ""
    if seen is not None and not (isinstance(seen, dict) and all(isinstance(v, int) for v in seen.values())):
        raise ValidationFailed.one("revisions", msg="must be the preview's revisions: a JSON object of numbers")
    return _preview_out(responses_csv_apply(user=request.user, assistant=assistant, data=_read(file), revisions=seen))
