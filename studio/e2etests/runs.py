"""Running an assistant's stored tests with the engine's e2e runner (the one `python -m engine test` uses)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from engine.e2e import format_report, load_test_cases
from engine.e2e.coverage import flow_coverage
from engine.e2e.runner import CaseResult, run_case
from engine.errors import EngineError
from studio.assistants.engine_adapter import assistant_snapshot, problems_text, snapshot_built
from studio.assistants.models import Assistant
from studio.exchange.e2e import test_files

GENERATORS = ("scripted", "offline")

Progress = Callable[[int, int, CaseResult], None]


@dataclass
class Outcome:
    results: list[CaseResult] = field(default_factory=list)
    output: str = ""  # the runner's report, as the command line prints it
    coverage: dict = field(default_factory=dict)
    error: str = ""

    @property
    def passed(self) -> int:
        return sum(1 for r in self.results if r.passed)


def default_generator(assistant: Assistant) -> str:
    """The generator try-it uses for this assistant, so a saved conversation replays as it was chatted;
    an LLM assistant's tests run offline (tests never spend the operator's LLM key)."""
    chosen = (assistant.settings or {}).get("generator", "offline")
    return chosen if chosen in GENERATORS else "offline"


def command_generator(name: str, built):
    """None for the scripted reading, else the named generator (no operator LLM key: tests are offline)."""
    if name == "scripted":
        return None
    from engine.understanding.bridge import make_generator

    return make_generator(name, built, settings={}, environ={})  # never an operator's LLM key


def tests_run(assistant: Assistant, *, generator: str = "scripted", path: str = "", case: str = "",
              progress: Progress | None = None) -> Outcome:
    """Run the stored tests (all, one file, or one case) against the current content."""
    snapshot, problems = assistant_snapshot(assistant)
    built, build_problems = (None, problems) if problems else snapshot_built(snapshot)
    if built is None:
        return Outcome(error="The assistant cannot run until these are fixed: " + problems_text(build_problems))
    files = test_files(assistant)
    if path:
        files = {p: t for p, t in files.items() if p == path}
    if not files:
        return Outcome(error="There are no stored tests to run" + (f" in {path}" if path else ""))
    with tempfile.TemporaryDirectory(prefix="flowstudio-e2e-") as folder:
        root = Path(folder)
        for relative, text in files.items():
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        spec = [str(root / path) + (f"::{case}" if case else "")] if path else [str(root / "tests")]
        try:
            cases = load_test_cases(spec if path or (root / "tests").is_dir() else [str(root)], base=root)
        except EngineError as exc:
            return Outcome(error=str(exc).replace(str(root) + "/", ""))
    generator_obj = command_generator(generator, built)
    outcome = Outcome()
    for index, test_case in enumerate(cases):
        result = run_case(built, test_case, generator_obj)
        outcome.results.append(result)
        if progress is not None:
            progress(index + 1, len(cases), result)
    outcome.output = format_report(outcome.results)
    reached = set().union(*(r.reached for r in outcome.results)) if outcome.results else set()
    outcome.coverage = flow_coverage(built, reached)
    return outcome
