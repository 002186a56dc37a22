"""Ask the engine, the one judge of flows, to validate the project as it would load it.

The exchange only checks files and YAML; once those pass, every flow rule is the engine's, reached
through the Django-free half of the studio's engine adapter (studio.core.engine_judge). Here its problems get the YAML line of their step.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterable

from engine.loader import sub_agents_from_files
from engine.predicates import predicate_problem
from studio.core import engine_judge

from .checks import walk_steps
from .content import Item, ProjectContent
from .files import KIND_DOMAIN, ProjectFiles
from .problems import Problem


def _plain_doc(files: ProjectFiles, path: str) -> dict:
    file = files.get(path)
    doc = file.plain if file is not None else None
    return doc if isinstance(doc, dict) else {}


def domain_as_written(docs: Iterable[Any]) -> dict[str, Any]:
    """The domain files' documents merged (lists joined, the first value kept otherwise): what the
    studio does not model (intents, entities, forms, session_config…) as written. Callers lay the
    modelled slots, responses and actions over it."""
    domain: dict[str, Any] = {}
    for doc in docs:
        for key, value in (doc.items() if isinstance(doc, dict) else ()):
            if isinstance(value, list) and isinstance(domain.get(key), list):
                domain[key] = domain[key] + value
            else:
                domain.setdefault(key, value)
    return domain


def _domain(files: ProjectFiles, content: ProjectContent) -> dict[str, Any]:
    """The merged domain: modelled parts from content, the rest (intents, entities…) as written."""
    written = domain_as_written(_plain_doc(files, file.path) for file in files.of_kind(KIND_DOMAIN))
    return {**written, **content.domain_dict()}


def _line(flow: Item | None, step_id: str) -> int | None:
    if flow is None:
        return None
    if step_id and isinstance(flow.node, dict):
        for s in walk_steps(flow.name, flow.node.get("steps")):
            if s.step_id == step_id:
                return s.line
    return flow.line


def locate(problem: Problem, content: ProjectContent) -> Problem:
    """The problem with the file of its flow and the line of its step, when the engine did not know them."""
    flow = content.flows.get(problem.flow_id)
    return replace(problem, file=problem.file or (flow.source_path if flow else ""),
                   line=problem.line or _line(flow, problem.step_id))


def _sub_agents(files: ProjectFiles) -> tuple[dict[str, dict], list[Problem]]:
    """The project's sub-agents and what Rasa refuses in sub_agents/ (judged by the engine's loader)."""
    under = {f.path: f.plain if engine_judge.is_sub_agent_config(f.path) else None
             for f in files if f.path.startswith(engine_judge.SUB_AGENT_PREFIX)}
    agents, problems = sub_agents_from_files(under)
    return agents, engine_judge.problems_from_engine(problems)


def engine_problems(files: ProjectFiles, content: ProjectContent) -> list[Problem]:
    """Every problem the engine finds in the project (place them in the files with `locate`)."""
    return engine_findings(files, content)[0]


def engine_findings(files: ProjectFiles, content: ProjectContent) -> tuple[list[Problem], list[Problem]]:
    """(problems, warnings) the engine finds in the project, as Rasa refuses or only warns."""
    agents, agent_problems = _sub_agents(files)
    problems, warnings = engine_judge.definition_findings(lambda: engine_judge.engine_from_dicts(
        config=_plain_doc(files, "config.yml"), domain=_domain(files, content), flows=content.flows_dict(),
        endpoints=_plain_doc(files, "endpoints.yml"),
        flow_files={name: item.source_path for name, item in content.flows.items()},
        agents=agents))
    return agent_problems + problems, warnings


def condition_warnings(content: ProjectContent) -> list[Problem]:
    """Response conditions that do not parse: Rasa loads them, then treats them as false at runtime."""
    warnings = []
    for response in content.responses.values():
        for index, variation in enumerate(response.body if isinstance(response.body, list) else []):
            condition = variation.get("condition") if isinstance(variation, dict) else None
            problem = predicate_problem(condition) if isinstance(condition, str) else None
            if problem:
                warnings.append(Problem(f"response '{response.name}' variation {index + 1}: {problem}; "
                                        "Rasa treats it as false", response.source_path, response.line))
    return warnings
