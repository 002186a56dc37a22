"""The import, re-import (preview, apply) and export pages."""

import io
import re
import zipfile

import pytest

from studio.assistants.models import Flow, Response
from studio.exchange.yamlproject import build_zip, read_directory

from exchange_projects import FIXTURES

pytestmark = pytest.mark.django_db


def _zip(name: str = "bank_split", edit=None) -> io.BytesIO:
    raw = read_directory(FIXTURES / name).raw_by_path()
    if edit:
        edit(raw)
    data = io.BytesIO(build_zip(raw))
    data.name = "project.zip"
    return data


def test_import_page_shows_the_upload_form(client_for):
    response = client_for("viewer").get("/import/")
    assert response.status_code == 200
    assert b'name="file"' in response.content


def test_uploading_a_project_shows_the_result_with_warnings(client_for):
    response = client_for("designer").post("/import/", {"file": _zip("helpdesk_single"), "name": "Help desk"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Imported Help desk" in text
    assert "response &#x27;utter_old_greeting&#x27; is never used by a flow" in text
    assert Flow.objects.filter(assistant__name="Help desk").count() == 1


def test_invalid_upload_lists_every_problem_and_saves_nothing(client_for):
    def break_it(raw):
        raw["data/flows/greet.yaml"] = b"flows:\n  greet_user:\n    description: x\n    steps: []\n"
    response = client_for("owner").post("/import/", {"file": _zip(edit=break_it)})
    assert response.status_code == 422
    text = response.content.decode()
    assert "Import refused: 1 problem." in text
    assert "data/flows/greet.yaml:2, flow &#x27;greet_user&#x27;</code>: the flow has no steps" in text
    assert not Flow.objects.exists()


def test_posting_without_a_file_is_400(client_for):
    response = client_for("owner").post("/import/", {})
    assert response.status_code == 400 and b"Choose a .zip file" in response.content


def test_reimport_preview_shows_diff_and_apply_saves_it(client_for, users):
    owner = client_for("owner")
    owner.post("/import/", {"file": _zip(), "name": "Bank"})

    def edit(raw):
        raw["domain/shared.yml"] = raw["domain/shared.yml"].replace(b"What is your name?", b"Your name, please?")
    preview = owner.post("/assistants/bank/reimport/", {"file": _zip(edit=edit)})
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "utter_ask_user_name" in text and "+  - text: Your name, please?" in text
    assert Response.objects.get(assistant__slug="bank", name="utter_ask_user_name").variations[0]["text"] == \
        "What is your name?"
    pending = re.search(r'name="pending" value="([^"]+)"', text).group(1)
    applied = owner.post("/assistants/bank/reimport/apply/", {"pending": pending})
    assert applied.status_code == 200 and b"Re-imported Bank" in applied.content
    assert Response.objects.get(assistant__slug="bank", name="utter_ask_user_name").variations[0]["text"] == \
        "Your name, please?"


def test_writer_cannot_open_the_reimport_page(client_for, assistant):
    assert client_for("writer").get(f"/assistants/{assistant.slug}/reimport/").status_code == 403


def test_export_page_downloads_a_zip_for_a_viewer(client_for, assistant):
    response = client_for("viewer").get(f"/assistants/{assistant.slug}/export.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert f"{assistant.slug}/config.yml" in names


def test_outsider_gets_404_for_export(client_for, assistant):
    assert client_for("outsider").get(f"/assistants/{assistant.slug}/export.zip").status_code == 404


def test_dashboard_and_overview_link_to_import_and_export(client_for, assistant):
    assert b'href="/import/"' in client_for("viewer").get("/").content
    overview = client_for("designer").get(f"/assistants/{assistant.slug}/").content.decode()
    assert f'href="/assistants/{assistant.slug}/export.zip"' in overview
    assert f'href="/assistants/{assistant.slug}/reimport/"' in overview
    viewer_overview = client_for("viewer").get(f"/assistants/{assistant.slug}/").content.decode()
    assert "reimport" not in viewer_overview and "export.zip" in viewer_overview
