"""Ask the engine (when installed) to validate the flows as it would load them."""

from __future__ import annotations

from .content import ProjectContent
from .files import ProjectFiles
from .problems import Problem


def engine_problems(files: ProjectFiles, content: ProjectContent) -> list[Problem]:
    return []
