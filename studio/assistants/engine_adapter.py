"""The one adapter between the studio and the engine.

It snapshots an assistant from the database, builds the engine Assistant from a snapshot and
turns the engine's problems into the studio's one `Problem` type. Builds, editor validation,
try-it and the exchange all call it, so they all report the same problem in the same words.
Building from plain dicts and converting problems need no database: they live in
`studio.core.engine_judge` (which the exchange's file-level code calls directly) and are
re-exported here.

The engine is imported unconditionally: a broken engine must fail a build, never let it pass.
"""
from __future__ import annotations

from typing import Any

from engine.loader import sub_agents_from_files
from engine.validation import nlg_rephrases
from studio.assistants.models import Assistant, Flow
from studio.assistants.selectors import assistant_domain_dict, assistant_flows_dict
from studio.core.engine_judge import (  # noqa: F401 - re-exported: callers use the adapter
    SUB_AGENT_PREFIX,
    EngineAssistant,
    engine_from_dicts,
    is_sub_agent_config,
    problems_text,
    snapshot_built,
    snapshot_problems,
)
from studio.core.problems import Problem
from studio.core.yaml import YamlProblem, parse_mapping
from studio.exchange.models import SourceFile
from studio.exchange.yamlproject.engine_check import domain_as_written
from studio.exchange.yamlproject.files import KIND_DOMAIN


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


def _engine_domain(assistant: Assistant) -> dict[str, Any]:
    """The domain the engine judges and runs: the slots, responses and actions the studio models,
    over what it keeps as written from the imported domain files (intents, entities, forms…), which
    `/intent` payloads, `nlu_trigger` flows and entity mappings need."""
    docs = []
    stored = SourceFile.objects.filter(assistant=assistant, kind=KIND_DOMAIN).order_by("path")
    for path, content in stored.values_list("path", "content"):
        try:
            docs.append(parse_mapping(bytes(content).decode("utf-8"), file=path))
        except (YamlProblem, UnicodeDecodeError):
            continue  # the import refused such a file
    modelled = assistant_domain_dict(assistant)
    if not docs:
        return modelled
    # Every modelled key is laid over, even empty: a slot deleted in the studio stays deleted.
    return {**domain_as_written(docs), "slots": {}, "responses": {}, "actions": [], **modelled}


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
        "domain": _engine_domain(assistant),
        "flows": assistant_flows_dict(assistant),
        # Lets engine problems name the file a flow came from.
        "flow_files": dict(Flow.objects.filter(assistant=assistant).exclude(source_path="")
                           .values_list("flow_id", "source_path")),
        "agents": _stored_sub_agents(assistant),
    }
    return snapshot, problems


def _mapping_or_empty(text: str, file: str) -> dict[str, Any]:
    try:
        return parse_mapping(text or "", file=file)
    except YamlProblem:
        # A broken config.yml or endpoints.yml is reported by the build; flows can still be checked.
        return {}


def rephrasing_configured(assistant: Assistant) -> bool:
    """The assistant's endpoints.yml has an NLG endpoint that rephrases (the engine's rule), which
    a response asking to be rephrased needs."""
    return nlg_rephrases(_mapping_or_empty(assistant.endpoints_yaml, "endpoints.yml"))


def flow_problems(assistant: Assistant, flow_id: str, body: dict[str, Any]) -> list[Problem]:
    """Problems of `body` as flow `flow_id`, judged against the saved domain and the other flows."""
    flows = assistant_flows_dict(assistant)
    engine = engine_from_dicts(config=_mapping_or_empty(assistant.config_yaml, "config.yml"),
                               domain=_engine_domain(assistant),
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
