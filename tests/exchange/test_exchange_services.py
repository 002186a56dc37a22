"""Import, re-import and export through the services, with the database as the truth."""

import pytest

from studio.assistants.models import CustomAction, Flow, Response, Slot
from studio.assistants.services import flow_save, slot_delete
from studio.core.exceptions import Forbidden, NotFound, ValidationFailed
from studio.exchange.models import SourceFile
from studio.exchange.services import (
    ImportRefused,
    assistant_export,
    assistant_import,
    import_apply,
    import_preview,
)
from studio.exchange.yamlproject import files_from_mapping, parse_project, read_directory

from exchange_projects import ALL_PROJECTS, FIXTURES, project_path

pytestmark = pytest.mark.django_db


def _db_state(assistant):
    """Everything the studio stores about the content, without ids and timestamps."""
    state = {
        "flows": [(f.flow_id, f.to_rasa(), f.source_path, f.position) for f in Flow.objects.filter(assistant=assistant)],
        "slots": [(s.name, s.to_rasa(), s.source_path, s.position) for s in Slot.objects.filter(assistant=assistant)],
        "responses": [(r.name, r.variations, r.source_path, r.position)
                      for r in Response.objects.filter(assistant=assistant)],
        "actions": [(a.name, a.definition, a.source_path, a.position)
                    for a in CustomAction.objects.filter(assistant=assistant)],
        "files": {f.path: bytes(f.content) for f in SourceFile.objects.filter(assistant=assistant)},
    }
    assistant.refresh_from_db()
    state["root"] = (assistant.config_yaml, assistant.endpoints_yaml, assistant.credentials_yaml)
    return state


@pytest.mark.parametrize("name", ALL_PROJECTS)
def test_import_export_import_gives_identical_database_content(name, users):
    first = assistant_import(user=users["owner"], source=project_path(name)).assistant
    exported = assistant_export(user=users["owner"], assistant=first)
    second = assistant_import(user=users["owner"], source=exported, name="again").assistant
    assert _db_state(second) == _db_state(first)


@pytest.mark.parametrize("name", ALL_PROJECTS)
def test_import_then_export_gives_back_every_file_byte_identical(name, users):
    files = read_directory(project_path(name))
    result = assistant_import(user=users["owner"], source=files)
    assert assistant_export(user=users["owner"], assistant=result.assistant) == files.raw_by_path()


def test_import_names_the_assistant_after_the_config_and_reports_counts(users):
    result = assistant_import(user=users["owner"], source=FIXTURES / "bank_split")
    assert result.assistant.name == "bank_split"
    assert result.counts == {"flows": 4, "slots": 5, "responses": 10, "actions": 2}
    assert Flow.objects.get(assistant=result.assistant, flow_id="check_balance").source_path == "data/flows/transfer.yml"
    assert result.assistant.memberships.get().user == users["owner"]


def test_import_keeps_warnings_for_the_result_page(users):
    result = assistant_import(user=users["owner"], source=FIXTURES / "helpdesk_single", name="Help")
    assert [w.message for w in result.warnings] == [
        "response 'utter_old_greeting' is never used by a flow",
        "slot 'legacy_flag' is never set: no flow collects or sets it",
    ]


def test_invalid_project_is_refused_and_nothing_is_created(users):
    raw = read_directory(FIXTURES / "bank_split").raw_by_path()
    raw["data/flows/extra.yml"] = b"flows:\n  check_balance:\n    description: again\n    steps:\n      - action: utter_done\n"
    raw["data/flows/broken.yml"] = b"flows:\n  x: [\n"
    with pytest.raises(ImportRefused) as err:
        assistant_import(user=users["owner"], source=raw, name="Broken")
    messages = [str(p) for p in err.value.project_problems]
    assert messages[0].startswith("data/flows/broken.yml:3: YAML syntax error")
    assert ("data/flows/transfer.yml:45, flow 'check_balance': duplicate flow id 'check_balance' "
            "(also defined in data/flows/extra.yml:2)") in messages
    assert err.value.status == 422
    assert not Flow.objects.exists() and not SourceFile.objects.exists()


