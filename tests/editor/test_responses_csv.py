"""Responses as CSV: export with translations, import with a preview of every change, apply at once."""
from __future__ import annotations

import csv
import io
import json

import pytest

from studio.assistants import services
from studio.assistants.models import Response
from studio.assistants.responses_csv import responses_csv_apply, responses_csv_export, responses_csv_preview
from studio.core.exceptions import Forbidden, NotFound, RevisionConflict, ValidationFailed

pytestmark = pytest.mark.django_db

HEADER = ["response", "variation", "part", "when", "en", "de", "es"]


@pytest.fixture
def texts(assistant, users):
    owner = users["owner"]
    services.assistant_update(user=owner, assistant=assistant,
                              config_yaml=assistant.config_yaml + "additional_languages: [de, es]\n")
    assistant.refresh_from_db()
    services.response_save(user=owner, assistant=assistant, name="utter_ask_size", revision=None, variations=[
        {"text": "Which size?", "translation": {"de": "Welche Größe?"},
         "buttons": [{"title": "Small", "payload": "/SetSlots(size=small)"},
                     {"title": "Large", "payload": "/SetSlots(size=large)", "translation": {"de": {"title": "Groß"}}}]},
        {"text": "Size, please.", "channel": "browser_audio", "condition": "slots.hungry = true"},
    ])
    services.response_save(user=owner, assistant=assistant, name="utter_total", revision=None,
                           variations=[{"text": "=1+1 is the total", "translation": {"de": "-5 € Rabatt"}}])
    services.response_save(user=owner, assistant=assistant, name="utter_card", revision=None,
                           variations=[{"custom": {"kind": "card"}}])
    return assistant


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def _export(assistant, users, role="viewer") -> list[list[str]]:
    return _rows(responses_csv_export(user=users[role], assistant=assistant))


def test_export_has_one_row_per_text_and_button_and_one_column_per_language(texts, users):
    assert _export(texts, users) == [
        HEADER,
        ["utter_ask_size", "1", "text", "", "Which size?", "Welche Größe?", ""],
        ["utter_ask_size", "1", "button 1", "", "Small", "", ""],
        ["utter_ask_size", "1", "button 2", "", "Large", "Groß", ""],
        ["utter_ask_size", "2", "text", "if slots.hungry = true; channel browser_audio", "Size, please.", "", ""],
        ["utter_total", "1", "text", "", "'=1+1 is the total", "'-5 € Rabatt", ""],
    ]


def test_an_unchanged_export_imports_as_no_changes(texts, users):
    data = responses_csv_export(user=users["viewer"], assistant=texts).encode("utf-8")
    preview = responses_csv_preview(user=users["writer"], assistant=texts, data=data)
    assert (preview.changes, preview.problems) == ([], [])


def test_the_downloaded_file_round_trips_with_its_byte_order_mark(texts, client_for, users):
    download = client_for("viewer").get(f"/assistants/{texts.slug}/responses.csv")
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"] == 'attachment; filename="pizza-bot-responses.csv"'
    assert download.content.startswith("\ufeff".encode())
    preview = responses_csv_preview(user=users["writer"], assistant=texts, data=download.content)
    assert (preview.changes, preview.problems) == ([], [])


def test_editing_one_cell_is_exactly_one_change_and_applying_saves_only_it(texts, users):
    rows = _export(texts, users)
    rows[2][5] = "Klein"  # utter_ask_size, button 1, de
    preview = responses_csv_preview(user=users["writer"], assistant=texts, data=_csv(rows))
    assert [(c.row, c.response, c.label, c.language, c.status, c.old, c.new) for c in preview.changes] == [
        (3, "utter_ask_size", "variation 1, button 1", "de", "added", "", "Klein")]
    before = {r.name: r.revision for r in Response.objects.filter(assistant=texts)}
    responses_csv_apply(user=users["writer"], assistant=texts, data=_csv(rows), revisions=preview.revisions)
    after = {r.name: r.revision for r in Response.objects.filter(assistant=texts)}
    assert after == {**before, "utter_ask_size": before["utter_ask_size"] + 1}
    button = Response.objects.get(assistant=texts, name="utter_ask_size").variations[0]["buttons"][0]
    assert button == {"title": "Small", "payload": "/SetSlots(size=small)", "translation": {"de": {"title": "Klein"}}}
    assert responses_csv_preview(user=users["writer"], assistant=texts, data=_csv(rows)).changes == []


def test_default_language_text_and_removed_translations_are_changes_too(texts, users):
    rows = _export(texts, users)
    rows[1][4], rows[3][5] = "What size?", ""
    preview = responses_csv_preview(user=users["writer"], assistant=texts, data=_csv(rows))
    assert [(c.row, c.language, c.status) for c in preview.changes] == [(2, "en", "changed"), (4, "de", "removed")]
    responses_csv_apply(user=users["writer"], assistant=texts, data=_csv(rows))
    variation = Response.objects.get(assistant=texts, name="utter_ask_size").variations[0]
    assert variation["text"] == "What size?" and "translation" not in variation["buttons"][1]


