"""Responses kept in data files: Rasa merges a data file's `responses:` into the domain, the data
file winning over a domain response of the same name (verdicts in rasa_verdicts/response_in_*).
The studio imports them as editable responses and writes them back where they were."""

import difflib
from pathlib import Path

import pytest

from engine import load_project
from studio.assistants.models import Response
from studio.assistants.services import response_delete, response_save
from studio.exchange.services import assistant_export, assistant_import
from studio.exchange.yamlproject import read_directory

pytestmark = pytest.mark.django_db

VERDICTS = Path(__file__).parent / "rasa_verdicts"
IN_NLU = VERDICTS / "response_in_nlu_file" / "project"
IN_BOTH = VERDICTS / "response_in_data_file_and_domain" / "project"


def _changed_lines(before: bytes, after: bytes) -> list[str]:
    diff = difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("---", "+++")]


def _changed_files(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {p for p in set(before) | set(after) if before.get(p) != after.get(p)}


def test_a_response_in_an_nlu_file_imports_and_is_edited_in_place(users):
    owner = users["owner"]
    assistant = assistant_import(user=owner, source=IN_NLU).assistant
    response = Response.objects.get(assistant=assistant, name="utter_goodbye")
    assert response.source_path == "data/nlu.yml" and response.variations == [{"text": "Goodbye!"}]
    before = read_directory(IN_NLU).raw_by_path()
    assert assistant_export(user=owner, assistant=assistant) == before

    response_save(user=owner, assistant=assistant, name="utter_goodbye", variations=[{"text": "See you soon!"}],
                  revision=response.revision)
    after = assistant_export(user=owner, assistant=assistant)
    assert _changed_files(before, after) == {"data/nlu.yml"}
    assert _changed_lines(before["data/nlu.yml"], after["data/nlu.yml"]) == [
        '-    - text: "Goodbye!"', '+    - text: "See you soon!"']


def test_a_data_file_response_replaces_the_domain_one_as_in_rasa(users):
    owner = users["owner"]
    result = assistant_import(user=owner, source=IN_BOTH)
    [warning] = [w for w in result.warnings if "utter_transfer_complete" in str(w)]
    assert warning.file == "domain.yml" and "data/responses.yml" in str(warning)
    studio = Response.objects.get(assistant=result.assistant, name="utter_transfer_complete")
    assert studio.source_path == "data/responses.yml"
    assert studio.variations == [{"text": "Sent {amount} to {recipient}."}]
    # The engine's own loader (python -m engine) agrees.
    engine_text = load_project(IN_BOTH).responses["utter_transfer_complete"][0].text
    assert engine_text == "Sent {amount} to {recipient}."


def test_the_replaced_domain_response_stays_until_the_response_is_deleted(users):
    owner = users["owner"]
    assistant = assistant_import(user=owner, source=IN_BOTH).assistant
    before = read_directory(IN_BOTH).raw_by_path()
    assert assistant_export(user=owner, assistant=assistant) == before

    # An edit of another response in domain.yml leaves the replaced entry as it was.
    ask = Response.objects.get(assistant=assistant, name="utter_ask_recipient")
    response_save(user=owner, assistant=assistant, name="utter_ask_recipient",
                  variations=[{"text": "Who gets the money?"}], revision=ask.revision)
    edited = assistant_export(user=owner, assistant=assistant)
    assert _changed_files(before, edited) == {"domain.yml"}
    assert _changed_lines(before["domain.yml"], edited["domain.yml"]) == [
        '-    - text: "Who would you like to send money to?"', '+    - text: "Who gets the money?"']

    # Deleted in the studio, it is gone from both files: Rasa would otherwise still find it.
    flows = before["data/flows.yml"].decode().replace("      - action: utter_transfer_complete\n", "")
    (tmp := read_directory(IN_BOTH).raw_by_path())["data/flows.yml"] = flows.encode()
    assistant_import(user=owner, source=tmp, assistant=assistant)
    response_delete(user=owner, assistant=assistant, name="utter_transfer_complete")
    deleted = assistant_export(user=owner, assistant=assistant)
    assert "utter_transfer_complete" not in deleted["domain.yml"].decode()
    assert "data/responses.yml" not in deleted  # it held nothing else


def test_a_reimport_shows_a_changed_data_file_response_as_a_changed_response(users):
    from studio.exchange.services import import_preview

    owner = users["owner"]
    assistant = assistant_import(user=owner, source=IN_NLU).assistant
    same = import_preview(user=owner, assistant=assistant, source=IN_NLU)
    assert same.changes == [] and same.files_changed == []

    files = read_directory(IN_NLU).raw_by_path()
    files["data/nlu.yml"] = files["data/nlu.yml"].replace(b'"Goodbye!"', b'"Bye for now!"')
    preview = import_preview(user=owner, assistant=assistant, source=files)
    assert [(c.kind, c.name, c.status) for c in preview.changes] == [("responses", "utter_goodbye", "changed")]
    assert '+  - text: Bye for now!' in preview.changes[0].diff


@pytest.mark.parametrize("case", ["response_in_data_file_and_domain", "response_in_two_data_files"])
def test_the_studio_and_the_engine_keep_the_definition_rasa_keeps(users, case):
    import json

    winners = json.loads((VERDICTS / "response_winners.json").read_text())[case]
    project = VERDICTS / case / "project"
    assistant = assistant_import(user=users["owner"], source=project).assistant
    for name, variations in winners.items():
        assert Response.objects.get(assistant=assistant, name=name).variations == variations
        assert load_project(project).responses[name][0].text == variations[0]["text"]
    # Both definitions are exported as they were: the studio drops neither.
    assert assistant_export(user=users["owner"], assistant=assistant) == read_directory(project).raw_by_path()
