"""Problems found while reading a project: each names the place a user can go and fix."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Problem:
    message: str
    file: str = ""
    line: int | None = None
    flow_id: str = ""
    step_id: str = ""

    def place(self) -> str:
        parts = []
        if self.file:
            parts.append(f"{self.file}:{self.line}" if self.line else self.file)
        if self.flow_id:
            parts.append(f"flow '{self.flow_id}'")
        if self.step_id:
            parts.append(f"step '{self.step_id}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        place = self.place()
        return f"{place}: {self.message}" if place else self.message

    def as_dict(self) -> dict:
        return asdict(self)


class ProjectInvalid(Exception):
    """The project cannot be imported; `problems` lists every reason."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None):
        self.problems = list(problems)
        self.warnings = list(warnings or [])
        first = str(self.problems[0]) if self.problems else "invalid project"
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(first + more)
