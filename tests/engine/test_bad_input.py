"""Malformed assistants fail loudly with every problem located; users cannot crash a chat."""

import json
import random
import string

import pytest

from engine_kit import Chat, build
from engine import DefinitionError, load_project
from engine.commands import format_commands, StartFlow, SetSlot

DOMAIN = """
slots:
  a: {type: text}
  n: {type: float}
responses:
  utter_ask_a: [{text: "A?"}]
  utter_ask_n: [{text: "N?"}]
  utter_done: [{text: "Done {a} {n}."}]
"""


def problems_of(flows_yaml: str) -> list[str]:
    with pytest.raises(DefinitionError) as info:
        build(DOMAIN, flows_yaml)
    return [str(p) for p in info.value.problems]


def test_all_problems_are_reported_at_once_with_flow_and_step():
    problems = problems_of("""
flows:
  one:
    description: one
    steps:
      - collect: a
        next: nowhere
      - frobnicate: x
  two:
    description: two
    steps:
      - id: same
        action: utter_done
      - id: same
        collect: missing_slot
        next:
          - if: slots.a >>> 2
            then: END
          - else: END
      - action: utter_missing
      - link: no_such_flow
""")
    assert len(problems) == 10
    assert any("step 'one_1_step': the step cannot be reached from the first step" in p for p in problems)
    assert any("flow 'one', step 'one_0_collect_a': 'next' points to a step that does not exist: 'nowhere'" in p
               for p in problems)
    assert any("flow 'one'" in p and "unknown step kind (keys: frobnicate)" in p for p in problems)
    assert any("step id 'same' is used 2 times" in p for p in problems)
    assert any("condition 'slots.a >>> 2' does not parse" in p for p in problems)
    assert any("collect uses slot 'missing_slot', which is not defined in the domain" in p for p in problems)
    assert any("action 'utter_missing' is not a response in the domain" in p for p in problems)
    assert any("link to a flow that does not exist: 'no_such_flow'" in p for p in problems)


def test_a_collect_without_a_question_is_a_problem():
    problems = problems_of("""
flows:
  f:
    description: f
    steps:
      - collect: n
        utter: utter_nope
""")
    assert problems == ["flow 'f', step 'f_0_collect_n': collect utters 'utter_nope', which is not a response in the domain"]


def test_yaml_syntax_errors_name_the_file_and_line(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "domain.yml").write_text("slots: {}\n")
    (tmp_path / "data" / "flows.yml").write_text("flows:\n  f:\n    steps: [\n")
    with pytest.raises(DefinitionError) as info:
        load_project(tmp_path)
    (problem,) = info.value.problems
    assert problem.file == "data/flows.yml" and problem.line == 4
    assert "YAML error" in problem.message


def test_problems_carry_the_line_of_the_flow(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "domain.yml").write_text("slots: {}\n")
    (tmp_path / "data" / "flows.yml").write_text("# flows\nflows:\n  broken:\n    steps:\n      - link: nope\n")
    with pytest.raises(DefinitionError) as info:
        load_project(tmp_path)
    assert info.value.problems[0].line == 3
    assert str(info.value.problems[0]).startswith("data/flows.yml:3, flow 'broken'")


def test_a_flow_defined_twice_is_a_problem(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "domain.yml").write_text("responses:\n  utter_x: [{text: x}]\n")
    for name in ("a.yml", "b.yml"):
        (tmp_path / "data" / name).write_text("flows:\n  f:\n    steps:\n      - action: utter_x\n")
    with pytest.raises(DefinitionError, match="flow id defined twice"):
        load_project(tmp_path)


def test_one_flow_can_be_validated_alone_for_the_editor():
    assistant = build(DOMAIN, "flows:\n  ok:\n    description: ok\n    steps:\n      - action: utter_done\n")
    problems = assistant.validate_flow("draft", {"description": "d", "steps": [{"collect": "a", "next": "x"}]})
    assert [(p.flow_id, p.step_id, p.message) for p in problems] == [
        ("draft", "draft_0_collect_a", "'next' points to a step that does not exist: 'x'")]


FLOWS = """
flows:
  fill:
    description: fill a and n
    steps:
      - collect: a
      - collect: n
        rejections:
          - if: slots.n < 0
            utter: utter_done
      - action: utter_done
"""


def _random_text(rng: random.Random) -> str:
    pieces = [
        "".join(rng.choice(string.printable) for _ in range(rng.randint(0, 40))),
        "/SetSlots(" + ",".join(f"{rng.choice('an?')}={rng.choice(['1', 'x', 'None', '[1,2]', ''])}"
                                for _ in range(rng.randint(0, 12))) + ")",
        "/" + "".join(rng.choice(string.ascii_letters + "_(){}") for _ in range(rng.randint(0, 10))),
        format_commands([StartFlow(rng.choice(["fill", "nope", "pattern_correction"])),
                         SetSlot(rng.choice(["a", "n", "zzz", "flow_name"]), rng.choice(["-1", "x", "{{", "5"]))]),
        rng.choice(["cancel flow", "skip question", "repeat message", "disambiguate flows fill fill",
                    "provide info", "offtopic reply", "set slot continue_conversation maybe", "\n\n", ""]),
    ]
    return "\n".join(rng.sample(pieces, rng.randint(1, len(pieces))))