def test_a_formula_typed_in_a_spreadsheet_is_kept_as_text(texts, users):
    rows = _export(texts, users)
    rows[5][6] = "=HYPERLINK(\"x\")"
    preview = responses_csv_preview(user=users["writer"], assistant=texts, data=_csv(rows))
    assert [(c.language, c.new) for c in preview.changes] == [("es", "=HYPERLINK(\"x\")")]
    assert _export(texts, users)[5][4:6] == ["'=1+1 is the total", "'-5 € Rabatt"]


def test_a_text_that_already_starts_with_an_apostrophe_survives_the_round_trip(texts, users):
    services.response_save(user=users["writer"], assistant=texts, name="utter_total", revision=1,
                           variations=[{"text": "'=quoted", "translation": {"de": "'hallo"}}])
    rows = _export(texts, users)
    assert rows[5][4:6] == ["''=quoted", "'hallo"]
    assert responses_csv_preview(user=users["writer"], assistant=texts, data=_csv(rows)).changes == []


def test_unknown_responses_columns_and_places_are_reported_by_row_and_column(texts, users):
    rows = _export(texts, users)
    rows[0].append("fr")
    rows[1][0] = "utter_gone"
    rows[2][2] = "button 9"
    rows[3][1] = "first"
    rows.append(list(rows[4]))
    preview = responses_csv_preview(user=users["writer"], assistant=texts, data=_csv(rows))
    assert preview.problems == [
        "row 1, column H (fr): not a column of a responses export; the columns are response, variation, part, "
        "when, en, de, es (add a language to additional_languages first)",
        "row 2, column A (response): no response named 'utter_gone'",
        "row 3, column C (part): utter_ask_size has no button 9 in variation 1",
        "row 4, column B (variation): 'first' is not a variation number (1, 2, …)",
        "row 7: utter_ask_size text of variation 2 is already on row 5",
    ]
    with pytest.raises(ValidationFailed):
        responses_csv_apply(user=users["writer"], assistant=texts, data=_csv(rows))


def test_an_emptied_default_text_is_refused(texts, users):
    rows = _export(texts, users)
    rows[1][4] = " "
    preview = responses_csv_preview(user=users["writer"], assistant=texts, data=_csv(rows))
    assert preview.problems == ["row 2, column E (en): the en text cannot be empty; remove a variation or button "
                                "in the response editor"]


def test_a_file_without_the_key_columns_says_which_is_missing(texts, users):
    preview = responses_csv_preview(user=users["writer"], assistant=texts, data=b"name,de\nutter_total,x\n")
    assert preview.problems == [
        "row 1, column A (name): not a column of a responses export; the columns are response, variation, part, "
        "when, en, de, es (add a language to additional_languages first)",
        "row 1: the column 'response' is missing", "row 1: the column 'variation' is missing",
        "row 1: the column 'part' is missing"]


def test_a_file_that_is_not_utf8_gets_a_clear_error(texts, users):
    with pytest.raises(ValidationFailed) as exc:
        responses_csv_preview(user=users["writer"], assistant=texts, data="response,Größe\n".encode("latin-1"))
    assert str(exc.value) == ("file: The file is not UTF-8 text (byte 0xf6 at position 11): save it as "
                              "“CSV UTF-8” and upload it again")


def test_a_file_over_the_upload_limit_is_refused(texts, users, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationFailed) as exc:
        responses_csv_preview(user=users["writer"], assistant=texts, data=b"x" * (1024 * 1024 + 1))
    assert str(exc.value) == "file: The file is too large (1.0 MB; at most 1 MB)"


def test_apply_is_all_or_nothing_when_a_response_changed_since_the_preview(texts, users):
    rows = _export(texts, users)
    rows[2][5], rows[5][6] = "Klein", "total"
    preview = responses_csv_preview(user=users["writer"], assistant=texts, data=_csv(rows))
    services.response_save(user=users["owner"], assistant=texts, name="utter_total", revision=1,
                           variations=[{"text": "The total"}])
    with pytest.raises(RevisionConflict) as exc:
        responses_csv_apply(user=users["writer"], assistant=texts, data=_csv(rows), revisions=preview.revisions)
    assert str(exc.value) == ("utter_total was changed by someone else since the preview; upload the file again "
                              "to see the changes against their version")
    assert Response.objects.get(assistant=texts, name="utter_ask_size").revision == 1


@pytest.mark.parametrize("role", ["owner", "designer", "writer"])
def test_writers_and_up_may_import(role, texts, users):
    assert responses_csv_preview(user=users[role], assistant=texts, data=_csv(_export(texts, users))).changes == []


def test_viewer_may_export_but_not_import(texts, users, client_for):
    with pytest.raises(Forbidden):
        responses_csv_preview(user=users["viewer"], assistant=texts, data=_csv(_export(texts, users)))
    assert client_for("viewer").get(f"/assistants/{texts.slug}/responses/import/").status_code == 403


