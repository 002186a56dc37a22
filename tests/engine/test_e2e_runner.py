"""`python -m engine test`: Rasa Pro e2e test files run against the engine.

The e2e files under e2e_data/ were generated (convert_conformance.py) from the conformance
conversations and the traces real Rasa Pro 3.21 recorded for them, so they are a fair referee.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from engine.cli import main

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DATA = HERE / "e2e_data"
CONFORMANCE = HERE / "conformance"


def _run(capsys, *args):
    code = main(["test", *map(str, args)])
    return code, capsys.readouterr().out


def _pizza(tmp_path, old, new, count=1):
    text = (DATA / "pizza_shop.yml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "pizza_shop.yml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


@pytest.mark.parametrize("name,total", [("pizza_shop", 17), ("library_desk", 20), ("utility_account", 17)])
def test_e2e_files_recorded_from_rasa_pass(capsys, name, total):
    code, out = _run(capsys, CONFORMANCE / name / "project", DATA / f"{name}.yml")
    assert out.strip() == f"passed: {total}/{total}"
    assert code == 0


def test_flow_step_ids_agree_with_real_rasa(capsys):
    # Every flow_completed/flow_cancelled of pizza_shop.yml with the step id we report; Rasa's own
    # e2e runner passes this file 17/17 (see e2e_data/README.md).
    code, out = _run(capsys, CONFORMANCE / "pizza_shop" / "project", DATA / "pizza_shop_step_ids.yml")
    assert (code, out.strip()) == (0, "passed: 17/17")
    assert (DATA / "pizza_shop_step_ids.yml").read_text().count("flow_step_id:") == 53


def test_wrong_utter_name_fails_with_the_step_and_what_the_bot_said(capsys, tmp_path):
    path = _pizza(tmp_path, "utter_name: utter_ask_pizza_size\n", "utter_name: utter_ask_pizza_sise\n")
    code, out = _run(capsys, CONFORMANCE / "pizza_shop" / "project", path)
    assert code == 1
    assert out.splitlines() == [
        f"FAILED {path}::P01_pickup_happy_path (line 84)",
        '  step 2, line 104, user: "/SetSlots(pizza_type=margherita)"',
        "    bot_uttered (line 109): Bot did not utter 'utter_ask_pizza_sise' response.",
        "    happened: bot utter_ask_pizza_size; slots pizza_type='margherita'",
        "passed: 16/17",
    ]


def test_wrong_slot_value_fails_with_the_actual_value(capsys, tmp_path):
    path = _pizza(tmp_path, "name: pizza_size\n        value: medium", "name: pizza_size\n        value: large")
    code, out = _run(capsys, CONFORMANCE / "pizza_shop" / "project", path)
    assert code == 1
    assert ("    slot_was_set (line 114): Slot 'pizza_size' was set to a different value 'medium' "
            "than the expected 'large' value.") in out.splitlines()
    assert out.splitlines()[-1] == "passed: 16/17"


def test_flow_that_never_starts_fails_and_shows_what_ran_instead(capsys, tmp_path):
    path = _pizza(tmp_path, "- user: start flow order_pizza\n", "- user: start flow order_pizzas\n")
    code, out = _run(capsys, CONFORMANCE / "pizza_shop" / "project", path)
    assert code == 1
    assert out.splitlines()[1:4] == [
        '  step 1, line 86, user: "start flow order_pizzas"',
        "    flow_started (line 88): Flow with id 'order_pizza' did not start.",
        "    happened: flows started:pattern_cannot_handle, completed:pattern_cannot_handle; "
        "bot utter_pizza_rephrase",
    ]


def test_missing_stub_fails_every_test_case_that_runs_the_action(capsys, tmp_path):
    stub = "  compute_total:\n    events:\n    - event: slot\n      name: order_total\n      value: 23.5\n"
    path = _pizza(tmp_path, stub, "")
    code, out = _run(capsys, CONFORMANCE / "pizza_shop" / "project", path)
    assert code == 1
    message = ("    You are using custom action stubs, however action `compute_total` has not been stubbed. "
               "Stub every custom action the tests run.")
    assert out.splitlines().count(message) == 5
    assert f"FAILED {path}::P01_pickup_happy_path (line 79)" in out
    assert out.splitlines()[-1] == "passed: 12/17"


def test_command_line_exit_code_and_default_tests_folder(tmp_path):
    project = _project(tmp_path, TESTS_OK)
    ok = subprocess.run([sys.executable, "-m", "engine", "test", str(project)], capture_output=True,
                        text=True, cwd=REPO, timeout=60)
    assert (ok.returncode, ok.stdout) == (0, "passed: 1/1\n")
    (project / "tests" / "e2e_test_cases.yml").write_text(TESTS_OK.replace("utter_weather", "utter_ask_city", 1))
    bad = subprocess.run([sys.executable, "-m", "engine", "test", str(project), "--generator", "scripted"],
                         capture_output=True, text=True, cwd=REPO, timeout=60)
    assert bad.returncode == 1
    assert bad.stdout.splitlines()[-1] == "passed: 0/1"


# --- a small project for the features the recorded files do not use ----------------------------
DOMAIN = """
slots:
  city: {type: text}
  member: {type: bool}
  forecast: {type: text}
