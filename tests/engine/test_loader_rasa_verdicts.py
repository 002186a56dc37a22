"""`python -m engine` loads a project folder as Rasa Pro 3.21 does: on every project whose verdict
Rasa's own validator recorded (tests/exchange/rasa_verdicts), the engine's loader accepts exactly
what Rasa accepts. Covers which domain files are read (domain.yml alone when it exists) and the
responses Rasa merges from data files."""

import json
from pathlib import Path

import pytest

from engine import load_project
from engine.errors import DefinitionError

VERDICTS = Path(__file__).resolve().parents[1] / "exchange" / "rasa_verdicts"
CASES = sorted(p.parent.name for p in VERDICTS.glob("*/project") if p.is_dir())


@pytest.mark.parametrize("case", CASES)
def test_the_engine_loader_accepts_what_rasa_accepts(case):
    rasa = json.loads((VERDICTS / case / "verdict.json").read_text())
    try:
        load_project(VERDICTS / case / "project")
        problems = []
    except DefinitionError as exc:
        problems = [str(p) for p in exc.problems]
    assert (not problems) == rasa["valid"], {"rasa": rasa["errors"] or "valid", "engine": problems or "valid"}
