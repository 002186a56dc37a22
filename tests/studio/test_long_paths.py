"""Paths over 500 characters are client errors: URLs get 404, overlong file paths in a zip get 422."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

LONG = "a" * 600
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "projects" / "helpdesk_single"


@pytest.mark.parametrize("path", [
    f"/assistants/{LONG}/", f"/assistants/{LONG}/try/", f"/assistants/pizza-bot/flows/{LONG}/edit/",
    f"/api/assistants/{LONG}", f"/api/assistants/pizza-bot/flows/{LONG}", f"/static/{LONG}",
    f"/static/css/{LONG}.css", f"/{LONG}",
])
def test_a_url_over_500_characters_is_not_found(client_for, assistant, path):
    client = client_for("owner")
    client.raise_request_exception = False
    assert client.get(path).status_code == 404


def _zip_with_flows_at(flows_path: str) -> io.BytesIO:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        for file in FIXTURE.rglob("*"):
            if file.is_file():
                name = file.relative_to(FIXTURE).as_posix()
                archive.writestr(flows_path if name == "data/flows.yml" else name, file.read_bytes())
    data.seek(0)
    data.name = "project.zip"
    return data


def test_an_imported_file_path_over_500_characters_is_a_422_naming_it(client_for):
    # PostgreSQL refused the row (source_path holds 500 characters) and the import was a 500.
    flows_path = "data/" + "/".join(["d" * 100] * 6) + "/flows.yml"
    client = client_for("owner")
    client.raise_request_exception = False
    response = client.post("/api/assistants/import", {"file": _zip_with_flows_at(flows_path)})
    assert response.status_code == 422
    problem = response.json()["problems"][0]
    assert problem["file"] == flows_path
    assert "500 characters" in problem["message"]