actions: [fetch_forecast]
responses:
  utter_ask_city: [{text: "Which city?"}]
  utter_weather: [{text: "{forecast} in {city}."}]
  utter_welcome_back: [{text: "Welcome back!"}]
"""
FLOWS = """
flows:
  weather:
    name: the weather
    description: tell the weather
    steps:
      - collect: city
      - action: fetch_forecast
      - action: utter_weather
  greet_member:
    description: greet members
    steps:
      - action: utter_welcome_back
"""
TESTS_OK = """
stub_custom_actions:
  fetch_forecast:
    events: [{event: slot, name: forecast, value: Sunny}]
test_cases:
  - test_case: weather_in_oslo
    steps:
      - user: start flow weather
        assertions:
          - bot_uttered: {utter_name: utter_ask_city}
      - user: set slot city Oslo
        assertions:
          - action_executed: fetch_forecast
          - bot_uttered: {utter_name: utter_weather, text_matches: "^Sunny in Oslo\\\\.$"}
          - flow_completed: {flow_id: weather}
"""


def _project(tmp_path, tests=None):
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    (project / "config.yml").write_text("pipeline:\n  - name: CompactLLMCommandGenerator\n")
    (project / "domain.yml").write_text(DOMAIN)
    (project / "data" / "flows.yml").write_text(FLOWS)
    if tests is not None:
        (project / "tests").mkdir()
        (project / "tests" / "e2e_test_cases.yml").write_text(tests)
    return project


def _write(tmp_path, text):
    path = tmp_path / "cases.yml"
    path.write_text(text)
    return path


def test_stub_custom_actions_set_slots_and_send_responses(capsys, tmp_path):
    tests = _write(tmp_path, """
stub_custom_actions:
  fetch_forecast:
    events: [{event: slot, name: forecast, value: Sunny}]
  rainy::fetch_forecast:
    events: [{event: slot, name: forecast, value: Rainy}]
    responses: [{text: "Checking the sky..."}]
test_cases:
  - test_case: sunny
    steps:
      - user: "start flow weather\\nset slot city Oslo"
        assertions:
          - slot_was_set: [{name: forecast, value: Sunny}]
          - bot_did_not_utter: {text_matches: "sky"}
  - test_case: rainy
    steps:
      - user: "start flow weather\\nset slot city Bergen"
        assertions:
          - slot_was_set: [{name: forecast, value: Rainy}]
          - bot_uttered: {text_matches: "^Checking the sky"}
          - bot_uttered: {text_matches: "^Rainy in Bergen"}
""")
    code, out = _run(capsys, _project(tmp_path), tests)
    assert (code, out) == (0, "passed: 2/2\n")


def test_fixtures_set_slots_before_the_first_message(capsys, tmp_path):
    tests = _write(tmp_path, """
fixtures:
  - in_oslo:
      - city: Oslo
stub_custom_actions:
  fetch_forecast: {events: [{event: slot, name: forecast, value: Cloudy}]}
