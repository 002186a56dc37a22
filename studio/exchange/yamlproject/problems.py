"""Problems found while reading a project: each names the place a user can go and fix."""

from __future__ import annotations

from studio.core.problems import Problem

__all__ = ["Problem", "ProjectInvalid"]


class ProjectInvalid(Exception):
    """The project cannot be imported; `problems` lists every reason."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None):
        self.problems = list(problems)
        self.warnings = list(warnings or [])
        first = str(self.problems[0]) if self.problems else "invalid project"
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(first + more)
