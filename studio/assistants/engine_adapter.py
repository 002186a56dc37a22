"""The one adapter between the studio and the engine.

It snapshots an assistant from the database, builds the engine Assistant from a snapshot (or
from plain dicts, for the exchange, which has no rows yet) and turns the engine's problems into
the studio's one `Problem` type. Builds, editor validation, try-it and the exchange all call it,
so they all report the same problem in the same words.

The engine is imported unconditionally: a broken engine must fail a build, never let it pass.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from engine.assistant import Assistant as EngineAssistant
from engine.errors import DefinitionError
from engine.errors import Problem as EngineProblem
from engine.loader import sub_agents_from_files
from studio.assistants.models import Assistant, Flow
from studio.assistants.selectors import assistant_domain_dict, assistant_flows_dict
from studio.core.problems import Problem
from studio.core.yaml import YamlProblem, parse_mapping
from studio.exchange.models import SourceFile

SUB_AGENT_PREFIX = "sub_agents/"
SUB_AGENT_CONFIG = "config.yml"
# Locates an engine problem more precisely than the engine can (the exchange knows YAML lines).
Locator = Callable[[EngineProblem], Problem]


def is_sub_agent_config(path: str) -> bool:
    """`sub_agents/<name>/config.yml`, where Rasa reads a sub-agent (AvailableAgents.read_from_folder)."""
    parts = path.split("/")
    return len(parts) == 3 and parts[0] == SUB_AGENT_PREFIX.rstrip("/") and parts[2] == SUB_AGENT_CONFIG


def _stored_sub_agents(assistant: Assistant) -> dict[str, dict]:
    """{agent name: config} read the way the engine reads a project folder (one reader of sub_agents/)."""
    # Imported sub-agent files are kept verbatim as source files (the studio does not model them).
    stored = SourceFile.objects.filter(assistant=assistant, path__startswith=SUB_AGENT_PREFIX)
    files: dict[str, Any] = {path: None for path in stored.values_list("path", flat=True)}
    configs = SourceFile.objects.filter(assistant=assistant, path__in=[p for p in files if is_sub_agent_config(p)])
    for path, content in configs.values_list("path", "content"):
        try:
            files[path] = parse_mapping(bytes(content).decode("utf-8"), file=path)
        except (YamlProblem, UnicodeDecodeError):
            continue  # the import refused such a file; a later hand edit is the export's business
    return sub_agents_from_files(files)[0]


def _yaml_problem(exc: YamlProblem) -> Problem:
    return Problem(exc.message, exc.file, exc.line)


def assistant_snapshot(assistant: Assistant) -> tuple[dict[str, Any], list[Problem]]:
    """Everything the engine needs, plus problems found while parsing the stored YAML."""
    problems: list[Problem] = []
    parsed: dict[str, dict[str, Any]] = {}
    for key, file, text in (("config", "config.yml", assistant.config_yaml),
                            ("endpoints", "endpoints.yml", assistant.endpoints_yaml)):
        try:
            parsed[key] = parse_mapping(text, file=file)
        except YamlProblem as exc:
            parsed[key] = {}
            problems.append(_yaml_problem(exc))
    snapshot = {
        "config_yaml": assistant.config_yaml,
        "endpoints_yaml": assistant.endpoints_yaml,
        "config": parsed["config"],
        "endpoints": parsed["endpoints"],
        "domain": assistant_domain_dict(assistant),
        "flows": assistant_flows_dict(assistant),
        # Lets engine problems name the file a flow came from.
        "flow_files": dict(Flow.objects.filter(assistant=assistant).exclude(source_path="")
                           .values_list("flow_id", "source_path")),
        "agents": _stored_sub_agents(assistant),
    }
    return snapshot, problems


def engine_from_dicts(*, config: dict, domain: dict, flows: dict[str, dict], endpoints: dict | None = None,
                      flow_files: dict[str, str] | None = None, agents: dict[str, dict] | None = None,
                      strict: bool = True) -> EngineAssistant:
    """The engine Assistant; raises DefinitionError listing every problem when `strict`."""
    return EngineAssistant.from_dicts(config=config or {}, domain=domain or {}, flows=flows or {},
                                      endpoints=endpoints or {}, flow_files=flow_files or {},
                                      agents=agents or {}, strict=strict)


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


def _mapping_or_empty(text: str, file: str) -> dict[str, Any]:
    try:
        return parse_mapping(text or "", file=file)
    except YamlProblem:
        # A broken config.yml or endpoints.yml is reported by the build; flows can still be checked.
        return {}


def flow_problems(assistant: Assistant, flow_id: str, body: dict[str, Any]) -> list[Problem]:
    """Problems of `body` as flow `flow_id`, judged against the saved domain and the other flows."""
    flows = assistant_flows_dict(assistant)
    engine = engine_from_dicts(config=_mapping_or_empty(assistant.config_yaml, "config.yml"),
                               domain=assistant_domain_dict(assistant),
                               flows={k: v for k, v in flows.items() if k != flow_id},
                               endpoints=_mapping_or_empty(assistant.endpoints_yaml, "endpoints.yml"),
                               agents=_stored_sub_agents(assistant), strict=False)
    source = Flow.objects.filter(assistant=assistant, flow_id=flow_id).values_list("source_path", flat=True).first()
    return [Problem(p.message, source or "", p.line, p.flow_id or flow_id, p.step_id or "")
            for p in engine.validate_flow(flow_id, body)]


def assistant_problems(assistant: Assistant) -> list[Problem]:
    """Every error the assistant has now: what a build would list (and an export refuses)."""
    snapshot, problems = assistant_snapshot(assistant)
    return problems or snapshot_problems(snapshot)


def problems_text(problems: list[Problem], limit: int = 10) -> str:
    """One line listing the problems (the first `limit`), for messages that are not pages."""
    more = f" (and {len(problems) - limit} more)" if len(problems) > limit else ""
    return "; ".join(str(p) for p in problems[:limit]) + more
