"""The REST entrance: zip upload, zip download, preview and apply; errors are 4xx with places."""

import io
import zipfile

import pytest

from studio.assistants.models import Flow
from studio.exchange.yamlproject import build_zip, read_directory

from exchange_projects import FIXTURES

pytestmark = pytest.mark.django_db


def _upload(raw: dict[str, bytes], name: str = "project.zip"):
    data = io.BytesIO(build_zip(raw))
    data.name = name
    return data


def _bank() -> dict[str, bytes]:
    return read_directory(FIXTURES / "bank_split").raw_by_path()


def test_designer_imports_a_zip_and_gets_counts_and_warnings(client_for):
    response = client_for("designer").post("/api/assistants/import", {"file": _upload(_bank()), "name": "Bank"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Bank" and body["counts"]["flows"] == 4 and body["warnings"] == []


def test_upload_that_is_not_a_zip_is_422_naming_the_file(client_for):
    bad = io.BytesIO(b"hello")
    bad.name = "notes.txt"
    response = client_for("owner").post("/api/assistants/import", {"file": bad})
    assert response.status_code == 422
    problem = response.json()["problems"][0]
    assert problem["file"] == "notes.txt" and problem["message"].startswith("not a zip archive")


def test_invalid_flow_is_422_with_file_line_flow_and_step(client_for):
    raw = _bank()
    raw["data/flows/greet.yaml"] = raw["data/flows/greet.yaml"].replace(b"- action: utter_greet", b"- action: utter_gone")
    response = client_for("owner").post("/api/assistants/import", {"file": _upload(raw)})
    assert response.status_code == 422
    assert response.json()["problems"] == [{
        "message": "action 'utter_gone' is not a response in the domain",
        "file": "data/flows/greet.yaml", "line": 8, "flow_id": "greet_user", "step_id": "greet_user_1_utter_gone"}]


def test_anonymous_import_is_401(client):
    response = client.post("/api/assistants/import", {"file": _upload(_bank())})
    assert response.status_code == 401


def test_export_returns_a_zip_of_the_project(client_for, users):
    owner = client_for("owner")
    slug = owner.post("/api/assistants/import", {"file": _upload(_bank())}).json()["slug"]
    response = owner.get(f"/api/assistants/{slug}/export")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.read(f"{slug}/data/flows/transfer.yml") == _bank()["data/flows/transfer.yml"]


def test_outsider_export_is_404(client_for, assistant):
    assert client_for("outsider").get(f"/api/assistants/{assistant.slug}/export").status_code == 404


def test_preview_then_apply_reimports_as_one_change(client_for, users):
    owner = client_for("owner")
    slug = owner.post("/api/assistants/import", {"file": _upload(_bank())}).json()["slug"]
    raw = _bank()
    del raw["data/flows/greet.yaml"]
    raw["domain/shared.yml"] = raw["domain/shared.yml"].replace(b"What is your name?", b"Your name?")
    preview = owner.post(f"/api/assistants/{slug}/import/preview", {"file": _upload(raw)})
    assert preview.status_code == 200
    changes = [(c["kind"], c["name"], c["status"]) for c in preview.json()["changes"]]
    assert changes == [("flows", "greet_user", "removed"), ("responses", "utter_ask_user_name", "changed")]
    applied = owner.post(f"/api/assistants/{slug}/import/apply", {"pending": preview.json()["pending"]},
                         content_type="application/json")
    assert applied.status_code == 200
    assert not Flow.objects.filter(assistant__slug=slug, flow_id="greet_user").exists()


def test_writer_cannot_preview_a_reimport(client_for, assistant):
    response = client_for("writer").post(f"/api/assistants/{assistant.slug}/import/preview",
                                         {"file": _upload(_bank())})
    assert response.status_code == 403


def test_rename_route_renames_and_reports_changed_rows(client_for):
    owner = client_for("owner")
    slug = owner.post("/api/assistants/import", {"file": _upload(_bank())}).json()["slug"]
    response = owner.post(f"/api/assistants/{slug}/rename",
                          {"kind": "responses", "old": "utter_done", "new": "utter_finished"},
                          content_type="application/json")
    body = response.json()
    assert response.status_code == 200 and body["changed"] == 2 and body["dry_run"] is False
    assert [c["what"] for c in body["changes"]] == ["flow transfer_money", "response utter_finished"]
    missing = owner.post(f"/api/assistants/{slug}/rename", {"kind": "flows", "old": "nope", "new": "x"},
                         content_type="application/json")
    assert missing.status_code == 404 and missing.json() == {"detail": "flow 'nope' not found in 'bank_split'"}


def test_binary_and_nested_files_come_back_byte_identical(client_for):
    raw = _bank()
    raw["docs/logo.png"] = bytes(range(256))
    raw["actions/sub/helpers.py"] = b"X = 1\r\n"  # CRLF kept
    owner = client_for("owner")
    slug = owner.post("/api/assistants/import", {"file": _upload(raw)}).json()["slug"]
    archive = zipfile.ZipFile(io.BytesIO(owner.get(f"/api/assistants/{slug}/export").content))
    assert {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()} == raw
