"""An edit changes only the YAML of what changed: the exported file is the user's file plus a small diff."""

import copy
import difflib

from studio.exchange.yamlproject import Item, files_from_mapping, write_project
from studio.exchange.yamlproject.content import read_content

FLOWS = """\
version: "3.1"

# Flows of the Corner Café.
flows:
  order_drink:
    name: order a drink
    description: The user orders a drink to pick up at the counter.
    persisted_slots: [drink]   # kept after the flow ends
    steps:
      # Which drink first.
      - id: ask_drink
        collect: drink          # latte, tea or water
        ask_before_filling: True
      - id: ask_size
        collect: size
        next:
          - if: slots.size = "large"
            then: warn_price   # large costs more
          - else: confirm

      # Large drinks cost more.
      - id: warn_price
        action: utter_large_costs_more
        next: confirm
      - id: confirm
        action: utter_order_confirmed
        next: "END"

  opening_hours:
    description: 'Tell the user when the café is open.'
    steps:
      - action: utter_opening_hours   # nobody touches this flow
        reset_after_flow_ends: False
"""

DOMAIN = """\
version: "3.1"
slots:
  drink:
    type: categorical
    values: [latte, tea, water]
    influence_conversation: yes
    mappings:
    - type: from_llm   # filled by the command generator
responses:
  utter_order_confirmed:
  - text: "Your {drink} is on its way."   # shown at the end
  utter_opening_hours:
  - text: |
      We open at 8.
      We close at 18.
actions:
  - action_check_loyalty
"""

# Another team's style: four spaces, lists not indented under their key.
FOUR_SPACES = """\
flows:
    greet:
        description: Say hello.
        steps:
        - action: utter_greet    # first
        - action: utter_how_can_i_help
          next: END
"""


def _project(**extra):
    raw = {"config.yml": b"recipe: default.v1\nlanguage: en\n", "data/flows.yml": FLOWS.encode(),
           "domain.yml": DOMAIN.encode(), "data/nlu.yml": b"version: '3.1'\nnlu: []\n"}
    raw.update({path: text.encode() for path, text in extra.items()})
    files = files_from_mapping(raw)
    content, problems = read_content(files)
    assert problems == []
    return files, content


def _steps(content, flow_id="order_drink"):
    return content.flows[flow_id].body["steps"]


def assert_text(actual: bytes, expected: str) -> None:
    """Equal text, or a failure that shows the user-visible diff."""
    text = actual.decode("utf-8")
    if text != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True), "expected", "written"))
        raise AssertionError("the written file differs from the expected one:\n" + diff)


def _write(files, content, original):
    out = write_project(files, content, original=original)
    untouched = {p for p in out if out[p] == files.raw_by_path().get(p)}
    return out, set(out) - untouched


def test_inserting_a_step_in_the_middle_adds_only_its_lines():
    files, content = _project()
    original = copy.deepcopy(content)
    _steps(content).insert(1, {"id": "ask_milk", "collect": "milk"})
    out, changed = _write(files, content, original)
    assert changed == {"data/flows.yml"}
    assert_text(out["data/flows.yml"], FLOWS.replace(
        "        ask_before_filling: True\n",
        "        ask_before_filling: True\n      - id: ask_milk\n        collect: milk\n"))


def test_a_step_inserted_above_a_commented_step_leaves_the_comment_on_that_step():
    files, content = _project()
    original = copy.deepcopy(content)
    _steps(content).insert(2, {"id": "ask_sugar", "collect": "sugar", "next": "warn_price"})
    out, _ = _write(files, content, original)
    assert_text(out["data/flows.yml"], FLOWS.replace(
        "          - else: confirm\n\n      # Large drinks cost more.\n",
        "          - else: confirm\n      - id: ask_sugar\n        collect: sugar\n        next: warn_price\n"
        "\n      # Large drinks cost more.\n"))


def test_deleting_a_step_removes_its_comment_and_the_edited_reference_keeps_its_own():
    files, content = _project()
    original = copy.deepcopy(content)
    steps = _steps(content)
    del steps[2]
    steps[1]["next"][0]["then"] = "confirm"
    out, changed = _write(files, content, original)
    assert changed == {"data/flows.yml"}
    assert_text(out["data/flows.yml"], FLOWS.replace(
        "            then: warn_price   # large costs more\n          - else: confirm\n\n"
        "      # Large drinks cost more.\n      - id: warn_price\n        action: utter_large_costs_more\n"
        "        next: confirm\n",
        "            then: confirm      # large costs more\n          - else: confirm\n"))  # the comment keeps its column


