"""Ask the engine to validate the project as it would load it, once the file-level checks pass."""

from __future__ import annotations

import logging
from typing import Any

from .checks import walk_steps
from .content import Item, ProjectContent
from .files import KIND_DOMAIN, ProjectFiles
from .problems import Problem

logger = logging.getLogger(__name__)


def _plain_doc(files: ProjectFiles, path: str) -> dict:
    file = files.get(path)
    doc = file.plain if file is not None else None
    return doc if isinstance(doc, dict) else {}


def _domain(files: ProjectFiles, content: ProjectContent) -> dict[str, Any]:
    """The merged domain: modelled parts from content, the rest (intents, entities…) as written."""
    domain: dict[str, Any] = {}
    for file in files.of_kind(KIND_DOMAIN):
        for key, value in _plain_doc(files, file.path).items():
            if isinstance(value, list) and isinstance(domain.get(key), list):
                domain[key] = domain[key] + value
            else:
                domain.setdefault(key, value)
    return {**domain, **content.domain_dict()}


def _line(flow: Item | None, step_id: str) -> int | None:
    if flow is None:
        return None
    if step_id and isinstance(flow.node, dict):
        for s in walk_steps(flow.name, flow.node.get("steps")):
            if s.step_id == step_id:
                return s.line
    return flow.line


def locate(problem: Any, content: ProjectContent) -> Problem:
    flow = content.flows.get(problem.flow_id or "")
    return Problem(problem.message, problem.file or (flow.source_path if flow else ""),
                   problem.line or _line(flow, problem.step_id or ""), problem.flow_id or "", problem.step_id or "")


def engine_problems(files: ProjectFiles, content: ProjectContent) -> list[Any]:
    """The engine's own problem objects (convert them with `locate`)."""
    try:
        from engine.assistant import Assistant
        from engine.errors import DefinitionError
    except ImportError:  # the engine is optional for reading files
        return []
    try:
        Assistant.from_dicts(
            config=_plain_doc(files, "config.yml"), domain=_domain(files, content), flows=content.flows_dict(),
            endpoints=_plain_doc(files, "endpoints.yml"),
            flow_files={name: item.source_path for name, item in content.flows.items()})
    except DefinitionError as exc:
        return list(exc.problems)
    except Exception:  # an engine bug must not block an import the file checks accepted
        logger.exception("engine validation crashed; import continues on file-level checks")
    return []


def condition_warnings(content: ProjectContent) -> list[Problem]:
    """Response conditions that do not parse: Rasa loads them, then treats them as false at runtime."""
    try:
        from engine.predicates import predicate_problem
    except ImportError:
        return []
    warnings = []
    for response in content.responses.values():
        for index, variation in enumerate(response.body if isinstance(response.body, list) else []):
            condition = variation.get("condition") if isinstance(variation, dict) else None
            problem = predicate_problem(condition) if isinstance(condition, str) else None
            if problem:
                warnings.append(Problem(f"response '{response.name}' variation {index + 1}: {problem}; "
                                        "Rasa treats it as false", response.source_path, response.line))
    return warnings
