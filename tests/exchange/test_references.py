"""Usages, rename and delete of flows, slots, responses and actions, in a project that names them everywhere."""

import json
import re

import pytest

from studio.assistants.models import CustomAction, Flow, Response, Slot
from studio.assistants.services import response_delete, slot_delete
from studio.exchange.models import SourceFile
from studio.exchange.renames import assistant_item_delete, assistant_item_rename
from studio.exchange.services import assistant_export, assistant_import
from studio.exchange.usage_index import ItemInUse, item_usages
from studio.exchange.yamlproject import files_from_mapping, parse_project

pytestmark = pytest.mark.django_db

CONFIG = b"""recipe: default.v1
language: en
assistant_id: everywhere
pipeline:
  - name: CompactLLMCommandGenerator
policies:
  - name: FlowPolicy
  - name: RulePolicy
    core_fallback_action_name: action_fallback_custom   # named in config
"""
DOMAIN = b"""version: "3.1"
# The whole domain in one file.
intents:
  - greet
slots:
  amount:
    type: float
    mappings:
      - type: from_llm
  recipient:
    type: text
    mappings:
      - type: from_llm
        conditions:
          - active_flow: transfer_money   # only while sending money
  pin:
    type: text
    mappings:
      - type: from_llm
forms:
  money_form:
    required_slots:
      - amount      # the form asks for it
      - recipient
responses:
  utter_greet:
    - text: "Hello! Sending to {recipient}?"
  utter_ask_amount:
    - text: How much?
  utter_ask_recipient:
    - text: To whom?
      buttons:
        - title: Mum, 10 dollars
          payload: "/SetSlots(recipient=Mum, amount=10)"
  utter_too_much:
    - condition: slots.amount > 1000
      text: "{amount} is over your limit."
    - text: That is too much.
  utter_rules_only:
    - text: Only a rule says this.
  utter_story_only:
    - text: Only a story says this.
  utter_code_only:
    - text: Only action code sends this.
actions:
  - action_check_balance
  - action_ask_pin
  - action_fallback_custom
"""
FLOWS = b"""version: "3.1"
flows:
  transfer_money:
    description: Send money to someone.
    persisted_slots: [amount]
    steps:
      - collect: recipient
      - id: ask_amount
        collect: amount   # how much
        rejections:
          - if: slots.amount <= 0
            utter: utter_too_much
        next:
          - if: slots.amount > 1000
            then:
              - action: utter_too_much
                next: ask_amount
          - else: pay
      - id: pay
        action: action_check_balance
      - set_slots:
          - amount: null
      - call: see_funds
  see_funds:
    description: Show the account balance.
    steps:
      - collect: pin
      - action: action_check_balance
  greet_user:
    description: Say hello.
    steps:
      - action: utter_greet
      - link: transfer_money
"""
RULES = b"""version: "3.1"
rules:
  - rule: say hello   # a rule
    steps:
      - intent: greet
      - action: utter_greet
      - action: utter_rules_only
  - rule: balance
    condition:
      - slot_was_set:
          - amount: 5
    steps:
      - intent: greet
      - action: action_check_balance
"""
STORIES = b"""version: "3.1"
stories:
  - story: pay by button
    steps:
      - user: "/SetSlots(amount=5)"
      - slot_was_set:
          - amount: 5
      - action: utter_story_only
      - action: utter_ask_amount
"""
NLU = b"""version: "3.1"
nlu:
  - intent: greet
    examples: |
      - hello
"""
E2E = b"""stub_custom_actions:
  action_check_balance:   # a stub
    events: []
fixtures:
  - rich:
      - amount: 5000
test_cases:
  - test_case: send money
    fixtures: [rich]
    steps:
      - user: "/SetSlots(amount=50)"
        assertions:
          - flow_started: transfer_money
          - slot_was_set:
              - name: amount
                value: 50
          - action_executed: action_check_balance
          - bot_uttered:
              utter_name: utter_greet
      - utter: utter_ask_amount
      - slot_was_set:
          - amount: 50
"""
ACTIONS = b"""from rasa_sdk import Action


class ActionCheckBalance(Action):
    def name(self):
        return "action_check_balance"

    def run(self, dispatcher, tracker, domain):
        amount = tracker.get_slot("amount")
        dispatcher.utter_message(response="utter_code_only")
        dispatcher.utter_message(response="utter_greet")
        return []
"""
PROJECT = {
    "config.yml": CONFIG, "domain.yml": DOMAIN, "data/flows.yml": FLOWS, "data/rules.yml": RULES,
    "data/stories.yml": STORIES, "data/nlu.yml": NLU, "tests/e2e.yml": E2E, "actions/actions.py": ACTIONS,
    "endpoints.yml": b"action_endpoint:\n  url: http://localhost:5055/webhook\n",
}


