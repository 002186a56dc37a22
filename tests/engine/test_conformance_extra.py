"""Replays the extra conformance vectors (tests/engine/conformance_extra/) against our engine.

The expected traces were recorded from real Rasa Pro 3.21.0 by the oracle described in
conformance_extra/README.md. Each conversation is its own test, so a known engine gap can be
marked precisely in KNOWN_MISMATCHES (with the Rasa behaviour it misses) and is tracked in
the lead's ORACLE_DIFFS notes.
"""

import functools
import importlib.util
import json
from pathlib import Path

import pytest

from engine import load_project
from engine.replay import replay_file

EXTRA = Path(__file__).resolve().parent / "conformance_extra"
CONFORMANCE = Path(__file__).resolve().parent / "conformance"

# (assistant, conversation id) -> why our engine differs from Rasa. strict xfail: once the
# engine is fixed the test XPASSes and fails, so the entry must be removed.
KNOWN_MISMATCHES: dict[tuple[str, str], str] = {}

# Recorded projects that Rasa runs but its validator refuses (the oracle's Agent.load skips that
# check): replayed all the same, and the engine must refuse them for the same reason.
VALIDATOR_REFUSES = {
    # `utter_space_placeholder` probes how "{ }" renders; rasa data validate refuses an empty
    # placeholder (rasa_verdicts/response_empty_placeholder).
    "print_shop": "response 'utter_space_placeholder' variation 1: 'text' has an empty placeholder",
}


def _assistants():
    return sorted(p.name for p in EXTRA.iterdir() if (p / "expected.json").exists())


def _cases():
    for name in _assistants():
        expected = json.loads((EXTRA / name / "expected.json").read_text(encoding="utf-8"))
        for conversation_id in expected:
            reason = KNOWN_MISMATCHES.get((name, conversation_id))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(name, conversation_id, marks=marks, id=f"{name}-{conversation_id}")


@functools.lru_cache(maxsize=None)
def _compare_module():
    spec = importlib.util.spec_from_file_location("conformance_compare", CONFORMANCE / "compare.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.lru_cache(maxsize=None)
def _traces(name):
    folder = EXTRA / name
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    # A JSON round trip, so the comparison sees exactly what `python -m engine replay` prints.
    assistant = load_project(folder / "project", strict=name not in VALIDATOR_REFUSES)
    actual = json.loads(json.dumps(replay_file(assistant, folder / "conversations.yml")))
    return expected, actual


@pytest.mark.parametrize("name", sorted(VALIDATOR_REFUSES))
def test_a_project_rasas_validator_refuses_is_refused_for_the_same_reason(name):
    problems = [p.message for p in load_project(EXTRA / name / "project", strict=False).problems]
    assert len(problems) == 1 and problems[0].startswith(VALIDATOR_REFUSES[name])


@pytest.mark.parametrize(("name", "conversation_id"), list(_cases()))
def test_extra_conversation_matches_rasa_turn_for_turn(name, conversation_id):
    compare = _compare_module()
    expected, actual = _traces(name)
    expected_turns = expected[conversation_id]
    actual_turns = actual.get(conversation_id, [])
    failures = []
    if len(actual_turns) != len(expected_turns):
        failures.append(f"{len(actual_turns)} turns, expected {len(expected_turns)}")
    for index, (exp, act) in enumerate(zip(expected_turns, actual_turns)):
        diff = compare.compare_turn(exp, act, list(compare.FIELDS), False)
        if diff:
            failures.append(f"turn {index} ({exp['user']!r}):\n" + "\n".join(diff))
    assert not failures, "\n".join(failures)


def test_every_extra_assistant_has_project_conversations_and_expected_trace():
    assert _assistants(), f"no vectors found in {EXTRA}"
    for name in _assistants():
        folder = EXTRA / name
        assert (folder / "project" / "config.yml").exists(), name
        assert (folder / "conversations.yml").exists(), name
