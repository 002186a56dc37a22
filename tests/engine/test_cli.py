"""The engine's command line: chat, validate, replay errors."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

DOMAIN = """
slots:
  city: {type: text}
responses:
  utter_ask_city: [{text: "Which city?"}]
  utter_weather: [{text: "Sunny in {city}."}]
"""
FLOWS = """
flows:
  weather:
    description: tell the weather
    steps:
      - collect: city
      - action: utter_weather
"""


def _project(tmp_path, flows=FLOWS):
    (tmp_path / "data").mkdir()
    (tmp_path / "config.yml").write_text("pipeline:\n  - name: CompactLLMCommandGenerator\n")
    (tmp_path / "domain.yml").write_text(DOMAIN)
    (tmp_path / "data" / "flows.yml").write_text(flows)
    return tmp_path


def _engine(*args, stdin=""):
    return subprocess.run([sys.executable, "-m", "engine", *args], input=stdin, capture_output=True,
                          text=True, cwd=REPO, timeout=60)


def test_chat_reads_commands_line_by_line_and_prints_bot_messages(tmp_path):
    result = _engine("chat", str(_project(tmp_path)), "-v", stdin="start flow weather\nset slot city Oslo\n")
    assert result.returncode == 0, result.stderr
    assert "bot> Which city?" in result.stdout
    assert "bot> Sunny in Oslo." in result.stdout
    assert "· started:weather" in result.stdout


def test_validate_lists_every_problem_and_fails(tmp_path):
    flows = "flows:\n  weather:\n    description: weather\n    steps:\n      - collect: town\n      - link: nowhere\n"
    result = _engine("validate", str(_project(tmp_path, flows)))
    assert result.returncode == 1
    assert "error: 2 problem(s) in the assistant definition" in result.stderr
    assert "collect uses slot 'town', which is not defined in the domain" in result.stderr


def test_replay_of_a_missing_file_is_a_clear_error(tmp_path):
    result = _engine("replay", str(_project(tmp_path)), str(tmp_path / "missing.yml"))
    assert result.returncode == 1
    assert result.stderr.startswith("error:") and "missing.yml" in result.stderr