def test_editing_one_field_of_a_step_changes_that_line_only():
    files, content = _project()
    original = copy.deepcopy(content)
    _steps(content)[3]["action"] = "utter_see_you_soon"
    out, _ = _write(files, content, original)
    assert_text(out["data/flows.yml"], FLOWS.replace("action: utter_order_confirmed", "action: utter_see_you_soon"))


def test_a_longer_or_shorter_value_leaves_an_aligned_comment_in_its_column():
    files, content = _project()
    original = copy.deepcopy(content)
    _steps(content)[0]["collect"] = "hot_drink"
    out, _ = _write(files, content, original)
    assert_text(out["data/flows.yml"], FLOWS.replace("collect: drink          # latte", "collect: hot_drink      # latte"))


def test_a_changed_scalar_keeps_its_quotes_and_boolean_spelling():
    files, content = _project()
    original = copy.deepcopy(content)
    _steps(content)[3]["next"] = "ask_drink"
    _steps(content)[0]["ask_before_filling"] = False
    content.flows["opening_hours"].body["description"] = "Say when we are open."
    out, _ = _write(files, content, original)
    assert_text(out["data/flows.yml"], FLOWS.replace('next: "END"', 'next: "ask_drink"')
                .replace("ask_before_filling: True", "ask_before_filling: False")
                .replace("'Tell the user when the café is open.'", "'Say when we are open.'"))


def test_reordering_steps_moves_each_step_with_its_comments():
    files, content = _project()
    original = copy.deepcopy(content)
    steps = _steps(content)
    steps[0], steps[1] = steps[1], steps[0]
    out, _ = _write(files, content, original)
    ask_drink = ("      # Which drink first.\n      - id: ask_drink\n        collect: drink          # latte, tea or water\n"
                 "        ask_before_filling: True\n")
    ask_size = ("      - id: ask_size\n        collect: size\n        next:\n          - if: slots.size = \"large\"\n"
                "            then: warn_price   # large costs more\n          - else: confirm\n")
    assert_text(out["data/flows.yml"], FLOWS.replace(ask_drink + ask_size, ask_size + ask_drink))


def test_a_flow_style_list_stays_a_flow_style_list_with_its_comment():
    files, content = _project()
    original = copy.deepcopy(content)
    content.flows["order_drink"].body["persisted_slots"].append("size")
    out, _ = _write(files, content, original)
    assert_text(out["data/flows.yml"], FLOWS.replace("persisted_slots: [drink]   #", "persisted_slots: [drink, size] #"))


def test_a_new_flow_in_an_existing_file_is_appended_and_the_rest_kept():
    files, content = _project()
    original = copy.deepcopy(content)
    content.flows["say_bye"] = Item("say_bye", {"description": "Say bye.", "steps": [{"action": "utter_bye"}]},
                                    "data/flows.yml", 2)
    out, _ = _write(files, content, original)
    assert_text(out["data/flows.yml"], FLOWS + "  say_bye:\n    description: Say bye.\n    steps:\n"
                                              "      - action: utter_bye\n")


def test_a_file_in_another_indentation_style_keeps_it():
    files, content = _project(**{"data/greet.yml": FOUR_SPACES})
    original = copy.deepcopy(content)
    _steps(content, "greet").insert(1, {"action": "utter_ask_name", "next": [{"if": "slots.name", "then": "END"},
                                                                           {"else": "END"}]})
    out, changed = _write(files, content, original)
    assert changed == {"data/greet.yml"}
    assert_text(out["data/greet.yml"], FOUR_SPACES.replace(
        "        - action: utter_how_can_i_help\n",
        "        - action: utter_ask_name\n          next:\n          - if: slots.name\n            then: END\n"
        "          - else: END\n        - action: utter_how_can_i_help\n"))


def test_domain_edits_keep_comments_quotes_and_block_text_of_the_rest():
    files, content = _project()
    original = copy.deepcopy(content)
    content.slots["drink"].body["values"].append("cocoa")
    content.responses["utter_bye"] = Item("utter_bye", [{"text": "Bye!"}])
    content.actions["action_pay"] = Item("action_pay", {"send_domain": True})
    out, changed = _write(files, content, original)
    assert changed == {"domain.yml"}
    assert_text(out["domain.yml"], DOMAIN.replace("[latte, tea, water]", "[latte, tea, water, cocoa]").replace(
        "      We close at 18.\n", "      We close at 18.\n  utter_bye:\n  - text: Bye!\n")
        + "  - action_pay:\n      send_domain: true\n")


