"""The one problem type that crosses the boundary between the engine, the exchange and the studio.

A problem names the place a user can go and fix: the file and line, the flow and the step.
"""

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

    @classmethod
    def from_dict(cls, data: dict) -> Problem:
        """A problem stored as JSON (a version's problems); missing places stay empty."""
        return cls(str(data.get("message") or ""), data.get("file") or "", data.get("line") or None,
                   data.get("flow_id") or "", data.get("step_id") or "")
