"""Replays the public conformance vectors recorded from Rasa Pro 3.21 and compares every turn."""

import importlib.util
import json
from pathlib import Path

import pytest

from engine import load_project
from engine.replay import replay_file

CONFORMANCE = Path(__file__).resolve().parent / "conformance"  # copied from Rasa-recorded spec data
ASSISTANTS = ["library_desk", "pizza_shop", "utility_account"]

def _compare_module():
    spec = importlib.util.spec_from_file_location("conformance_compare", CONFORMANCE / "compare.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ASSISTANTS)
def test_every_public_conversation_matches_rasa_turn_for_turn(name):
    compare = _compare_module()
    folder = CONFORMANCE / name
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    # A JSON round trip, so the comparison sees exactly what `python -m engine replay` prints.
    actual = json.loads(json.dumps(replay_file(load_project(folder / "project"), folder / "conversations.yml")))
    failures = []
    for conversation_id, expected_turns in expected.items():
        actual_turns = actual.get(conversation_id, [])
        if len(actual_turns) != len(expected_turns):
            failures.append(f"{conversation_id}: {len(actual_turns)} turns, expected {len(expected_turns)}")
        for index, (exp, act) in enumerate(zip(expected_turns, actual_turns)):
            diff = compare.compare_turn(exp, act, list(compare.FIELDS), False)
            if diff:
                failures.append(f"{conversation_id} turn {index}:\n" + "\n".join(diff))
    assert not failures, "\n".join(failures)


def test_replay_command_prints_a_trace_that_compare_py_accepts(tmp_path):
    import subprocess
    import sys
    folder = CONFORMANCE / "pizza_shop"
    out = tmp_path / "actual.json"
    repo = Path(__file__).resolve().parents[2]
    with out.open("w") as fh:
        subprocess.run([sys.executable, "-m", "engine", "replay", str(folder / "project"),
                        str(folder / "conversations.yml")], stdout=fh, check=True, cwd=repo)
    result = subprocess.run([sys.executable, str(CONFORMANCE / "compare.py"), str(folder / "expected.json"),
                             str(out), "--quiet"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().endswith("turns match (100.0%)")