def test_an_edited_block_text_keeps_its_block_style():
    files, content = _project()
    original = copy.deepcopy(content)
    content.responses["utter_opening_hours"].body[0]["text"] = "We open at 9.\nWe close at 18.\n"
    out, _ = _write(files, content, original)
    assert_text(out["domain.yml"], DOMAIN.replace("We open at 8.", "We open at 9."))


def test_every_kind_of_edit_at_once_reads_back_as_the_content():
    files, content = _project(**{"data/greet.yml": FOUR_SPACES})
    original = copy.deepcopy(content)
    steps = _steps(content)
    steps.insert(0, {"id": "hello", "action": "utter_hello"})
    del steps[3]
    steps[-1]["next"] = [{"if": "slots.drink", "then": "END"}, {"else": "hello"}]
    del content.flows["greet"]
    del content.slots["drink"]
    out = write_project(files, content, original=original)
    assert "data/greet.yml" not in [p for p in out if p.startswith("data/flows/")]
    reread, problems = read_content(files_from_mapping(out))
    assert problems == []
    for kind in ("flows", "slots", "responses", "actions"):
        assert {n: i.body for n, i in reread.of(kind).items()} == {n: i.body for n, i in content.of(kind).items()}
    assert "# Which drink first." in out["data/flows.yml"].decode()
    assert "reset_after_flow_ends: False" in out["data/flows.yml"].decode()


def test_an_edit_the_text_cannot_hold_falls_back_to_a_whole_file_rewrite_that_reads_back_right():
    anchored = ("flows:\n  a:\n    description: &words Shared words.\n    steps:\n      - action: utter_a\n"
                "  b:\n    description: *words\n    steps:\n      - action: utter_b\n")
    files, content = _project(**{"data/shared.yml": anchored})
    original = copy.deepcopy(content)
    content.flows["a"].body["description"] = "Own words."
    out = write_project(files, content, original=original)
    reread, problems = read_content(files_from_mapping(out))
    assert problems == []
    assert reread.flows["a"].body["description"] == "Own words."
    assert reread.flows["b"].body["description"] == "Shared words."


# The end of Rasa's tutorial domain.yml: a block text on the last line, no line break after it.
UNCLOSED_DOMAIN = """\
version: "3.1"
slots:
  amount:
    type: float
    mappings:
      - type: from_llm

responses:
  utter_free_chitchat_response:
    - text: "placeholder"
      metadata:
        rephrase: True
        rephrase_prompt: |
          Keep things light.
          Suggested AI Response:"""


def test_adding_to_a_domain_file_without_a_final_line_break_closes_its_last_line_and_keeps_the_rest():
    files, content = _project(**{"domain.yml": UNCLOSED_DOMAIN})
    original = copy.deepcopy(content)
    content.slots["recipient"] = Item("recipient", {"type": "text", "mappings": [{"type": "from_llm"}]})
    content.responses["utter_done"] = Item("utter_done", [{"text": "Done."}])
    out, changed = _write(files, content, original)
    assert changed == {"domain.yml"}
    assert_text(out["domain.yml"], UNCLOSED_DOMAIN.replace(
        "      - type: from_llm\n", "      - type: from_llm\n  recipient:\n    type: text\n    mappings:\n"
                                   "      - type: from_llm\n")
        + "\n  utter_done:\n    - text: Done.\n")


def test_an_edit_above_the_last_line_of_a_file_without_a_final_line_break_leaves_it_without_one():
    files, content = _project(**{"domain.yml": UNCLOSED_DOMAIN})
    original = copy.deepcopy(content)
    content.slots["amount"].body["type"] = "text"
    out, _ = _write(files, content, original)
    assert_text(out["domain.yml"], UNCLOSED_DOMAIN.replace("type: float", "type: text"))


# Response texts as authors write them: wrapped plain text, escapes, doubled quotes, block text.
WRAPPED = """\
version: "3.1"
responses:
  utter_statement_download_complete:
    - text: Your statement for {statement_month} in {statement_format}
        format has been downloaded.   # wrapped by the author
  utter_statement_saved:
    - text: "Saved as \\"{statement_format}\\",
        ready."
    - text: 'It''s in {statement_format}.'
  utter_statement_help:
    - text: |
        Pick a {statement_format}:
        PDF or CSV.
      buttons:
        - title: "{statement_format}"
          payload: '/SetSlots(statement_format=pdf)'
"""


