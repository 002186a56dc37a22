"""Problems and warnings found when reading a project: each names file, line, flow and step."""

import textwrap

import pytest

from studio.exchange.yamlproject import files_from_mapping, parse_project, read_directory

from exchange_projects import ALL_PROJECTS, FIXTURES, project_path

DOMAIN = textwrap.dedent("""\
    version: "3.1"
    slots:
      name:
        type: text
    responses:
      utter_ask_name:
        - text: Name?
      utter_hi:
        - text: Hi {name}
    """)


def _parse(extra: dict[str, str], domain: str = DOMAIN):
    raw = {"config.yml": "recipe: default.v1\n", "domain.yml": domain, **extra}
    return parse_project(files_from_mapping({p: textwrap.dedent(t).encode() for p, t in raw.items()}))


def _messages(parsed):
    return [str(p) for p in parsed.problems]


@pytest.mark.parametrize("name", ALL_PROJECTS)
def test_sample_and_conformance_projects_import_without_problems(name):
    parsed = parse_project(read_directory(project_path(name)))
    assert _messages(parsed) == []


def test_flows_from_several_files_and_the_domain_folder_are_merged():
    parsed = parse_project(read_directory(FIXTURES / "bank_split"))
    content = parsed.content
    assert list(content.flows) == ["greet_user", "transfer_money", "check_balance", "pattern_chitchat"]
    assert content.flows["check_balance"].source_path == "data/flows/transfer.yml"
    assert content.flows["check_balance"].position == 1
    assert content.slots["amount"].source_path == "domain/transfer.yml"
    assert content.responses["utter_free_chitchat_response"].source_path == "domain/system/patterns.yml"
    assert content.actions["action_check_balance"].body == {"send_domain": True}
    assert content.actions["action_execute_transfer"].body is None
    assert content.slots["user_name"].body["influence_conversation"] is False


def test_duplicate_flow_id_across_files_names_both_files():
    flow = "flows:\n  hello:\n    description: d\n    steps:\n      - action: utter_hi\n"
    parsed = _parse({"data/a.yml": flow, "data/b.yml": "\n" + flow})
    assert _messages(parsed) == [
        "data/b.yml:3, flow 'hello': duplicate flow id 'hello' (also defined in data/a.yml:2)"]


def test_duplicate_slot_across_domain_files_is_refused():
    files = {
        "domain/a.yml": "slots:\n  name:\n    type: text\n",
        "domain/b.yml": "slots:\n  name:\n    type: bool\n",
        "data/f.yml": "flows:\n  f:\n    description: d\n    steps:\n      - action: action_listen\n",
    }
    raw = {"config.yml": b"x: 1\n", **{p: t.encode() for p, t in files.items()}}
    parsed = parse_project(files_from_mapping(raw))
    assert _messages(parsed) == ["domain/b.yml:2: duplicate slot 'name' (also defined in domain/a.yml:2)"]


def test_yaml_syntax_error_is_reported_with_its_line():
    parsed = _parse({"data/flows.yml": "flows:\n  a:\n    steps: [\n"})
    assert len(parsed.problems) == 1
    problem = parsed.problems[0]
    assert (problem.file, problem.line) == ("data/flows.yml", 4)
    assert problem.message.startswith("YAML syntax error")


def test_flow_without_steps_is_refused():
    parsed = _parse({"data/flows.yml": "flows:\n  empty:\n    description: nothing\n    steps: []\n"})
    assert _messages(parsed) == ["data/flows.yml:2, flow 'empty': the flow has no steps"]


def test_unknown_key_on_a_collect_step_names_flow_step_and_line():
    parsed = _parse({"data/flows.yml": """\
        flows:
          ask:
            description: ask the name
            steps:
              - id: get_name
                collect: name
                ask_confirm: true
        """})
    assert _messages(parsed) == [
        "data/flows.yml:5, flow 'ask', step 'get_name': unknown key 'ask_confirm' on a collect step"]


def test_next_to_a_missing_step_id_is_refused():
    parsed = _parse({"data/flows.yml": """\
        flows:
          hello:
            description: say hi
            steps:
              - action: utter_hi
                next: nowhere
        """})
    assert _messages(parsed) == [
        "data/flows.yml:5, flow 'hello', step 'hello_0_utter_hi': 'next' points to a step that does not exist: 'nowhere'"]


def test_references_to_unknown_flows_slots_and_actions_are_all_listed():
    parsed = _parse({"data/flows.yml": """\
        flows:
          hello:
            description: say hi
            steps:
              - collect: age
              - action: utter_missing
              - link: ghost
        """})
    assert _messages(parsed) == [
        "data/flows.yml:5, flow 'hello', step 'hello_0_collect_age': collect uses slot 'age', which is not defined in the domain",
        "data/flows.yml:6, flow 'hello', step 'hello_1_utter_missing': action 'utter_missing' is not a response in the domain",
        "data/flows.yml:7, flow 'hello', step 'hello_2_link_ghost': link to a flow that does not exist: 'ghost'",
    ]


def test_cycles_between_steps_are_accepted():
    parsed = parse_project(read_directory(FIXTURES / "helpdesk_single"))
    assert parsed.problems == []
    steps = parsed.content.flows["open_ticket"].body["steps"]
    assert steps[2]["next"][0]["then"] == "ask_topic"


