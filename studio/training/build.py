"""Building a version: snapshot the assistant and let the engine validate it."""
from __future__ import annotations

from typing import Any

from studio.assistants.models import Assistant, Flow
from studio.assistants.selectors import assistant_domain_dict, assistant_flows_dict
from studio.core.yaml import YamlProblem, parse_mapping
from studio.training.models import AssistantVersion, VersionStatus

try:  # the engine is written in parallel; until Assistant.from_dicts exists we only snapshot
    from engine import Assistant as EngineAssistant
    from engine import DefinitionError
except ImportError:  # pragma: no cover - depends on the engine's progress
    try:
        from engine.assistant import Assistant as EngineAssistant
        from engine.errors import DefinitionError
    except ImportError:
        EngineAssistant, DefinitionError = None, None


def assistant_snapshot(assistant: Assistant) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Everything the engine needs, plus problems found while parsing the stored YAML."""
    problems: list[dict[str, Any]] = []
    parsed: dict[str, dict[str, Any]] = {}
    for key, file, text in (("config", "config.yml", assistant.config_yaml),
                            ("endpoints", "endpoints.yml", assistant.endpoints_yaml)):
        try:
            parsed[key] = parse_mapping(text, file=file)
        except YamlProblem as exc:
            parsed[key] = {}
            problems.append({"file": exc.file, "line": exc.line, "flow_id": None, "step_id": None,
                             "message": exc.message})
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
    }
    return snapshot, problems


def _engine_problems(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    if EngineAssistant is None or not hasattr(EngineAssistant, "from_dicts"):
        return []
    try:
        EngineAssistant.from_dicts(config=snapshot["config"], domain=snapshot["domain"],
                                   flows=snapshot["flows"], endpoints=snapshot["endpoints"],
                                   flow_files=snapshot["flow_files"])
    except DefinitionError as exc:
        return [
            {key: getattr(problem, key, None) for key in ("file", "line", "flow_id", "step_id", "message")}
            for problem in exc.problems
        ]
    return []


def version_build_run(version_id: int) -> AssistantVersion | None:
    """Snapshot and validate a pending version; None when the row was deleted meanwhile."""
    version = AssistantVersion.objects.select_related("assistant").filter(pk=version_id).first()
    if version is None or version.status != VersionStatus.PENDING:
        return version
    snapshot, problems = assistant_snapshot(version.assistant)
    if not problems:
        problems = _engine_problems(snapshot)
    version.snapshot = snapshot
    version.problems = problems
    version.status = VersionStatus.FAILED if problems else VersionStatus.READY
    version.save(update_fields=["snapshot", "problems", "status"])
    return version
