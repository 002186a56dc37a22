"""Reading projects from directories and zips, and recognising files as Rasa does."""

import io
import zipfile

import pytest

from studio.exchange.yamlproject import ProjectInvalid, build_zip, files_from_mapping, read_directory, read_zip

from exchange_projects import FIXTURES


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buf.getvalue()


def test_files_are_recognised_like_rasa_does():
    files = read_directory(FIXTURES / "bank_split")
    kinds = {f.path: f.kind for f in files}
    assert kinds["config.yml"] == "config"
    assert kinds["domain/system/patterns.yml"] == "domain"
    assert kinds["data/flows/greet.yaml"] == "flows"
    assert kinds["data/system/patterns/pattern_chitchat.yml"] == "flows"
    assert kinds["data/nlu.yml"] == "training_data"
    assert kinds["tests/e2e_test_cases.yml"] == "e2e_test"
    assert kinds["actions/actions.py"] == "other"
    assert kinds["docs/faq.md"] == "other"


def test_any_yaml_with_test_cases_is_an_e2e_file():
    files = files_from_mapping({"checks/smoke.yml": b"test_cases: []\n", "data/x.yml": b"flows: {}\n"})
    assert files.get("checks/smoke.yml").kind == "e2e_test"
    assert files.get("data/x.yml").kind == "flows"


def test_zip_of_a_folder_is_read_from_inside_the_folder():
    data = _zip({"bank/config.yml": b"recipe: default.v1\n", "bank/data/flows.yml": b"flows: {}\n"})
    files = read_zip(data)
    assert sorted(f.path for f in files) == ["config.yml", "data/flows.yml"]


def test_zip_with_a_path_outside_the_project_is_refused():
    data = _zip({"config.yml": b"x: 1\n", "../evil.yml": b"x: 1\n"})
    with pytest.raises(ProjectInvalid) as err:
        read_zip(data)
    assert "unsafe path" in str(err.value)
    assert err.value.problems[0].file == "../evil.yml"


def test_a_file_that_is_not_a_zip_is_refused_with_its_name():
    with pytest.raises(ProjectInvalid) as err:
        read_zip(b"this is not a zip", name="assistant.zip")
    assert str(err.value).startswith("assistant.zip: not a zip archive")


def test_built_zip_reads_back_to_the_same_files():
    files = read_directory(FIXTURES / "bank_split")
    data = build_zip(files.raw_by_path())
    assert read_zip(data).raw_by_path() == files.raw_by_path()
    assert build_zip(files.raw_by_path()) == data  # deterministic archive
