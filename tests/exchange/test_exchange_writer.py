"""Writing content back: untouched files byte-identical, edits in place, clear default layout."""

import copy

import pytest

from studio.exchange.yamlproject import Item, files_from_mapping, parse_project, read_directory, rename, write_project

from exchange_projects import ALL_PROJECTS, FIXTURES, project_path


def _load(name):
    files = read_directory(project_path(name) if name in ALL_PROJECTS else FIXTURES / name)
    return files, parse_project(files).content


def _reparse(out: dict[str, bytes]):
    return parse_project(files_from_mapping(out))


@pytest.mark.parametrize("name", ALL_PROJECTS)
def test_unchanged_content_writes_every_file_byte_identical(name):
    files, content = _load(name)
    assert write_project(files, content) == files.raw_by_path()


def test_changed_flow_is_edited_in_place_keeping_comments_of_the_file():
    files, content = _load("bank_split")
    content.flows["transfer_money"].body["description"] = "Send money to someone."
    out = write_project(files, content)
    text = out["data/flows/transfer.yml"].decode()
    assert "# Two flows in one file; comments must survive an export." in text
    assert "owner: payments-team   # unusual but valid flow key" in text
    assert "next: ask_amount          # a cycle back to an earlier step" in text
    assert "    description: Send money to someone.\n" in text
    original = files.get("data/flows/transfer.yml").text
    assert len(text.splitlines()) == len(original.splitlines())
    assert {p for p in out if out[p] != files.raw_by_path().get(p)} == {"data/flows/transfer.yml"}


def test_edited_project_reads_back_to_the_same_content():
    files, content = _load("bank_split")
    content.flows["check_balance"].body["steps"].append({"action": "utter_done"})
    content.slots["amount"].body["initial_value"] = 10.0
    content.responses["utter_done"].body[0]["text"] = "All done."
    reread = _reparse(write_project(files, content))
    assert reread.problems == []
    for kind in ("flows", "slots", "responses", "actions"):
        assert {n: i.body for n, i in reread.content.of(kind).items()} == \
            {n: i.body for n, i in content.of(kind).items()}


def test_deleted_flow_slot_and_response_are_gone_from_the_export():
    files, content = _load("bank_split")
    del content.flows["greet_user"]
    del content.slots["user_name"]
    del content.responses["utter_greet"]
    del content.responses["utter_ask_user_name"]
    out = write_project(files, content)
    assert "data/flows/greet.yaml" not in out  # the file held only that flow
    shared = out["domain/shared.yml"].decode()
    assert "user_name:" not in shared and "utter_greet" not in shared
    assert "# Slots shared by several flows." in shared
    assert _reparse(out).problems == []


def test_deleting_one_of_several_flows_keeps_the_rest_of_the_file():
    files, content = _load("pizza_shop")
    del content.flows["store_hours"]
    out = write_project(files, content)
    text = out["data/flows.yml"].decode()
    assert "store_hours" not in text and "  speak_to_staff:\n" in text and "  join_loyalty:\n" in text


def test_new_items_go_to_the_default_layout_of_a_domain_folder_project():
    files, content = _load("bank_split")
    content.flows["say_bye"] = Item("say_bye", {"description": "Say goodbye.", "steps": [{"action": "utter_bye"}]})
    content.responses["utter_bye"] = Item("utter_bye", [{"text": "Bye!"}])
    content.slots["mood"] = Item("mood", {"type": "text"})
    out = write_project(files, content)
    assert out["data/flows/say_bye.yml"].decode() == (
        'version: "3.1"\nflows:\n  say_bye:\n    description: Say goodbye.\n    steps:\n'
        "      - action: utter_bye\n")
    assert out["domain/responses.yml"].decode() == 'version: "3.1"\nresponses:\n  utter_bye:\n    - text: Bye!\n'
    assert out["domain/slots.yml"].decode() == 'version: "3.1"\nslots:\n  mood:\n    type: text\n'


def test_new_items_go_into_the_single_domain_file_when_the_project_has_one():
    files, content = _load("helpdesk_single")
    content.responses["utter_bye"] = Item("utter_bye", [{"text": "Bye!"}])
    out = write_project(files, content)
    assert "domain/responses.yml" not in out
    text = out["domain.yml"].decode()
    assert text.endswith("  utter_old_greeting:   # never used: a warning\n  - text: Welcome to the old helpdesk.\n"
                         "  utter_bye:\n  - text: Bye!\n")


