"""Engine exceptions: one root, definition problems collected all at once."""

from __future__ import annotations

from dataclasses import dataclass


class EngineError(Exception):
    """Root of every error the engine raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an assistant definition, located as precisely as known."""

    message: str
    file: str | None = None
    flow_id: str | None = None
    step_id: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(f"{self.file}:{self.line}" if self.line else self.file)
        if self.flow_id:
            where.append(f"flow '{self.flow_id}'")
        if self.step_id:
            where.append(f"step '{self.step_id}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def to_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "flow_id": self.flow_id,
                "step_id": self.step_id, "message": self.message}


class DefinitionError(EngineError):
    """The assistant definition is invalid; `.problems` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the assistant definition:\n{lines}")


class StepLimitError(EngineError):
    """The executor ran more steps than allowed in one turn (a loop in the flows)."""
