"""What users send is read within limits: deep or alias-bombed YAML, lying zips, oversized uploads,
deep JSON, NUL characters and lone surrogates all get a 4xx naming the place, never a 500 or a crash."""
import io
import tracemalloc
import zipfile

import pytest

from studio.assistants.models import Assistant
from studio.exchange.yamlproject import build_zip, read_zip
from studio.exchange.yamlproject.problems import ProjectInvalid

from tests.engine.test_safe_input import BILLION_LAUGHS

CONFIG = b"recipe: default.v1\nlanguage: en\n"


def project_zip(extra: dict[str, bytes]) -> io.BytesIO:
    data = io.BytesIO(build_zip({"config.yml": CONFIG, "domain.yml": b"version: '3.1'\n", **extra}))
    data.name = "project.zip"
    return data


def deep(levels: int) -> bytes:
    return b"flows:\n  f: " + b"[" * levels + b"]" * levels + b"\n"


def api_import(client, extra: dict[str, bytes]):
    return client.post("/api/assistants/import", {"file": project_zip(extra)})


@pytest.mark.parametrize("levels", [100_000, 1_000])
def test_a_deep_yaml_file_in_a_small_zip_is_refused_through_the_api(client_for, levels):
    response = api_import(client_for("owner"), {"data/flows.yml": deep(levels)})
    assert response.status_code == 422
    assert response.json()["problems"] == [{"message": "nesting deeper than 100 levels", "file": "data/flows.yml",
                                            "line": 2, "flow_id": "", "step_id": ""}]
    assert client_for("owner").get("/api/assistants/").status_code == 200  # the process is still serving


@pytest.mark.parametrize("levels", [100_000, 1_000])
def test_a_deep_yaml_file_is_refused_on_the_import_page(client_for, levels):
    response = client_for("owner").post("/import/", {"file": project_zip({"data/flows.yml": deep(levels)})})
    assert response.status_code == 422
    assert "data/flows.yml:2</code>: nesting deeper than 100 levels" in response.content.decode()


def test_an_alias_bomb_is_refused_naming_the_file(client_for):
    response = api_import(client_for("owner"), {"data/nlu.yml": BILLION_LAUGHS.encode()})
    assert response.status_code == 422
    problem = response.json()["problems"][0]
    assert problem["file"] == "data/nlu.yml" and problem["message"].startswith("too many alias expansions")


@pytest.mark.parametrize(("text", "message"), [
    (b'flows:\n  f:\n    description: "a\\0b"\n', "NUL character (\\0) in a value; it cannot be stored"),
    (b'flows:\n  f:\n    description: "a\\ud800b"\n', "found invalid Unicode character escape code"),
])
def test_nul_and_surrogate_escapes_in_an_imported_file_are_refused_naming_file_and_line(client_for, text, message):
    response = api_import(client_for("owner"), {"data/flows.yml": text})
    assert response.status_code == 422
    problem = response.json()["problems"][0]
    assert (problem["file"], problem["line"]) == ("data/flows.yml", 3) and message in problem["message"]


# ---- settings YAML -------------------------------------------------------------------------------

DEEP_CONFIG = "pipeline: " + "[" * 1_000 + "]" * 1_000 + "\n"


@pytest.mark.parametrize("field", ["config_yaml", "endpoints_yaml"])
@pytest.mark.parametrize("text", [DEEP_CONFIG, "a: " + "[" * 99_000 + "]" * 99_000], ids=["1000", "99000"])
def test_deep_settings_yaml_through_the_api_is_422_naming_the_field(client_for, assistant, field, text):
    response = client_for("owner").patch(f"/api/assistants/{assistant.slug}", {field: text},
                                         content_type="application/json")
    assert response.status_code == 422
    file = "config.yml" if field == "config_yaml" else "endpoints.yml"
    assert response.json()["detail"] == [{"loc": [field], "msg": f"{file}, line 1: nesting deeper than 100 levels"}]


@pytest.mark.parametrize("field", ["config_yaml", "endpoints_yaml"])
def test_deep_settings_yaml_on_the_settings_page_is_400_naming_the_field(client_for, assistant, field):
    form = {"name": "Pizza Bot", "language": "en", "generator": "offline",
            "config_yaml": assistant.config_yaml, "endpoints_yaml": assistant.endpoints_yaml, field: DEEP_CONFIG}
    response = client_for("owner").post(f"/assistants/{assistant.slug}/settings/", form)
    assert response.status_code == 400
    assert "line 1: nesting deeper than 100 levels" in response.content.decode()
    assert Assistant.objects.get(pk=assistant.pk).config_yaml == assistant.config_yaml


