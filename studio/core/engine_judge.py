"""The engine side of the studio's one adapter, with no Django in it: build an engine Assistant from
plain dicts or a snapshot, and turn its problems into the studio's one `Problem`.

`studio.assistants.engine_adapter` adds the database side (snapshots, flow problems) on top; the
exchange's `yamlproject`, which reads files and has no rows, calls this module directly.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from engine.assistant import Assistant as EngineAssistant
from engine.errors import DefinitionError
from engine.errors import Problem as EngineProblem
from studio.core.problems import Problem

SUB_AGENT_PREFIX = "sub_agents/"
SUB_AGENT_CONFIG = "config.yml"
# Locates an engine problem more precisely than the engine can (the exchange knows YAML lines).
Locator = Callable[[EngineProblem], Problem]


def is_sub_agent_config(path: str) -> bool:
    """`sub_agents/<name>/config.yml`, where Rasa reads a sub-agent (AvailableAgents.read_from_folder)."""
    parts = path.split("/")
    return len(parts) == 3 and parts[0] == SUB_AGENT_PREFIX.rstrip("/") and parts[2] == SUB_AGENT_CONFIG


def engine_from_dicts(*, config: dict, domain: dict, flows: dict[str, dict], endpoints: dict | None = None,
                      flow_files: dict[str, str] | None = None, agents: dict[str, dict] | None = None,
                      strict: bool = True, whole_project: bool = True) -> EngineAssistant:
    """The engine Assistant; raises DefinitionError listing every problem when `strict`
    (`whole_project=False`: judge the parts alone, see engine.Assistant.from_dicts)."""
    return EngineAssistant.from_dicts(config=config or {}, domain=domain or {}, flows=flows or {},
                                      endpoints=endpoints or {}, flow_files=flow_files or {},
                                      agents=agents or {}, strict=strict, whole_project=whole_project)


def engine_from_snapshot(snapshot: dict[str, Any]) -> EngineAssistant:
    """Build a snapshot (a stored version's or a fresh one); raises DefinitionError."""
    return engine_from_dicts(config=snapshot.get("config") or {}, domain=snapshot.get("domain") or {},
                             flows=snapshot.get("flows") or {}, endpoints=snapshot.get("endpoints") or {},
                             flow_files=snapshot.get("flow_files") or {}, agents=snapshot.get("agents") or {})


def problem_from_engine(problem: EngineProblem) -> Problem:
    return Problem(problem.message, problem.file or "", problem.line, problem.flow_id or "", problem.step_id or "")


def problems_from_engine(problems: Iterable[EngineProblem], locate: Locator | None = None) -> list[Problem]:
    return [(locate or problem_from_engine)(p) for p in problems]


def definition_problems(build: Callable[[], Any], locate: Locator | None = None) -> list[Problem]:
    """Run an engine build; the problems it refuses it with, converted (none when it builds)."""
    return definition_findings(build, locate)[0]


def definition_findings(build: Callable[[], Any], locate: Locator | None = None) -> tuple[list[Problem], list[Problem]]:
    """Run an engine build: (what it refuses it for, what Rasa only warns about), converted."""
    try:
        built = build()
    except DefinitionError as exc:
        return problems_from_engine(exc.problems, locate), []
    return [], problems_from_engine(built.warnings, locate)


def snapshot_built(snapshot: dict[str, Any]) -> tuple[EngineAssistant | None, list[Problem]]:
    """The engine Assistant of a snapshot, or None and every problem the engine refused it for."""
    try:
        return engine_from_snapshot(snapshot), []
    except DefinitionError as exc:
        return None, problems_from_engine(exc.problems)


def snapshot_problems(snapshot: dict[str, Any]) -> list[Problem]:
    """Every problem the engine finds in a snapshot; a build with any of them fails."""
    return snapshot_built(snapshot)[1]


def problems_text(problems: list[Problem], limit: int = 10) -> str:
    """One line listing the problems (the first `limit`), for messages that are not pages."""
    more = f" (and {len(problems) - limit} more)" if len(problems) > limit else ""
    return "; ".join(str(p) for p in problems[:limit]) + more