test_cases:
  - test_case: city_known
    fixtures: [in_oslo]
    steps:
      - user: start flow weather
        assertions:
          - slot_was_set: [{name: city, value: Oslo}]
          - bot_did_not_utter: {utter_name: utter_ask_city}
          - bot_uttered: {text_matches: "^Cloudy in Oslo\\\\.$"}
  - test_case: city_unknown
    steps:
      - user: start flow weather
        assertions:
          - bot_uttered: {utter_name: utter_ask_city}
          - slot_was_not_set: [{name: city}]
""")
    code, out = _run(capsys, _project(tmp_path), tests)
    assert (code, out) == (0, "passed: 2/2\n")


def test_conftest_fixtures_and_classic_steps(capsys, tmp_path):
    project = _project(tmp_path)
    folder = tmp_path / "suite"
    folder.mkdir()
    (folder / "conftest.yml").write_text("fixtures:\n  - member:\n      - member: true\n")
    (folder / "classic.yml").write_text("""
stub_custom_actions:
  fetch_forecast: {events: [{event: slot, name: forecast, value: Windy}]}
test_cases:
  - test_case: classic_pass
    fixtures: [member]
    steps:
      - user: start flow weather
      - utter: utter_ask_city
      - user: set slot city Rome
      - slot_was_set:
          - city: Rome
          - forecast
      - bot: Windy in Rome.
      - slot_was_not_set: [member]
  - test_case: classic_fail
    steps:
      - user: start flow weather
      - utter: utter_weather
      - slot_was_set: [city]
      - user: set slot city Rome
      - bot: Sunny in Rome.
""")
    code, out = _run(capsys, project, folder)
    assert code == 1
    assert out.splitlines() == [
        f"FAILED {folder / 'classic.yml'}::classic_fail (line 16)",
        '  step 2, line 19, utter: utter_weather',
        "    Bot did not utter 'utter_weather' response.",
        "    happened: flows started:weather; bot utter_ask_city",
        "  step 3, line 20, slot_was_set: ['city']",
        "    Slot 'city' was not set.",
        "    happened: flows started:weather; bot utter_ask_city",
        "  step 5, line 22, bot: Sunny in Rome.",
        '    Bot did not utter the text "Sunny in Rome.".',
        "    happened: flows completed:weather, started:pattern_completed; bot utter_weather, "
        "utter_ask_continue_conversation; slots city='Rome', forecast='Windy', city=None; actions fetch_forecast",
        "passed: 1/2",
    ]


def test_clarification_cancel_and_assertion_order(capsys, tmp_path):
    tests = _write(tmp_path, """
stub_custom_actions:
  fetch_forecast: {events: []}
test_cases:
  - test_case: clarify
    steps:
      - user: disambiguate flows weather greet_member
        assertions:
          - pattern_clarification_contains: {operator: all, flow_ids: [greet_member, weather]}
          - pattern_clarification_contains: [the weather, greet member]
      - user: start flow weather
        assertions:
          - flow_started: {operator: any, flow_ids: [nope, weather]}
      - user: cancel flow
        assertions:
          - flow_cancelled: {flow_id: weather}
  - test_case: wrong_order
    steps:
      - user: "start flow weather\\nset slot city Oslo"
        assertion_order_enabled: true
        assertions:
          - bot_uttered: {utter_name: utter_weather}
          - flow_started: weather
""")
    code, out = _run(capsys, _project(tmp_path), tests)
    assert code == 1
    assert out.splitlines()[1:3] == [
        '  step 1, line 19, user: "start flow weather\\nset slot city Oslo"',
        "    flow_started (line 23): Flow with id 'weather' did not start. You have enabled assertion order, "
        "you should check the order in which the assertions are listed for this user step.",
    ]
    assert out.splitlines()[-1] == "passed: 1/2"


def test_a_test_file_rasa_would_refuse_is_reported_not_run(capsys, tmp_path):
    tests = _write(tmp_path, "test_cases:\n  - test_case: empty\n    steps:\n      - user: hi\n"
                             "        assertions:\n          - bot_uttered: {}\n")
    code = main(["test", str(_project(tmp_path)), str(tests)])
    captured = capsys.readouterr()
    assert (code, captured.out) == (1, "")
    assert captured.err == (f"error: {tests}:6: A 'bot_uttered' assertion is empty, it should contain at "
                            "least one of the allowed properties: 'utter_name', 'text_matches', 'buttons'.\n")


def test_unknown_assertion_type_names_the_file_and_line(tmp_path):
    project = _project(tmp_path)
    tests = _write(tmp_path, "test_cases:\n  - test_case: t\n    steps:\n      - user: hi\n"
                             "        assertions:\n          - bot_said: hello\n")
    result = subprocess.run([sys.executable, "-m", "engine", "test", str(project), str(tests)],
                            capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 1
    assert result.stderr == f"error: {tests}:6: unknown assertion type 'bot_said'\n"


def test_offline_generator_reads_plain_language_where_scripted_cannot(capsys, tmp_path):
    tests = _write(tmp_path, """