def test_unused_response_and_never_set_slot_are_warnings():
    parsed = parse_project(read_directory(FIXTURES / "helpdesk_single"))
    assert [str(w) for w in parsed.warnings] == [
        "domain.yml:32: response 'utter_old_greeting' is never used by a flow",
        "domain.yml:16: slot 'legacy_flag' is never set: no flow collects or sets it",
    ]


def test_project_without_flows_or_training_data_is_refused():
    parsed = _parse({})
    assert _messages(parsed) == ["no flows or training data found: expected YAML files with a 'flows:', "
                                 "'nlu:', 'stories:' or 'rules:' key under data/"]


def test_engine_validation_reports_a_predicate_that_does_not_parse_at_its_step():
    raw = read_directory(FIXTURES / "bank_split").raw_by_path()
    raw["data/flows/transfer.yml"] = raw["data/flows/transfer.yml"].replace(
        b"if: slots.amount > 1000", b"if: slots.amount in {1 2}")
    parsed = parse_project(files_from_mapping(raw))
    assert len(parsed.problems) == 1
    problem = parsed.problems[0]
    assert (problem.file, problem.line, problem.flow_id, problem.step_id) == (
        "data/flows/transfer.yml", 22, "transfer_money", "check")
    assert "slots.amount in {1 2}" in problem.message


def test_malformed_domain_entries_are_problems_not_crashes():
    parsed = _parse({"data/flows.yml": "flows:\n  f:\n    description: d\n    steps:\n      - action: action_listen\n"},
                    domain='slots:\n  bare: text\nresponses:\n  utter_x: "just text"\nactions:\n  - act: 5\n')
    assert _messages(parsed) == [
        "domain.yml:2: slot 'bare' must be a mapping with a 'type'",
        "domain.yml:4: response 'utter_x' must be a non-empty list of variations (mappings with 'text' or 'custom')",
        "domain.yml:6: options of action 'act' must be a mapping",
    ]


@pytest.mark.parametrize("flows", [
    "flows: [a, b]\n",
    "flows:\n  f: 3\n",
    "flows:\n  f:\n    description: d\n    steps: {a: 1}\n",
    "flows:\n  f:\n    description: d\n    steps:\n      - 7\n      - {action: action_listen, next: 5}\n",
    "flows:\n  f:\n    description: d\n    steps:\n      - set_slots: {a: 1}\n        next: [{if: x}]\n",
    "- just a list\n",
])
def test_odd_shapes_give_problems_with_a_place(flows):
    parsed = _parse({"data/flows.yml": flows})
    assert parsed.problems
    assert all(p.file == "data/flows.yml" for p in parsed.problems)


def test_slot_keys_rasa_would_reject_are_problems():
    domain = DOMAIN.replace("    type: text\n", "    type: text\n    values: [a, b]\n    x_note: hi\n")
    parsed = _parse({"data/flows.yml": "flows:\n  f:\n    description: d\n    steps:\n      - collect: name\n"},
                    domain=domain)
    assert _messages(parsed) == ["domain.yml:3: slot 'name' has keys a text slot does not take: values, x_note"]


def test_flow_descriptions_names_and_trigger_intents_must_be_unique():
    parsed = _parse({"data/flows.yml": """\
        flows:
          a:
            description: Say hi.
            steps:
              - action: utter_hi
          b:
            name: a
            description: Say hi!
            nlu_trigger:
              - intent: {name: greet, confidence_threshold: 0.5}
            steps:
              - action: utter_hi
          c:
            description: Something else.
            nlu_trigger:
              - intent: greet
            steps:
              - action: utter_hi
        """})
    assert _messages(parsed) == [
        "data/flows.yml:6, flow 'b': flow name 'a' is also used by 'a'",
        "data/flows.yml:6, flow 'b': the description is the same as the one of 'a'",
        "data/flows.yml:13, flow 'c': nlu_trigger intent 'greet' is also used by 'b'",
    ]


def test_list_slots_cannot_be_collected_or_set():
    domain = DOMAIN.replace("    type: text\n", "    type: list\n")
    parsed = _parse({"data/flows.yml": """\
        flows:
          f:
            description: d
            steps:
              - collect: name
              - set_slots:
                  - name: []
        """}, domain=domain)
    assert _messages(parsed) == [
        "data/flows.yml:5, flow 'f', step 'f_0_collect_name': collect uses the list slot 'name'; Rasa does not support list slots in flows",
        "data/flows.yml:6, flow 'f', step 'f_1_set_slots': set_slots uses the list slot 'name'; Rasa does not support list slots in flows",
    ]


def test_response_condition_that_does_not_parse_is_a_warning():
    domain = DOMAIN.replace("utter_hi:\n    - text: Hi {name}\n",
                            "utter_hi:\n    - text: Hi {name}\n      condition: slots.name >\n    - text: Hi\n")
    parsed = _parse({"data/flows.yml": "flows:\n  f:\n    description: d\n    steps:\n      - collect: name\n"
                                       "      - action: utter_hi\n"}, domain=domain)
    assert parsed.problems == []
    assert len(parsed.warnings) == 1
    warning = parsed.warnings[0]
    assert (warning.file, warning.line) == ("domain.yml", 8)
    assert warning.message.startswith("response 'utter_hi' variation 1: condition 'slots.name >' does not parse")
    assert warning.message.endswith("; Rasa treats it as false")
