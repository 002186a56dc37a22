"""First-contact sets: first user turns for public CALM projects, split tuning / held-out / final.

The labels (data/first_contact/<split>/*.yml) are ours; the projects are not, so they are not
kept in this repository. Point FIRST_CONTACT_PROJECTS at a folder holding a checkout of each
`source` repository, named after the repository (`<dir>/rasa-calm-demo/`), at the recorded
`commit`. Sets whose project is missing are skipped.

Each message is understood the way `python -m engine understand` does it: the project loaded
by the engine (problems tolerated), its NLU examples, a fresh conversation.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

from engine.assistant import load_project
from engine.commands import format_command
from engine.understanding.bridge import AssistantView
from engine.understanding.cli import _FreshState
from engine.understanding.nlu import read_nlu_examples

SETS = Path(__file__).resolve().parent / "data" / "first_contact"
SPLITS = ("tuning", "heldout", "final")
ENV = "FIRST_CONTACT_PROJECTS"
LATEST_ROTATION = 9  # README.md, rotation log


@dataclass(frozen=True)
class FirstTurn:
    assistant: str
    message: str
    expect: tuple[str, ...]


@dataclass
class LabelledSet:
    split: str
    assistant: str
    source: str
    path: str
    turns: list[FirstTurn]
    rotated_in: int | None = None  # the round a held-out set became a tuning set

    @property
    def label(self) -> str:
        """The split it is reported under: a tuning set that was held out until the latest
        rotation is reported apart, so tuning on it shows."""
        return "tuning_was_heldout" if self.rotated_in == LATEST_ROTATION else self.split

    def project_dir(self, root: Path) -> Path:
        return root / self.source.split("/", 1)[1] / self.path


@dataclass
class Figures:
    """Flow: the started flows are exactly the expected ones. Slots: over messages that give
    slot values, flow right and exactly the expected `set slot` commands."""

    messages: int = 0
    flow_right: int = 0
    slot_messages: int = 0
    slot_right: int = 0
    exact: int = 0
    milliseconds: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def add(self, other: "Figures") -> None:
        for name in ("messages", "flow_right", "slot_messages", "slot_right", "exact"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.milliseconds += other.milliseconds
        self.misses += other.misses

    def line(self) -> str:
        def pct(a: int, b: int) -> str:
            return f"{100 * a / b:5.1f} %" if b else "  n/a  "
        mean = sum(self.milliseconds) / len(self.milliseconds) if self.milliseconds else 0.0
        return (f"flow {pct(self.flow_right, self.messages)}  slots {pct(self.slot_right, self.slot_messages)}"
                f" ({self.slot_messages} with values)  exact {pct(self.exact, self.messages)}"
                f"  {self.messages} messages  {mean:.3f} ms/message")


def projects_root() -> Path | None:
    value = os.environ.get(ENV)
    return Path(value) if value else None


def load_sets(splits: tuple[str, ...] = SPLITS) -> list[LabelledSet]:
    yaml = YAML(typ="safe")
    result = []
    for split in splits:
        for path in sorted((SETS / split).glob("*.yml")):
            doc = yaml.load(path.read_text(encoding="utf-8"))
            turns = [FirstTurn(doc["assistant"], str(c["message"]), tuple(c["expect"])) for c in doc["cases"]]
            result.append(LabelledSet(split, doc["assistant"], doc["source"], str(doc.get("path") or "."), turns,
                                      doc.get("rotated_in")))
    return result


def fresh_context(project: Path):
    """The understanding context of a new conversation, as the CLI builds it."""
    assistant = load_project(project, strict=False)
    view = AssistantView(assistant, read_nlu_examples(project))
    return view.context(_FreshState(assistant))


def evaluate(generator, labelled: LabelledSet, root: Path) -> Figures | None:
    project = labelled.project_dir(root)
    if not project.is_dir():
        return None
    context = fresh_context(project)
    figures = Figures()
    generator.generate(labelled.turns[0].message, context)  # builds the per-assistant index
    for turn in labelled.turns:
        started = time.perf_counter()
        commands = generator.generate(turn.message, context).commands
        figures.milliseconds.append((time.perf_counter() - started) * 1000)
        _score(figures, turn, sorted(format_command(c, context.syntax) for c in commands))
    return figures


def _score(figures: Figures, turn: FirstTurn, got: list[str]) -> None:
    expect = sorted(turn.expect)
    flows = lambda items: sorted(i for i in items if not i.startswith("set slot "))  # noqa: E731
    slots = lambda items: sorted(i for i in items if i.startswith("set slot "))  # noqa: E731
    figures.messages += 1
    flow_ok = flows(got) == flows(expect)
    figures.flow_right += flow_ok
    if slots(expect):
        figures.slot_messages += 1
        figures.slot_right += flow_ok and slots(got) == slots(expect)
    figures.exact += got == expect
    if got != expect:
        figures.misses.append(f"{turn.assistant}: {turn.message}\n    expected {expect}\n    got      {got}")