def test_studio_edits_are_exported_in_place_and_untouched_files_stay_identical(users):
    owner = users["owner"]
    files = read_directory(FIXTURES / "bank_split")
    assistant = assistant_import(user=owner, source=files).assistant
    flow = Flow.objects.get(assistant=assistant, flow_id="check_balance")
    body = flow.to_rasa() | {"description": "Show the balance of the account."}
    flow_save(user=owner, assistant=assistant, flow_id="check_balance", data=body, revision=flow.revision)
    out = assistant_export(user=owner, assistant=assistant)
    changed = {p for p in out if out[p] != files.raw_by_path().get(p)}
    assert changed == {"data/flows/transfer.yml"}
    assert "    description: Show the balance of the account.\n" in out["data/flows/transfer.yml"].decode()
    assert "# Two flows in one file; comments must survive an export." in out["data/flows/transfer.yml"].decode()


def test_deleted_slot_is_gone_from_the_export(users):
    owner = users["owner"]
    assistant = assistant_import(user=owner, source=FIXTURES / "helpdesk_single", name="Help").assistant
    slot_delete(user=owner, assistant=assistant, name="legacy_flag")
    domain = assistant_export(user=owner, assistant=assistant)["domain.yml"].decode()
    assert "legacy_flag" not in domain and "never used: a warning" in domain


def test_studio_created_assistant_exports_default_layout_and_generated_tests(assistant, users):
    from studio.assistants.services import flow_create, response_save

    owner = users["owner"]
    response_save(user=owner, assistant=assistant, name="utter_hi", variations=[{"text": "Hi!"}], revision=None)
    flow_create(user=owner, assistant=assistant, flow_id="greet",
                data={"description": "Say hello to the user.", "steps": [{"action": "utter_hi"}]})
    out = assistant_export(user=owner, assistant=assistant)
    assert {"config.yml", "endpoints.yml", "credentials.yml", "data/flows/greet.yml",
            "domain/responses.yml", "tests/e2e_test_cases.yml"} <= set(out)
    # One case per branch of each flow (studio/e2etests/generate.py), written from what the engine did.
    assert out["tests/e2e_test_cases.yml"].decode().endswith(
        "test_cases:\n  - test_case: greet_path_1\n    steps:\n      - user: start flow greet\n"
        "        assertions:\n          - flow_started:\n              operator: all\n              flow_ids:\n"
        "                - greet\n          - bot_uttered:\n              utter_name: utter_hi\n"
        "          - bot_uttered:\n              utter_name: utter_ask_continue_conversation\n"
        "          - flow_completed:\n              flow_id: greet\n")
    assert parse_project(files_from_mapping(out)).problems == []


def test_preview_lists_added_changed_and_removed_items_with_a_diff(users):
    owner = users["owner"]
    assistant = assistant_import(user=owner, source=FIXTURES / "bank_split").assistant
    raw = read_directory(FIXTURES / "bank_split").raw_by_path()
    raw["data/flows/transfer.yml"] = raw["data/flows/transfer.yml"].replace(
        b"description: Tell the user their account balance.", b"description: Balance, please.")
    raw["data/flows/bye.yml"] = b"flows:\n  bye:\n    description: Say bye.\n    steps:\n      - action: utter_done\n"
    del raw["data/system/patterns/pattern_chitchat.yml"]
    preview = import_preview(user=owner, assistant=assistant, source=raw)
    assert [(c.kind, c.name, c.status) for c in preview.changes] == [
        ("flows", "bye", "added"), ("flows", "check_balance", "changed"), ("flows", "pattern_chitchat", "removed")]
    diff = preview.changes[1].diff
    assert "-  description: Tell the user their account balance.\n" in diff
    assert "+  description: Balance, please.\n" in diff
    assert Flow.objects.filter(assistant=assistant).count() == 4  # nothing saved yet


def test_apply_updates_rows_in_place_and_bumps_only_changed_revisions(users):
    owner = users["owner"]
    assistant = assistant_import(user=owner, source=FIXTURES / "bank_split").assistant
    raw = read_directory(FIXTURES / "bank_split").raw_by_path()
    raw["data/flows/transfer.yml"] = raw["data/flows/transfer.yml"].replace(
        b"description: Tell the user their account balance.", b"description: Balance, please.")
    import_apply(user=owner, assistant=assistant, source=raw)
    flows = {f.flow_id: f for f in Flow.objects.filter(assistant=assistant)}
    assert flows["check_balance"].description == "Balance, please." and flows["check_balance"].revision == 2
    assert flows["transfer_money"].revision == 1
    assert assistant_export(user=owner, assistant=assistant) == raw


