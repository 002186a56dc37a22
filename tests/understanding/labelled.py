"""Loading and scoring the labelled messages under tests/understanding/data/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from engine.commands import format_command
from engine.understanding import UnderstandingContext, context_from_dicts

DATA = Path(__file__).resolve().parent / "data"
REPO = Path(__file__).resolve().parents[2]
VECTORS = REPO / "tests" / "engine"  # conformance/<assistant>/project, recorded from Rasa


@dataclass(frozen=True)
class Case:
    assistant: str
    number: int
    message: str
    expect: tuple[str, ...]
    context: UnderstandingContext

    @property
    def label(self) -> str:
        return f"{self.assistant}#{self.number}: {self.message}"


def _load_yaml(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def load_project_dicts(project: Path) -> tuple[dict, dict, dict]:
    """(flows, domain, config) from a Rasa project folder, read as plain YAML."""
    flows: dict = {}
    for path in sorted((project / "data").rglob("*.yml")):
        flows.update((_load_yaml(path) or {}).get("flows") or {})
    domain = _load_yaml(project / "domain.yml") or {}
    config = _load_yaml(project / "config.yml") or {}
    return flows, domain, config


def project_path(spec: str) -> Path:
    if spec.startswith("conformance/"):
        return VECTORS / spec
    return REPO / spec


def load_cases(names: list[str] | None = None) -> list[Case]:
    cases: list[Case] = []
    for path in sorted(DATA.glob("*.yml")):
        doc = _load_yaml(path)
        if names and doc["assistant"] not in names:
            continue
        project = project_path(doc["project"])
        if not project.exists():
            continue
        flows, domain, config = load_project_dicts(project)
        base = context_from_dicts(flows, domain, {"nlu": doc.get("nlu") or {}}, config)
        for number, item in enumerate(doc["cases"], start=1):
            state = dict(item.get("state") or {})
            state["nlu"] = doc.get("nlu") or {}
            context = context_from_dicts(flows, domain, state, config)
            # Share the assistant part so generators can cache their per-assistant index.
            context = context.with_state(flows=base.flows if not state.get("slots") else context.flows, slots=base.slots)
            cases.append(Case(doc["assistant"], number, str(item["message"]), tuple(item["expect"]), context))
    return cases


def command_strings(commands, syntax: str) -> list[str]:
    return sorted(format_command(c, syntax) for c in commands)


def score(generator, cases: list[Case]) -> tuple[int, list[str]]:
    """(number exactly right, descriptions of the misses)."""
    right, misses = 0, []
    for case in cases:
        got = command_strings(generator.generate(case.message, case.context).commands, case.context.syntax)
        if got == sorted(case.expect):
            right += 1
        else:
            misses.append(f"{case.label}\n    expected {sorted(case.expect)}\n    got      {got}")
    return right, misses