def test_an_alias_bomb_in_settings_yaml_is_refused(client_for, assistant):
    response = client_for("owner").patch(f"/api/assistants/{assistant.slug}", {"config_yaml": BILLION_LAUGHS},
                                         content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["config_yaml"]
    assert "too many alias expansions" in response.json()["detail"][0]["msg"]


# ---- JSON bodies ---------------------------------------------------------------------------------

@pytest.mark.parametrize("levels", [100_000, 5_000, 101])
def test_deep_json_bodies_are_400_not_a_crash(client_for, assistant, levels):
    body = '{"settings": {"x": ' + "[" * levels + "]" * levels + "}}"
    response = client_for("owner").patch(f"/api/assistants/{assistant.slug}", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": [{"loc": ["body"], "msg": "nesting deeper than 100 levels"}]}


@pytest.mark.parametrize(("body", "loc", "msg"), [
    ('{"name": "a\\ud800b"}', ["body", "name"], "must not contain a lone surrogate (\\ud800)"),
    ('{"settings": {"k": ["\\udfff"]}}', ["body", "settings", "k", 0], "must not contain a lone surrogate (\\udfff)"),
    ('{"config_yaml": "a: \\u0000"}', ["body", "config_yaml"], "must not contain NUL characters (\\u0000)"),
])
def test_nul_and_lone_surrogates_in_json_bodies_are_422_naming_the_field(client_for, assistant, body, loc, msg):
    response = client_for("owner").patch(f"/api/assistants/{assistant.slug}", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json() == {"detail": [{"loc": loc, "msg": msg}]}
    assert Assistant.objects.get(pk=assistant.pk).name == "Pizza Bot"


def test_an_oversized_json_body_is_a_json_413(client_for, assistant):
    body = '{"description": "' + "x" * 3_000_000 + '"}'
    response = client_for("owner").patch(f"/api/assistants/{assistant.slug}", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["detail"] == [{"loc": ["body"],
                                          "msg": "the request body is too large (at most 2,621,440 bytes)"}]


# ---- zips and uploads ----------------------------------------------------------------------------

def lying_zip(real: bytes, declared: int) -> bytes:
    """A zip whose entry says it holds `declared` bytes but inflates to `real`."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data/big.yml", real)
    data = bytearray(buf.getvalue())
    size = len(real).to_bytes(4, "little")
    small = declared.to_bytes(4, "little")
    for header in (b"PK\x03\x04", b"PK\x01\x02"):  # local header and central directory entry
        at = data.find(header)
        offset = at + (22 if header == b"PK\x03\x04" else 24)
        assert data[offset:offset + 4] == size
        data[offset:offset + 4] = small
    return bytes(data)


def test_an_entry_that_lies_about_its_size_is_never_inflated_past_the_limit():
    data = lying_zip(bytes(80_000_000), declared=100)  # 80 MB of zeros in an 80 KB zip
    tracemalloc.start()
    try:
        with pytest.raises(ProjectInvalid) as caught:
            read_zip(data, name="liar.zip")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(caught.value).startswith("data/big.yml: cannot read from archive: Bad CRC-32")
    assert peak < 10_000_000  # read in small chunks, not inflated whole


def test_the_unpacked_total_stops_at_the_limit():
    data = build_zip({f"docs/{i}.txt": bytes(400_000) for i in range(5)})
    with pytest.raises(ProjectInvalid) as caught:
        read_zip(data, name="big.zip", max_bytes=1_000_000)
    assert str(caught.value) == "big.zip: archive too large when unpacked (over 0.95 MB)"


def test_entries_compressed_with_other_methods_are_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("config.yml", CONFIG)
    with pytest.raises(ProjectInvalid) as caught:
        read_zip(buf.getvalue(), name="p.zip")
    assert str(caught.value) == "config.yml: compressed with an unsupported method (only stored and deflate are read)"


@pytest.fixture
def small_upload_limit(settings):
    settings.UPLOAD_MAX_BYTES = 200_000


def big_zip() -> io.BytesIO:
    import os

    return project_zip({"docs/noise.bin": os.urandom(300_000)})  # random bytes do not compress


def test_every_upload_path_has_the_same_size_limit(client_for, assistant, small_upload_limit):
    owner, slug = client_for("owner"), assistant.slug
    for url in ("/api/assistants/import", f"/api/assistants/{slug}/import/preview"):
        response = owner.post(url, {"file": big_zip()})
        assert response.status_code == 422, url
        assert response.json()["problems"][0]["message"] == "upload too large (0.29 MB; at most 0.19 MB)", url
        assert response.json()["problems"][0]["file"] == "project.zip"
    for url in ("/import/", f"/assistants/{slug}/reimport/"):
        response = owner.post(url, {"file": big_zip()})
        assert response.status_code == 422, url
        assert "upload too large (0.29 MB; at most 0.19 MB)" in response.content.decode(), url