def test_renamed_flow_is_renamed_in_call_and_link_steps_and_keeps_its_place():
    files, content = _load("bank_split")
    content = rename(content, "flows", "transfer_money", "send_money")
    content = rename(content, "flows", "check_balance", "show_balance")
    out = write_project(files, content)
    transfer = out["data/flows/transfer.yml"].decode()
    assert "  send_money:\n    name: transfer money\n" in transfer
    assert "      - call: show_balance\n" in transfer
    assert "      - link: send_money\n" in out["data/flows/greet.yaml"].decode()
    assert _reparse(out).problems == []


def test_renamed_slot_is_renamed_in_collects_predicates_responses_and_buttons():
    files, content = _load("bank_split")
    content = rename(content, "slots", "confirmed", "go_ahead")
    content = rename(content, "slots", "amount", "sum")
    out = write_project(files, content)
    flows, domain = out["data/flows/transfer.yml"].decode(), out["domain/transfer.yml"].decode()
    assert "if: not slots.go_ahead" in flows and "if: slots.sum > 1000" in flows
    assert "utter_ask_amount" not in flows  # the question follows the slot: utter_ask_sum
    assert "  utter_ask_sum:\n" in out["domain/transfer.yml"].decode()
    assert "condition: slots.sum > 1000" in domain and '"{sum} is over your limit."' in domain
    assert 'payload: "/SetSlots(go_ahead=true)"' in out["domain/shared.yml"].decode()
    assert _reparse(out).problems == []


def test_renamed_response_is_renamed_in_action_steps_and_rejections():
    files, content = _load("bank_split")
    before = copy.deepcopy(content)
    content = rename(content, "responses", "utter_too_much", "utter_over_limit")
    assert "utter_too_much" in before.responses  # rename returns a copy
    out = write_project(files, content)
    flows = out["data/flows/transfer.yml"].decode()
    assert "utter_too_much" not in flows and flows.count("utter_over_limit") == 2
    assert _reparse(out).problems == []


def test_renaming_to_an_existing_name_is_refused():
    _, content = _load("bank_split")
    with pytest.raises(ValueError, match="'amount' already exists"):
        rename(content, "slots", "recipient", "amount")


def test_rename_in_an_e2e_test_file_edits_only_the_references():
    from studio.exchange.yamlproject.references import rename_in_test_file

    text = ("stub_custom_actions:\n  check_balance:   # stub\n    events: []\ntest_cases:\n  - test_case: a\n"
            "    steps:\n      - user: hi\n        assertions:\n          - slot_was_set:\n              - name: amount\n"
            "                value: 50\n          - action_executed: check_balance\n      - slot_was_set:\n"
            "          - amount: 50\n")
    assert rename_in_test_file(text, "slots", "amount", "sum") == text.replace("name: amount", "name: sum").replace(
        "- amount: 50", "- sum: 50")
    assert rename_in_test_file(text, "actions", "check_balance", "cb") == text.replace(
        "  check_balance:   # stub", "  cb:   # stub").replace("action_executed: check_balance", "action_executed: cb")
    assert rename_in_test_file(text, "flows", "transfer", "x") is None


def test_new_pattern_override_goes_to_the_system_patterns_folder():
    files, content = _load("helpdesk_single")
    content.flows["pattern_chitchat"] = Item("pattern_chitchat", {
        "description": "Off-topic", "steps": [{"action": "utter_try_restart"}]})
    out = write_project(files, content)
    assert "pattern_chitchat:" in out["data/system/patterns/pattern_chitchat.yml"].decode()


def test_edited_file_with_windows_line_endings_keeps_them():
    raw = read_directory(FIXTURES / "helpdesk_single").raw_by_path()
    raw["domain.yml"] = raw["domain.yml"].replace(b"\n", b"\r\n")
    files = files_from_mapping(raw)
    content = parse_project(files).content
    content.responses["utter_try_restart"].body[0]["text"] = "Restart it, please."
    out = write_project(files, content)["domain.yml"]
    assert out == raw["domain.yml"].replace(b"Please restart the device and tell me if it helped.", b"Restart it, please.")


def test_new_content_is_written_in_rasa_key_order_whatever_order_it_came_in():
    files, content = _load("helpdesk_single")
    content.flows["bye"] = Item("bye", {
        "steps": [{"next": [{"then": "END", "if": "slots.tries > 1"}, {"else": "END"}], "action": "utter_try_restart",
                   "id": "say"}],
        "description": "Say bye.", "name": "bye"})
    out = write_project(files, content)["data/flows/bye.yml"].decode()
    assert out == ('version: "3.1"\nflows:\n  bye:\n    name: bye\n    description: Say bye.\n    steps:\n'
                   "      - id: say\n        action: utter_try_restart\n        next:\n"
                   "          - if: slots.tries > 1\n            then: END\n          - else: END\n")