@pytest.mark.parametrize("role", ["writer", "viewer"])
def test_only_designers_and_owners_may_reimport(role, assistant, users):
    with pytest.raises(Forbidden):
        import_preview(user=users[role], assistant=assistant, source=FIXTURES / "bank_split")


def test_outsider_cannot_export(assistant, users):
    with pytest.raises(NotFound):
        assistant_export(user=users["outsider"], assistant=assistant)


def test_viewer_can_export(assistant, users):
    assert "config.yml" in assistant_export(user=users["viewer"], assistant=assistant)


def test_renamed_flow_and_slot_are_renamed_everywhere_in_the_export(users):
    from studio.exchange.services import assistant_item_rename

    owner = users["owner"]
    files = read_directory(FIXTURES / "bank_split")
    assistant = assistant_import(user=owner, source=files).assistant
    assert assistant_item_rename(user=owner, assistant=assistant, kind="flows",
                                 old="check_balance", new="show_balance").changed == 2
    assistant_item_rename(user=owner, assistant=assistant, kind="slots", old="recipient", new="payee")
    out = assistant_export(user=owner, assistant=assistant)
    flows = out["data/flows/transfer.yml"].decode()
    assert "  show_balance:\n    name: check balance\n" in flows and "      - call: show_balance\n" in flows
    assert "collect: payee" in flows and "persisted_slots: [payee]" in flows
    assert '"How much should I send to {payee}?"' in out["domain/transfer.yml"].decode()
    assert parse_project(files_from_mapping(out)).problems == []
    assert Flow.objects.get(assistant=assistant, flow_id="transfer_money").revision == 3


def test_rename_to_an_existing_name_names_the_field(users):
    from studio.exchange.services import assistant_item_rename

    owner = users["owner"]
    assistant = assistant_import(user=owner, source=FIXTURES / "bank_split").assistant
    with pytest.raises(ValidationFailed) as err:
        assistant_item_rename(user=owner, assistant=assistant, kind="slots", old="recipient", new="amount")
    assert str(err.value) == "new: 'amount' already exists"


def test_rename_also_updates_imported_e2e_tests(users):
    from studio.exchange.services import assistant_item_rename

    owner = users["owner"]
    raw = read_directory(FIXTURES / "bank_split").raw_by_path()
    raw["tests/e2e_test_cases.yml"] += (
        b"  - test_case: balance\n    steps:\n      - user: balance please\n        assertions:\n"
        b"          - flow_started: check_balance   # the called flow\n          - bot_uttered:\n"
        b"              utter_name: utter_balance\n")
    assistant = assistant_import(user=owner, source=raw).assistant
    assistant_item_rename(user=owner, assistant=assistant, kind="flows", old="check_balance", new="show_balance")
    assistant_item_rename(user=owner, assistant=assistant, kind="responses", old="utter_ask_confirmed", new="utter_confirm")
    tests = assistant_export(user=owner, assistant=assistant)["tests/e2e_test_cases.yml"].decode()
    assert "          - flow_started: show_balance    # the called flow\n" in tests  # comment keeps its column
    assert "      - utter: utter_confirm\n" in tests
    assert tests.startswith("test_cases:\n  - test_case: transfer_happy_path\n")


def test_studio_edits_survive_export_and_reimport(users):
    from studio.assistants.services import flow_create, response_save
    from studio.exchange.services import assistant_item_rename

    owner = users["owner"]
    first = assistant_import(user=owner, source=FIXTURES / "bank_split").assistant
    assistant_item_rename(user=owner, assistant=first, kind="slots", old="amount", new="sum")
    response_save(user=owner, assistant=first, name="utter_bye", variations=[{"text": "Bye!"}], revision=None)
    flow_create(user=owner, assistant=first, flow_id="say_bye",
                data={"description": "Say goodbye to the user.", "steps": [{"action": "utter_bye"}]})
    second = assistant_import(user=owner, source=assistant_export(user=owner, assistant=first), name="copy").assistant

    def bodies(assistant):
        state = _db_state(assistant)
        return {kind: {row[0]: row[1] for row in state[kind]} for kind in ("flows", "slots", "responses", "actions")}

    assert bodies(second) == bodies(first)
    assert Flow.objects.get(assistant=second, flow_id="say_bye").source_path == "data/flows/say_bye.yml"
    assert Response.objects.get(assistant=second, name="utter_bye").source_path == "domain/responses.yml"
