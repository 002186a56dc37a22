"""Turn ProjectFiles into validated content: every problem found, not just the first."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import checks, engine_check
from .content import ProjectContent, read_content
from .files import KIND_CONFIG, KIND_CREDENTIALS, KIND_E2E, KIND_ENDPOINTS, KIND_TRAINING, ProjectFiles
from .problems import Problem


@dataclass
class ParsedProject:
    files: ProjectFiles
    content: ProjectContent
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def text_of(self, path: str) -> str:
        file = self.files.get(path)
        return file.text or "" if file else ""


def _yaml_problems(files: ProjectFiles) -> list[Problem]:
    """Root files, NLU and e2e files are kept verbatim, but Rasa must still be able to read them."""
    kinds = {KIND_CONFIG, KIND_ENDPOINTS, KIND_CREDENTIALS, KIND_TRAINING, KIND_E2E}
    problems = [f.error for f in files if f.kind in kinds and f.error is not None]
    problems += [Problem("top level must be a mapping (flows:, nlu:, stories: or rules:)", file=f.path, line=1)
                 for f in files.of_kind(KIND_TRAINING) if f.error is None and not isinstance(f.plain, (dict, type(None)))]
    return problems


def _file_level(files: ProjectFiles, located: bool) -> tuple[ProjectContent, list[Problem]]:
    content, problems = read_content(files, located=located)
    problems = _yaml_problems(files) + problems
    if not content.flows and not problems:
        problems.append(Problem("no flows found: expected YAML files with a 'flows:' key under data/"))
    return content, problems + checks.check_project(content)


def parse_project(files: ProjectFiles, *, use_engine: bool = True) -> ParsedProject:
    """Check the project; a clean project is read once, fast, and only a faulty or
    suspicious one is re-read with the round-trip loader to put line numbers on findings."""
    content, problems = _file_level(files, located=False)
    engine_found: list[Any] = []
    if use_engine and not problems:
        engine_found = engine_check.engine_problems(files, content)
    warnings = _warnings(content) if not (problems or engine_found) else []
    if problems or engine_found or warnings:
        located, problems = _file_level(files, located=True)
        problems += [engine_check.locate(p, located) for p in engine_found]
        warnings = _warnings(located) if not problems else []
    return ParsedProject(files, content, _unique(problems), warnings)


def _warnings(content: ProjectContent) -> list[Problem]:
    return checks.project_warnings(content) + engine_check.condition_warnings(content)


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))
