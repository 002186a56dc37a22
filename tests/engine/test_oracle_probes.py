"""Replays the oracle probes (tests/engine/oracle_probes/, recorded from real Rasa Pro 3.21)."""

import functools
import json
from pathlib import Path

import pytest

from engine import load_project
from engine.replay import replay_file

PROBES = Path(__file__).resolve().parent / "oracle_probes"


def _cases():
    for folder in sorted(p for p in PROBES.iterdir() if (p / "expected.json").exists()):
        for conversation_id in json.loads((folder / "expected.json").read_text(encoding="utf-8")):
            yield pytest.param(folder.name, conversation_id, id=f"{folder.name}-{conversation_id}")


@functools.lru_cache(maxsize=None)
def _actual(name):
    folder = PROBES / name
    assistant = load_project(folder / "project", strict=False)
    return json.loads(json.dumps(replay_file(assistant, folder / "conversations.yml")))


def _bot(messages):
    return [(m.get("response"), m.get("text"), m.get("buttons") or [], m.get("custom")) for m in messages]


@pytest.mark.parametrize(("name", "conversation_id"), list(_cases()))
def test_probe_conversation_matches_rasa_turn_for_turn(name, conversation_id):
    expected = json.loads((PROBES / name / "expected.json").read_text(encoding="utf-8"))[conversation_id]
    actual = _actual(name).get(conversation_id, [])
    assert len(actual) == len(expected)
    for index, (exp, act) in enumerate(zip(expected, actual)):
        assert act["user"] == exp["user"]
        assert _bot(act["bot"]) == _bot(exp["bot"]), f"turn {index} ({exp['user']!r}): bot"
        # JSON text equality keeps types apart, as compare.py does (true != 1, "1" != 1).
        assert json.dumps(act["slots"], sort_keys=True) == json.dumps(exp["slots"], sort_keys=True), \
            f"turn {index} ({exp['user']!r}): slots"
        assert act["flows"] == exp["flows"], f"turn {index} ({exp['user']!r}): flows"
        assert act["stack"] == exp["stack"], f"turn {index} ({exp['user']!r}): stack"