def _edit_texts(content, edit):
    for response in content.responses.values():
        for variation in response.body:
            variation["text"] = edit(variation["text"])
            for button in variation.get("buttons", []):
                button["title"] = edit(button["title"])


def test_a_renamed_slot_in_response_texts_changes_only_its_name_and_wrapped_lines_stay_wrapped():
    files, content = _project(**{"domain.yml": WRAPPED})
    original = copy.deepcopy(content)
    _edit_texts(content, lambda text: text.replace("{statement_format}", "{format}"))
    out, changed = _write(files, content, original)
    assert changed == {"domain.yml"}
    assert_text(out["domain.yml"], WRAPPED.replace("{statement_format}", "{format}"))


def test_a_text_edit_that_its_source_spells_differently_writes_the_text_again():
    plain = WRAPPED.replace("   # wrapped by the author", "")
    files, content = _project(**{"domain.yml": plain})
    original = copy.deepcopy(content)
    # The space to replace is the line fold: the source has no such space to edit.
    _edit_texts(content, lambda text: text.replace("{statement_format} format", "{statement_format}-format"))
    out, _ = _write(files, content, original)
    assert_text(out["domain.yml"], plain.replace(
        "in {statement_format}\n        format has", "in {statement_format}-format has"))


FEEDBACK = """\
# Simple thumbs up/down feedback flow
flows:
  leave_feedback:
    description: Collect thumbs up or down.
    steps:
      - action: utter_ask_feedback
"""

GREET_WITH_NLU = """\
version: "3.1"
flows:
  greet:
    description: Say hello.
    steps:
      - action: utter_greet

nlu:
- intent: greet
  examples: |
    - hi
"""

HELP_RESPONSES = """\
version: "3.1"
responses:
  utter_help:
    - text: I can send money.
"""

SHARED_DOMAIN = """\
version: "3.1"

# Shared slots.
slots:
  amount:
    type: float
    mappings:
      - type: from_llm

# Shared responses.
responses:
  utter_ask_amount:
    - text: How much?
"""


def _domain_folder_project():
    raw = {"config.yml": b"recipe: default.v1\nlanguage: en\n", "data/general/feedback.yml": FEEDBACK.encode(),
           "data/general/greet.yml": GREET_WITH_NLU.encode(), "domain/help.yml": HELP_RESPONSES.encode(),
           "domain/shared.yml": SHARED_DOMAIN.encode()}
    files = files_from_mapping(raw)
    content, problems = read_content(files)
    assert problems == []
    return files, content


def test_a_file_left_with_nothing_after_a_delete_is_left_out_of_the_export():
    files, content = _domain_folder_project()
    original = copy.deepcopy(content)
    del content.flows["leave_feedback"]
    del content.responses["utter_help"]
    out = write_project(files, content, original=original)
    assert sorted(out) == ["config.yml", "data/general/greet.yml", "domain/shared.yml"]
    assert out["data/general/greet.yml"] == GREET_WITH_NLU.encode()
    assert out["domain/shared.yml"] == SHARED_DOMAIN.encode()


def test_a_file_with_other_content_keeps_it_and_loses_only_the_emptied_key():
    files, content = _domain_folder_project()
    original = copy.deepcopy(content)
    del content.flows["greet"]
    del content.responses["utter_ask_amount"]
    out, changed = _write(files, content, original)
    assert changed == {"data/general/greet.yml", "domain/shared.yml"}
    assert_text(out["data/general/greet.yml"], 'version: "3.1"\n\nnlu:\n- intent: greet\n  examples: |\n    - hi\n')
    assert_text(out["domain/shared.yml"], SHARED_DOMAIN.split("\n# Shared responses.")[0])


def test_the_root_domain_file_stays_when_its_last_item_is_deleted():
    # Without domain.yml Rasa would read a domain/ folder that it ignores while domain.yml exists.
    files, content = _project(**{"domain.yml": HELP_RESPONSES})
    original = copy.deepcopy(content)
    del content.responses["utter_help"]
    out, changed = _write(files, content, original)
    assert changed == {"domain.yml"}
    assert_text(out["domain.yml"], 'version: "3.1"\n')
