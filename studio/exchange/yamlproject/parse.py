"""Turn ProjectFiles into validated content: every problem found, not just the first."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from . import checks, engine_check, usages
from .content import ProjectContent, read_content
from .files import (
    KIND_CONFIG,
    KIND_CREDENTIALS,
    KIND_DOMAIN,
    KIND_E2E,
    KIND_ENDPOINTS,
    KIND_TRAINING,
    ProjectFiles,
    ignored_domain_folder,
)
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
    # A classic project (domain, NLU, stories, rules) has no flows and Rasa trains it; only a
    # project with neither flows nor training data gives Rasa nothing to train.
    if not content.flows and not files.of_kind(KIND_TRAINING) and not problems:
        problems.append(Problem("no flows or training data found: expected YAML files with a 'flows:', "
                                "'nlu:', 'stories:' or 'rules:' key under data/"))
    return content, problems + checks.check_domain(content)


def parse_project(files: ProjectFiles, *, use_engine: bool = True) -> ParsedProject:
    """Check the project; a clean project is read once, fast, and only a faulty or
    suspicious one is re-read with the round-trip loader to put line numbers on findings."""
    content, problems = _file_level(files, located=False)
    engine_found: list[Problem] = []
    engine_warned: list[Problem] = []  # what Rasa loads but warns about (a call target it cannot resolve)
    if use_engine and not problems:
        engine_found, engine_warned = engine_check.engine_findings(files, content)
    warnings = _warnings(content, files) + engine_warned if not (problems or engine_found) else []
    if problems or engine_found or warnings:
        located, problems = _file_level(files, located=True)
        problems += [engine_check.locate(p, located) for p in engine_found]
        warnings = (_warnings(located, files) + [engine_check.locate(w, located) for w in engine_warned]
                    if not problems else [])
    return ParsedProject(files, content, _unique(problems), warnings)


def _warnings(content: ProjectContent, files: ProjectFiles) -> list[Problem]:
    # "Never used by a flow" means nothing in a classic project: its stories and rules use them.
    usage = checks.project_warnings(content, *_used_outside_flows(files)) if content.flows else []
    return (_ignored_domain_warnings(files) + _replaced_response_warnings(content) + usage
            + engine_check.condition_warnings(content))


def _replaced_response_warnings(content: ProjectContent) -> list[Problem]:
    warnings = []
    for item in content.replaced:
        winner = content.responses[item.name]
        warnings.append(Problem(
            f"response '{item.name}' is defined here and in {winner.source_path}:{winner.line}; Rasa uses the "
            f"one in {winner.source_path}, and so does the studio (this one is kept as it is)",
            file=item.source_path, line=item.line))
    return warnings


def _ignored_domain_warnings(files: ProjectFiles) -> list[Problem]:
    ignored = ignored_domain_folder(files.files)
    if not ignored:
        return []
    root = "domain.yml" if files.get("domain.yml") else "domain.yaml"
    return [Problem(f"Rasa reads only {root} when it exists, so the {len(ignored)} file(s) under domain/ are "
                    "ignored; they are kept as they are", file=ignored[0])]


def _used_outside_flows(files: ProjectFiles) -> tuple[set[str], set[str], Callable[[str], bool]]:
    """Names rules, stories, e2e tests and forms use or set, and a search of the custom action code."""
    docs = [(f.kind, f.plain) for f in files if f.kind in (KIND_TRAINING, KIND_E2E, KIND_DOMAIN) and f.error is None]
    used, set_slots = usages.names_used_in_files(docs)
    code = {f.path: (f.kind, f.text or "") for f in files if f.path.endswith(".py")}
    return used, set_slots, usages.code_search(code)


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))