@pytest.fixture
def everywhere(users):
    from studio.accounts.models import Membership, Role

    assistant = assistant_import(user=users["owner"], source=dict(PROJECT), name="everywhere").assistant
    for role in (Role.DESIGNER, Role.WRITER, Role.VIEWER):
        Membership.objects.create(user=users[role.value], assistant=assistant, role=role)
    return assistant


def _yaml_files(assistant, owner) -> dict[str, str]:
    out = assistant_export(user=owner, assistant=assistant)
    return {path: data.decode() for path, data in out.items() if path.endswith(".yml")}


def _names(text: str, name: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", text) is not None


def _commented(line: str, comment: str, text: str) -> bool:
    """The renamed line keeps its comment (the writer may keep the comment's column)."""
    return re.search(rf"^{re.escape(line)} +{re.escape(comment)}$", text, re.MULTILINE) is not None


def _assert_gone_and_reimports(assistant, owner, old: str) -> dict[str, str]:
    files = _yaml_files(assistant, owner)
    assert [path for path, text in files.items() if _names(text, old)] == []
    exported = assistant_export(user=owner, assistant=assistant)
    assert parse_project(files_from_mapping(exported)).problems == []
    return files


def test_an_import_whose_responses_only_rules_stories_and_code_use_has_no_warnings(users):
    result = assistant_import(user=users["owner"], source=dict(PROJECT), name="warnings")
    assert [w.message for w in result.warnings] == []


def test_usages_list_every_place_with_file_line_and_description(everywhere):
    found = {(u.path, u.line, u.where) for u in item_usages(everywhere, "slots", "amount")}
    assert {
        ("data/flows.yml", None, "flow transfer_money: persisted_slots"),
        ("data/flows.yml", None, "flow transfer_money, step ask_amount: collect"),
        ("data/flows.yml", None, "flow transfer_money, step ask_amount: rejection condition"),
        ("data/flows.yml", None, "flow transfer_money, step ask_amount: condition"),
        ("data/flows.yml", None, "flow transfer_money, step transfer_money_4_set_slots: set_slots"),
        ("domain.yml", None, "response utter_ask_recipient: button payload"),
        ("domain.yml", None, "response utter_too_much: condition"),
        ("domain.yml", None, "response utter_too_much: text"),
        ("domain.yml", 23, "form money_form: required_slots"),
        ("data/rules.yml", 11, "rule balance: slot_was_set"),
        ("data/stories.yml", 5, "story pay by button: user"),
        ("data/stories.yml", 7, "story pay by button: slot_was_set"),
        ("tests/e2e.yml", 6, "fixture rich: slot"),
        ("tests/e2e.yml", 11, "test send money: user"),
        ("tests/e2e.yml", 15, "test send money: name"),
        ("tests/e2e.yml", 22, "test send money: slot_was_set"),
        ("actions/actions.py", 9, 'amount = tracker.get_slot("amount")'),
    } == found


def test_renaming_a_slot_follows_every_reference_and_lists_the_python_that_still_names_it(everywhere, users):
    owner = users["owner"]
    preview = assistant_item_rename(user=owner, assistant=everywhere, kind="slots", old="amount", new="sum",
                                    dry_run=True)
    assert preview.changed == 0 and Slot.objects.filter(assistant=everywhere, name="amount").exists()
    assert bytes(SourceFile.objects.get(assistant=everywhere, path="data/rules.yml").content) == RULES
    result = assistant_item_rename(user=owner, assistant=everywhere, kind="slots", old="amount", new="sum")
    assert [c.what for c in result.changes] == [c.what for c in preview.changes]
    assert [(u.path, u.line) for u in result.code] == [("actions/actions.py", 9)]
    files = _assert_gone_and_reimports(everywhere, owner, "amount")
    assert "utter_ask_sum" in files["domain.yml"]  # the question follows the slot
    assert _commented("      - sum", "# the form asks for it", files["domain.yml"])
    assert _commented("        collect: sum", "# how much", files["data/flows.yml"])
    assert '      - user: "/SetSlots(sum=5)"\n' in files["data/stories.yml"]
    assert "      - action: utter_ask_sum\n" in files["data/stories.yml"]
    assert "  - rich:\n      - sum: 5000\n" in files["tests/e2e.yml"]
    assert '"/SetSlots(recipient=Mum, sum=10)"' in files["domain.yml"]


def test_renaming_a_flow_follows_links_calls_slot_mappings_and_tests(everywhere, users):
    owner = users["owner"]
    assistant_item_rename(user=owner, assistant=everywhere, kind="flows", old="transfer_money", new="send_money")
    files = _assert_gone_and_reimports(everywhere, owner, "transfer_money")
    assert _commented("          - active_flow: send_money", "# only while sending money", files["domain.yml"])
    assert "          - flow_started: send_money\n" in files["tests/e2e.yml"]
    assert "      - link: send_money\n" in files["data/flows.yml"]


def test_renaming_a_response_follows_rules_tests_and_lists_action_code(everywhere, users):
    owner = users["owner"]
    result = assistant_item_rename(user=owner, assistant=everywhere, kind="responses", old="utter_greet",
                                   new="utter_hello")
    assert [(u.path, u.line, u.where) for u in result.code] == [
        ("actions/actions.py", 11, 'dispatcher.utter_message(response="utter_greet")')]
    files = _assert_gone_and_reimports(everywhere, owner, "utter_greet")
    assert "  - rule: say hello   # a rule\n" in files["data/rules.yml"]
    assert "      - action: utter_hello\n" in files["data/rules.yml"]
    assert "              utter_name: utter_hello\n" in files["tests/e2e.yml"]


def test_renaming_an_action_follows_rules_stubs_tests_and_config(everywhere, users):
    owner = users["owner"]
    result = assistant_item_rename(user=owner, assistant=everywhere, kind="actions", old="action_check_balance",
                                   new="action_get_balance")
    diffs = {c.what: c.diff for c in result.changes}
    assert "-- action_check_balance\n+- action_get_balance\n" in diffs["action action_get_balance"]
    assert {"data/rules.yml", "tests/e2e.yml", "flow transfer_money", "flow see_funds"} <= set(diffs)
    assistant_item_rename(user=owner, assistant=everywhere, kind="actions", old="action_fallback_custom",
                          new="action_my_fallback")
    files = _assert_gone_and_reimports(everywhere, owner, "action_check_balance")
    assert _commented("  action_get_balance:", "# a stub", files["tests/e2e.yml"])
    assert _commented("    core_fallback_action_name: action_my_fallback", "# named in config", files["config.yml"])
    assert not _names(files["config.yml"], "action_fallback_custom")


def test_renaming_accepts_a_name_rasa_allows_and_refuses_a_taken_one(everywhere, users):
    owner = users["owner"]
    assistant_item_rename(user=owner, assistant=everywhere, kind="responses", old="utter_too_much",
                          new="utter_faq/too_much")
    assert Response.objects.filter(assistant=everywhere, name="utter_faq/too_much").exists()
    with pytest.raises(Exception) as err:
        assistant_item_rename(user=owner, assistant=everywhere, kind="slots", old="amount", new="pin")
    assert str(err.value) == "new: 'pin' already exists"


def test_deleting_a_used_response_is_refused_listing_every_usage(everywhere, users):
    with pytest.raises(ItemInUse) as err:
        response_delete(user=users["owner"], assistant=everywhere, name="utter_greet")
    assert err.value.message == "Cannot delete response 'utter_greet': it is used in 4 places"
    assert [u.where for u in err.value.usages] == [
        "flow greet_user, step greet_user_0_utter_greet: action", "rule say hello: action",
        "test send money: utter_name", 'dispatcher.utter_message(response="utter_greet")']
    assert [(u.path, u.line) for u in err.value.usages][1:] == [
        ("data/rules.yml", 6), ("tests/e2e.yml", 19), ("actions/actions.py", 11)]
    assert Response.objects.filter(assistant=everywhere, name="utter_greet").exists()


def test_deleting_a_response_only_code_names_is_not_refused(everywhere, users):
    response_delete(user=users["owner"], assistant=everywhere, name="utter_code_only")
    assert not Response.objects.filter(assistant=everywhere, name="utter_code_only").exists()


def test_delete_with_references_previews_then_removes_them_and_the_export_imports_cleanly(everywhere, users):
    owner = users["owner"]
    preview = assistant_item_delete(user=owner, assistant=everywhere, kind="responses", name="utter_greet",
                                    remove_references=True, dry_run=True)
    assert {c.what for c in preview.changes} == {"flow greet_user", "response utter_greet", "data/rules.yml",
                                                  "tests/e2e.yml"}
    assert Response.objects.filter(assistant=everywhere, name="utter_greet").exists()
    assistant_item_delete(user=owner, assistant=everywhere, kind="responses", name="utter_greet",
                          remove_references=True)
    files = _assert_gone_and_reimports(everywhere, owner, "utter_greet")
    assert "      - action: utter_rules_only\n" in files["data/rules.yml"]
    assert Flow.objects.get(assistant=everywhere, flow_id="greet_user").steps == [{"link": "transfer_money"}]


def test_delete_with_references_of_a_called_flow_and_a_used_action(everywhere, users):
    owner = users["owner"]
    assistant_item_delete(user=owner, assistant=everywhere, kind="flows", name="see_funds", remove_references=True)
    assistant_item_delete(user=owner, assistant=everywhere, kind="actions", name="action_check_balance",
                          remove_references=True)
    _assert_gone_and_reimports(everywhere, owner, "see_funds")
    files = _assert_gone_and_reimports(everywhere, owner, "action_check_balance")
    assert "stub_custom_actions: {}" in files["tests/e2e.yml"] or "stub_custom_actions:\n" not in files["tests/e2e.yml"]
    assert not CustomAction.objects.filter(assistant=everywhere, name="action_check_balance").exists()


def test_delete_with_references_refuses_what_it_cannot_take_out(everywhere, users):
    with pytest.raises(ItemInUse) as err:
        assistant_item_delete(user=users["owner"], assistant=everywhere, kind="slots", name="amount",
                              remove_references=True)
    assert err.value.message == "Cannot remove every reference to slot 'amount': edit these 7 by hand first"
    assert Slot.objects.filter(assistant=everywhere, name="amount").exists()


def test_unused_slot_is_deleted_as_before(everywhere, users):
    Slot.objects.create(assistant=everywhere, name="spare", type="text", definition={"type": "text"})
    slot_delete(user=users["owner"], assistant=everywhere, name="spare")
    assert not Slot.objects.filter(assistant=everywhere, name="spare").exists()


# ---- API -------------------------------------------------------------------------------------------

def test_rename_api_dry_run_returns_every_change_and_changes_nothing(client_for, everywhere):
    res = client_for("owner").post(f"/api/assistants/{everywhere.slug}/rename",
                                   {"kind": "flows", "old": "see_funds", "new": "show_funds", "dry_run": True},
                                   content_type="application/json")
    assert res.status_code == 200
    body = res.json()
    assert (body["dry_run"], body["changed"], body["code"]) == (True, 0, [])
    assert [c["what"] for c in body["changes"]] == ["flow transfer_money", "flow show_funds"]
    assert "-    - call: see_funds\n+    - call: show_funds\n" in body["changes"][0]["diff"]
    assert Flow.objects.filter(assistant=everywhere, flow_id="see_funds").exists()


def test_delete_api_refuses_with_usages_then_deletes_with_references(client_for, everywhere):
    owner = client_for("owner")
    url = f"/api/assistants/{everywhere.slug}/items/responses/utter_rules_only"
    refused = owner.delete(url)
    assert refused.status_code == 409
    assert refused.json() == {"detail": "Cannot delete response 'utter_rules_only': it is used in 1 place",
                              "usages": [{"file": "data/rules.yml", "line": 7, "where": "rule say hello: action",
                                          "removable": True, "code": False}]}
    preview = owner.delete(url + "?remove_references=1&dry_run=1")
    assert preview.status_code == 200 and preview.json()["changed"] == 0
    assert owner.delete(url + "?remove_references=1").json()["changed"] == 2
    assert b"utter_rules_only" not in SourceFile.objects.get(assistant=everywhere, path="data/rules.yml").content


def test_usages_api_lists_a_response_with_a_slash_in_its_name(client_for, everywhere, users):
    assistant_item_rename(user=users["owner"], assistant=everywhere, kind="responses", old="utter_story_only",
                          new="utter_faq/story")
    res = client_for("viewer").get(f"/api/assistants/{everywhere.slug}/usages/responses/utter_faq/story")
    assert res.status_code == 200
    assert json.loads(res.content) == [{"file": "data/stories.yml", "line": 8, "where": "story pay by button: action",
                                        "removable": True, "code": False}]


def test_writer_cannot_rename_or_delete_with_references(client_for, everywhere):
    writer = client_for("writer")
    res = writer.post(f"/api/assistants/{everywhere.slug}/rename",
                      {"kind": "responses", "old": "utter_greet", "new": "utter_hi"}, content_type="application/json")
    assert res.status_code == 403
    res = writer.delete(f"/api/assistants/{everywhere.slug}/items/responses/utter_greet?remove_references=1")
    assert res.status_code == 403


# ---- pages -----------------------------------------------------------------------------------------

def test_rename_page_previews_then_renames_listing_python_mentions(client_for, everywhere):
    owner = client_for("owner")
    url = f"/assistants/{everywhere.slug}/items/responses/utter_greet/rename/"
    assert "New name" in owner.get(url).content.decode()
    preview = owner.post(url, {"new": "utter_hello"}).content.decode()
    assert "What will change" in preview and "actions/actions.py:11" in preview
    assert Response.objects.filter(assistant=everywhere, name="utter_greet").exists()
    done = owner.post(url, {"new": "utter_hello", "confirm": "1"}).content.decode()
    assert "Renamed response <code>utter_greet</code> to <code>utter_hello</code>" in done
    assert "actions/actions.py:11" in done
    assert Response.objects.filter(assistant=everywhere, name="utter_hello").exists()


def test_writer_gets_no_rename_page_and_cannot_delete_a_flow(client_for, everywhere):
    writer = client_for("writer")
    assert writer.get(f"/assistants/{everywhere.slug}/items/responses/utter_greet/rename/").status_code == 403
    assert writer.post(f"/assistants/{everywhere.slug}/items/flows/see_funds/delete/",
                       {"remove_references": "1"}).status_code == 403
    assert Flow.objects.filter(assistant=everywhere, flow_id="see_funds").exists()


def test_rename_page_shows_a_bad_name(client_for, everywhere):
    res = client_for("owner").post(f"/assistants/{everywhere.slug}/items/flows/see_funds/rename/",
                                   {"new": "has space"})
    assert res.status_code == 422
    assert "is not a valid flow id" in res.content.decode()


def test_delete_page_lists_usages_and_offers_removing_them(client_for, everywhere):
    owner = client_for("owner")
    url = f"/assistants/{everywhere.slug}/items/actions/action_check_balance/delete/"
    refused = owner.get(url)
    html = refused.content.decode()
    assert refused.status_code == 409
    assert "Cannot delete action &#x27;action_check_balance&#x27;: it is used in 6 places." in html
    assert "<code>data/rules.yml:14</code> rule balance: action" in html
    assert "<code>tests/e2e.yml:2</code> stub_custom_actions: stub" in html
    assert "<code>actions/actions.py:6</code> return &quot;action_check_balance&quot; " in html
    preview = owner.get(url + "?remove_references=1").content.decode()
    assert "Delete action_check_balance and remove the references" in preview
    assert owner.post(url, {"remove_references": "1"}).status_code == 302
    assert not CustomAction.objects.filter(assistant=everywhere, name="action_check_balance").exists()


# ---- the index without the database ------------------------------------------------------------------

def _content(**kinds):
    from studio.exchange.yamlproject import Item, ProjectContent

    content = ProjectContent()
    for kind, items in kinds.items():
        for name, body in items.items():
            content.of(kind)[name] = Item(name, body, "domain.yml" if kind != "flows" else "data/flows.yml")
    return content


def test_a_slot_asked_by_action_ask_renames_that_action_and_keeps_a_taken_question():
    from studio.exchange.yamlproject.references import rename_in_project

    content = _content(
        slots={"pin": {"type": "text"}, "code": {"type": "text"}},
        responses={"utter_ask_pin": [{"text": "PIN?"}], "utter_ask_secret": [{"text": "Secret?"}]},
        actions={"action_ask_code": None},
        flows={"f": {"description": "d", "steps": [{"collect": "pin"}, {"collect": "code"}]}})
    edit = rename_in_project(content, {}, "slots", "code", "passcode")
    assert ("actions", "action_ask_code", "action_ask_passcode") in edit.renamed
    edit = rename_in_project(content, {}, "slots", "pin", "secret")  # utter_ask_secret is taken
    assert edit.content.flows["f"].body["steps"][0] == {"collect": "secret", "utter": "utter_ask_pin"}


def test_removing_the_last_assertion_drops_the_assertions_key_and_crlf_is_kept():
    from studio.exchange.yamlproject.references import remove_from_project

    text = ("test_cases:\r\n  - test_case: t\r\n    steps:\r\n      - user: hi\r\n        assertions:\r\n"
            "          - flow_started: f   # gone\r\n      - utter: utter_x\r\n")
    content = _content(flows={"f": {"description": "d", "steps": [{"action": "utter_x"}]}},
                       responses={"utter_x": [{"text": "x"}]})
    edit = remove_from_project(content, {"tests/t.yml": ("e2e_test", text)}, "flows", "f")
    assert edit.left == [] and edit.files["tests/t.yml"] == (
        "test_cases:\r\n  - test_case: t\r\n    steps:\r\n      - user: hi\r\n      - utter: utter_x\r\n")


def test_a_removed_step_that_others_jump_to_becomes_a_noop():
    from studio.exchange.yamlproject.references import remove_from_project

    content = _content(responses={"utter_x": [{"text": "x"}]}, flows={"f": {"description": "d", "steps": [
        {"id": "a", "action": "utter_x"}, {"action": "utter_y", "next": "a"}]}})
    steps = remove_from_project(content, {}, "responses", "utter_x").content.flows["f"].body["steps"]
    assert steps == [{"id": "a", "noop": True, "next": "f_1_utter_y"}, {"action": "utter_y", "next": "a"}]


def test_warnings_count_forms_stories_and_code_but_still_name_what_nothing_uses():
    raw = dict(PROJECT)
    raw["domain.yml"] = DOMAIN.replace(b"  pin:\n", b"  by_form:\n    type: text\n  by_code:\n    type: text\n"
                                       b"  by_nobody:\n    type: text\n  pin:\n").replace(
        b"      - recipient\n", b"      - recipient\n      - by_form\n").replace(
        b"responses:\n", b"responses:\n  utter_nobody:\n    - text: Nobody says this.\n")
    raw["actions/more.py"] = b'SlotSet("by_code", 1)\n'
    warnings = [w.message for w in parse_project(files_from_mapping(raw)).warnings]
    assert warnings == ["response 'utter_nobody' is never used by a flow",
                        "slot 'by_nobody' is never set: no flow collects or sets it"]


def test_a_slot_is_renamed_in_call_mappings_exit_conditions_and_flow_guards():
    from studio.exchange.yamlproject.references import rename_in_project

    content = _content(slots={"city": {"type": "text"}}, flows={"f": {
        "description": "d", "if": "slots.city is not null", "steps": [{
            "call": "weather_agent", "exit_if": ["slots.city is not null"],
            "mapping": {"input": [{"param": "town", "slot": "city"}], "output": [{"slot": "city", "value": "x"}]}}]}})
    edit = rename_in_project(content, {}, "slots", "city", "town")
    body = edit.content.flows["f"].body
    assert body["if"] == "slots.town is not null" and body["steps"][0] == {
        "call": "weather_agent", "exit_if": ["slots.town is not null"],
        "mapping": {"input": [{"param": "town", "slot": "town"}], "output": [{"slot": "town", "value": "x"}]}}


def test_delete_page_of_a_response_only_code_names_lists_the_code_and_deletes(client_for, everywhere):
    owner = client_for("owner")
    url = f"/assistants/{everywhere.slug}/items/responses/utter_code_only/delete/"
    html = owner.get(url).content.decode()
    assert "Only custom action code names this response" in html
    assert "<code>actions/actions.py:10</code> dispatcher.utter_message(response=&quot;utter_code_only&quot;)" in html
    assert owner.post(url).status_code == 302
    assert not Response.objects.filter(assistant=everywhere, name="utter_code_only").exists()