def test_random_user_input_never_crashes_a_conversation_and_state_stays_serialisable():
    assistant = build(DOMAIN, FLOWS)
    rng = random.Random(1234)
    for _ in range(30):
        chat = Chat(assistant)
        for _ in range(12):
            turn = chat.say(_random_text(rng))
            assert turn.error is None, turn.error
            json.dumps(turn.to_trace())
        json.dumps(chat.conversation.to_json())


@pytest.mark.parametrize("flows_yaml, message", [
    ("flows:\n  f:\n    steps:\n      - call: f\n", "a flow cannot call itself"),
    ("flows:\n  f:\n    steps:\n      - call: pattern_chitchat\n", "patterns cannot be called: 'pattern_chitchat'"),
    ("flows:\n  f:\n    steps:\n      - collect: a\n        next:\n          - if: slots.a\n            then: END\n",
     "a 'next' with 'if' branches needs an 'else' branch"),
    ("flows:\n  f:\n    steps:\n      - collect: a\n        next:\n          - if: slots.a\n            then:\n"
     "              - action: utter_done\n          - else: END\n",
     "the last step of a branch needs a 'next' (a step id or END)"),
    ("flows:\n  f:\n    steps:\n      - collect: a\n        next:\n          - if: a > 1\n            then: END\n"
     "          - else: END\n", "references variables without the 'slots.' or 'context.' namespace"),
    ("flows:\n  f:\n    if: slots.nope\n    steps:\n      - action: utter_done\n",
     "uses slot 'nope', which is not defined in the domain"),
    ("flows:\n  f:\n    steps:\n      - link: pattern_cancel_flow\n", "cannot link to the pattern 'pattern_cancel_flow'"),
])
def test_rasa_flow_rules_are_enforced(flows_yaml, message):
    assert any(message in p for p in problems_of(flows_yaml)), problems_of(flows_yaml)


def test_a_malformed_domain_is_reported_not_crashed_on():
    with pytest.raises(DefinitionError) as info:
        build("slots:\n  a: text\n  c: {type: categorical}\nresponses:\n  utter_x: just text\n", "flows: {}\n")
    messages = [p.message for p in info.value.problems]
    assert "slot 'a' must be a mapping" in messages
    assert "response 'utter_x' must be a list of variations (mappings)" in messages
    assert "categorical slot 'c' needs a list of 'values'" in messages


def test_validating_one_flow_reports_shape_and_domain_problems_together():
    assistant = build(DOMAIN, "flows:\n  ok:\n    description: ok\n    steps:\n      - action: utter_done\n")
    problems = assistant.validate_flow("draft", {"description": "d", "steps": [{"bogus": 1}, {"collect": "zzz"}]})
    assert [(p.step_id, p.message.split(";")[0]) for p in problems] == [
        ("draft_0_step", "unknown step kind (keys: bogus)"),
        ("draft_1_collect_zzz", "collect uses slot 'zzz', which is not defined in the domain"),
    ]


def test_a_rejection_without_utter_is_a_problem_as_in_rasas_schema():
    problems = problems_of("""
flows:
  one:
    steps:
      - collect: n
        rejections:
          - if: slots.n > 5
""")
    assert any("a rejection needs an 'utter'" in p for p in problems)


def test_a_collect_with_both_a_response_and_an_ask_action_is_a_problem():
    with pytest.raises(DefinitionError) as info:
        build(DOMAIN + "actions:\n  - action_ask_a\n", """
flows:
  one:
    steps:
      - collect: a
""")
    assert any("has both the response 'utter_ask_a' and the action 'action_ask_a'" in str(p)
               for p in info.value.problems)


def test_rasa_train_validator_rules_are_problems():
    domain = DOMAIN.replace("slots:\n", "slots:\n  tags: {type: list}\n  city: {type: text, initial_value: Paris}\n")
    flows = """
flows:
  one:
    name: same name
    description: Does one thing.
    persisted_slots: [a, n]
    steps:
      - collect: a
        reset_after_flow_ends: false
      - collect: tags
      - collect: city
        ask_before_filling: true
  two:
    name: same name
    description: Does one thing
    steps:
      - set_slots:
          - tags: [x]
"""
    with pytest.raises(DefinitionError) as info:
        build(domain, flows)
    text = "\n".join(str(p) for p in info.value.problems)
    assert "persisted_slots or the collect's reset_after_flow_ends" in text
    assert "persisted slot 'n' is neither collected nor set" in text
    assert "collect uses the list slot 'tags'" in text
    assert "set_slots uses the list slot 'tags'" in text
    assert "collect 'city' has no question" in text
    assert "flow name 'same name' is also used by 'one'" in text
    assert "the description is the same as the one of 'one'" in text


def test_a_persisted_slot_collected_by_a_called_flow_is_fine():
    build(DOMAIN, """
flows:
  outer:
    description: outer
    persisted_slots: [a]
    steps:
      - call: inner
  inner:
    description: inner
    steps:
      - collect: a
""")