stub_custom_actions:
  fetch_forecast: {events: [{event: slot, name: forecast, value: Sunny}]}
test_cases:
  - test_case: natural
    steps:
      - user: what is the weather forecast?
        assertions:
          - flow_started: {operator: all, flow_ids: [weather]}
          - bot_uttered: {utter_name: utter_ask_city}
""")
    project = _project(tmp_path)
    assert _run(capsys, project, tests, "--generator", "offline") == (0, "passed: 1/1\n")
    code, out = _run(capsys, project, tests, "--generator", "scripted")
    assert code == 1
    assert "    flow_started (line 9): Flow with id 'weather' did not start." in out.splitlines()


STEP_ID_TEST = """
stub_custom_actions:
  fetch_forecast: {events: []}
test_cases:
  - test_case: step_id
    steps:
      - user: "start flow weather\\nset slot city Oslo"
        assertions:
          - flow_completed: {flow_id: weather, flow_step_id: %s}
"""


def test_flow_completed_checks_the_step_the_flow_ended_on(capsys, tmp_path):
    # Rasa's FlowCompleted carries the step run before END (here the unnamed utter step's default id).
    project = _project(tmp_path)
    assert _run(capsys, project, _write(tmp_path, STEP_ID_TEST % "weather_2_utter_weather")) == (0, "passed: 1/1\n")
    code, out = _run(capsys, project, _write(tmp_path, STEP_ID_TEST % "utter_weather"))
    assert code == 1
    assert out.splitlines()[2] == (
        "    flow_completed (line 9): Flow with id 'weather' did not complete at expected step id 'utter_weather'. "
        "The actual step id was 'weather_2_utter_weather'.")


def test_one_test_case_by_name_and_a_folder_without_tests(capsys, tmp_path):
    project = _project(tmp_path, TESTS_OK)
    tests = project / "tests" / "e2e_test_cases.yml"
    assert _run(capsys, project, f"{tests}::weather_in_oslo") == (0, "passed: 1/1\n")
    code = main(["test", str(project), str(project / "data")])
    captured = capsys.readouterr()
    assert (code, captured.out) == (1, "")
    assert captured.err == f"error: no e2e test cases (YAML files with 'test_cases') in {project / 'data'}\n"


def test_assertions_that_need_an_llm_judge_are_listed_as_not_checked(capsys, tmp_path):
    tests = _write(tmp_path, """
test_cases:
  - test_case: judged
    steps:
      - user: start flow weather
        assertions:
          - generative_response_is_relevant: {threshold: 0.9}
          - bot_uttered: {utter_name: utter_ask_city}
""")
    code, out = _run(capsys, _project(tmp_path), tests)
    assert (code, out.splitlines()) == (0, [
        f"skipped: {tests}::judged step 1: 'generative_response_is_relevant' is not checked "
        "(it needs an LLM judge or Rasa's agents)",
        "passed: 1/1",
    ])


def test_action_executed_sees_rasas_own_actions(capsys, tmp_path):
    # A collect runs Rasa's action_run_slot_rejections before asking, as an ActionExecuted event.
    tests = _write(tmp_path, """
test_cases:
  - test_case: rejections_run
    steps:
      - user: "start flow weather"
        assertions:
          - action_executed: action_run_slot_rejections
          - bot_uttered: {utter_name: utter_ask_city}
""")
    assert _run(capsys, _project(tmp_path), tests) == (0, "passed: 1/1\n")
