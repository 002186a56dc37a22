"""New items go where the project keeps that kind of item; no file of the project is dropped."""

import difflib

import pytest

from studio.assistants.demo import DEMO_DIR, demo_assistant_load
from studio.assistants.models import Flow
from studio.assistants.services import flow_save, response_save, slot_save
from studio.exchange.services import assistant_export, assistant_import
from studio.exchange.yamlproject import Item, ProjectContent, files_from_mapping, read_directory, write_project

pytestmark = pytest.mark.django_db


def _changed_lines(before: bytes, after: bytes) -> list[str]:
    diff = difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("---", "+++")]


def test_the_demo_exports_byte_for_byte_as_its_project(users):
    demo, created = demo_assistant_load(user=users["owner"])
    assert created and demo.slug == "corner-cafe" and demo.name == "Corner Café"
    assert assistant_export(user=users["owner"], assistant=demo) == read_directory(DEMO_DIR).raw_by_path()


def test_new_slot_response_and_flow_in_the_demo_go_to_its_domain_yml_and_a_flow_file(users):
    owner = users["owner"]
    demo, _ = demo_assistant_load(user=owner)
    slot_save(user=owner, assistant=demo, name="milk", revision=None,
              data={"type": "categorical", "values": ["oat", "dairy"], "mappings": [{"type": "from_llm"}]})
    response_save(user=owner, assistant=demo, name="utter_ask_milk", variations=[{"text": "Which milk?"}],
                  revision=None)
    Flow.objects.create(assistant=demo, flow_id="choose_milk", description="Pick a milk.",
                        steps=[{"collect": "milk"}])
    out = assistant_export(user=owner, assistant=demo)
    assert not [path for path in out if path.startswith("domain/")]
    domain = out["domain.yml"].decode()
    assert "  milk:\n" in domain and "  utter_ask_milk:\n" in domain
    before = read_directory(DEMO_DIR).raw_by_path()
    assert {p for p in out if out[p] != before.get(p)} == {"domain.yml", "data/flows/choose_milk.yml"}
    assert all(line.startswith("+") for line in _changed_lines(before["domain.yml"], out["domain.yml"]))


def test_a_step_inserted_in_a_demo_flow_changes_only_those_lines_of_its_file(users):
    owner = users["owner"]
    demo, _ = demo_assistant_load(user=owner)
    flow = Flow.objects.get(assistant=demo, flow_id="opening_hours")
    body = flow.to_rasa()
    body["steps"].insert(1, {"action": "utter_thanks_feedback"})
    flow_save(user=owner, assistant=demo, flow_id="opening_hours", data=body, revision=flow.revision)
    out = assistant_export(user=owner, assistant=demo)
    before = read_directory(DEMO_DIR).raw_by_path()
    assert {p for p in out if out[p] != before.get(p)} == {"data/flows.yml"}
    assert _changed_lines(before["data/flows.yml"], out["data/flows.yml"]) == ["+      - action: utter_thanks_feedback"]


def test_rows_that_name_domain_yml_without_the_file_keep_new_items_in_domain_yml():
    content = ProjectContent()
    content.slots["drink"] = Item("drink", {"type": "text"}, "domain.yml", 0)
    content.slots["milk"] = Item("milk", {"type": "text"})
    content.responses["utter_bye"] = Item("utter_bye", [{"text": "Bye"}])
    out = write_project(None, content)
    assert set(out) == {"domain.yml"}
    assert out["domain.yml"].decode() == ('version: "3.1"\nslots:\n  drink:\n    type: text\n  milk:\n'
                                          "    type: text\nresponses:\n  utter_bye:\n    - text: Bye\n")


def test_a_domain_folder_that_keeps_slots_in_one_file_gets_new_slots_there():
    files = files_from_mapping({"domain/slots.yml": b"slots:\n  drink:\n    type: text\n",
                                "domain/responses.yml": b"responses:\n  utter_hi:\n  - text: Hi\n"})
    content = ProjectContent()
    content.slots["drink"] = Item("drink", {"type": "text"}, "domain/slots.yml", 0)
    content.slots["milk"] = Item("milk", {"type": "text"})
    content.responses["utter_hi"] = Item("utter_hi", [{"text": "Hi"}], "domain/responses.yml", 0)
    content.actions["action_pay"] = Item("action_pay", None)
    out = write_project(files, content)
    assert out["domain/slots.yml"] == b"slots:\n  drink:\n    type: text\n  milk:\n    type: text\n"
    assert out["domain/actions.yml"] == b'version: "3.1"\nactions:\n  - action_pay\n'
    assert "domain.yml" not in out


def test_custom_action_code_in_a_models_folder_is_imported_and_exported(users, tmp_path):
    project = tmp_path / "project"
    for path, text in read_directory(DEMO_DIR).raw_by_path().items():
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_bytes(text)
    kept = {"actions/models/order.py": b"class Order:\n    pass\n", "actions/models/__init__.py": b""}
    skipped = {"models/20250101-model.tar.gz": b"\x00trained", ".rasa/cache/x": b"cache"}
    for path, data in {**kept, **skipped}.items():
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_bytes(data)
    result = assistant_import(user=users["owner"], source=project, name="Models folder")
    out = assistant_export(user=users["owner"], assistant=result.assistant)
    assert {p: out.get(p) for p in kept} == kept
    assert not set(skipped) & set(out)