def test_outsider_can_neither_export_nor_import(texts, users, client_for):
    with pytest.raises(NotFound):
        responses_csv_export(user=users["outsider"], assistant=texts)
    assert client_for("outsider").get(f"/assistants/{texts.slug}/responses.csv").status_code == 404
    assert client_for("outsider").get(f"/assistants/{texts.slug}/responses/import/").status_code == 404


def _upload(rows_or_bytes, name="responses.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = rows_or_bytes if isinstance(rows_or_bytes, bytes) else _csv(rows_or_bytes)
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_the_import_page_previews_then_applies_the_changes(texts, users, client_for):
    writer = client_for("writer")
    url = f"/assistants/{texts.slug}/responses/import/"
    rows = _export(texts, users)
    rows[1][6] = "¿Qué tamaño?"
    page = writer.post(url, {"file": _upload(rows)})
    assert page.status_code == 200
    html = page.content.decode()
    assert "1 change in 1 response" in html and "¿Qué tamaño?" in html and "Apply 1 change" in html
    assert Response.objects.get(assistant=texts, name="utter_ask_size").revision == 1
    applied = writer.post(url, {"csv": page.context["csv"], "revisions": page.context["revisions"]})
    assert applied.status_code == 302 and applied["Location"] == f"/assistants/{texts.slug}/responses/"
    assert "Applied 1 change to 1 response" in writer.get(applied["Location"]).content.decode()
    variation = Response.objects.get(assistant=texts, name="utter_ask_size").variations[0]
    assert variation["translation"] == {"de": "Welche Größe?", "es": "¿Qué tamaño?"}


def test_the_import_page_shows_problems_and_offers_no_apply(texts, users, client_for):
    rows = _export(texts, users)
    rows[1][0] = "utter_gone"
    page = client_for("writer").post(f"/assistants/{texts.slug}/responses/import/", {"file": _upload(rows)})
    html = page.content.decode()
    assert page.status_code == 422
    assert "row 2, column A (response): no response named &#x27;utter_gone&#x27;" in html
    assert "Apply" not in html


def test_the_import_page_explains_a_bad_encoding(texts, client_for):
    page = client_for("writer").post(f"/assistants/{texts.slug}/responses/import/",
                                     {"file": _upload("response,Größe\n".encode("utf-16"))})
    assert page.status_code == 422
    assert "The file is not UTF-8 text" in page.content.decode()


def test_the_import_page_refuses_an_apply_after_someone_saved(texts, users, client_for):
    rows = _export(texts, users)
    rows[1][5] = "Welche Größe denn?"
    page = client_for("writer").post(f"/assistants/{texts.slug}/responses/import/", {"file": _upload(rows)})
    stale = json.dumps({"utter_ask_size": 0})
    applied = client_for("writer").post(f"/assistants/{texts.slug}/responses/import/",
                                        {"csv": page.context["csv"], "revisions": stale})
    assert applied.status_code == 409
    assert "utter_ask_size was changed by someone else since the preview" in applied.content.decode()


def test_api_exports_previews_and_applies(texts, users, client_for):
    writer = client_for("writer")
    base = f"/api/assistants/{texts.slug}/editor"
    rows = _rows(writer.get(f"{base}/responses.csv").content.decode())
    rows[4][5] = "Größe, bitte."
    preview = writer.post(f"{base}/responses-csv/preview", {"file": _upload(rows)}).json()
    assert preview["changes"] == [{"row": 5, "response": "utter_ask_size", "where": "variation 2", "language": "de",
                                   "status": "added", "old": "", "new": "Größe, bitte."}]
    applied = writer.post(f"{base}/responses-csv/apply",
                          {"file": _upload(rows), "revisions": json.dumps(preview["revisions"])})
    assert applied.status_code == 200
    again = writer.post(f"{base}/responses-csv/apply",
                        {"file": _upload(rows), "revisions": json.dumps(preview["revisions"])})
    assert again.status_code == 200 and again.json()["changes"] == []
    assert Response.objects.get(assistant=texts, name="utter_ask_size").variations[1]["translation"] == \
        {"de": "Größe, bitte."}


def test_api_refuses_an_import_from_a_viewer(texts, users, client_for):
    response = client_for("viewer").post(f"/api/assistants/{texts.slug}/editor/responses-csv/preview",
                                         {"file": _upload(_export(texts, users))})
    assert response.status_code == 403


def test_a_file_too_large_for_the_apply_form_points_to_the_api(texts, users, client_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_100
    rows = _export(texts, users)
    rows[1][6] = "¿Qué tamaño?"
    html = client_for("writer").post(f"/assistants/{texts.slug}/responses/import/", {"file": _upload(rows)}
                                     ).content.decode()
    assert "This file is too large to apply from the browser; apply it through the API: " \
           f"<code>POST /api/assistants/{texts.slug}/editor/responses-csv/apply</code>" in html
    assert 'name="csv"' not in html
