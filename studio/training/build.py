"""Building a version (the worker's side): snapshot the assistant and let the engine validate it."""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from studio.assistants.models import Assistant, Flow
from studio.assistants.selectors import assistant_domain_dict, assistant_flows_dict
from studio.core.yaml import YamlProblem, parse_mapping
from studio.training.models import AssistantVersion, VersionStatus

logger = logging.getLogger(__name__)

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
    """Run a queued build; a message delivered twice finds it running or finished and does nothing."""
    if _claim(version_id):
        version = AssistantVersion.objects.select_related("assistant").filter(pk=version_id).first()
        if version is not None:
            _run(version)
    return AssistantVersion.objects.filter(pk=version_id).first()


def _claim(version_id: int) -> bool:
    """Mark the build running, unless another worker has it (an UPDATE, so only one run can win).

    A build running for longer than BUILD_TIMEOUT was abandoned by a dead worker: the broker's
    redelivery of its message may take it over.
    """
    now = timezone.now()
    abandoned = Q(status=VersionStatus.RUNNING, started_at__lt=now - timedelta(seconds=settings.BUILD_TIMEOUT))
    claimed = AssistantVersion.objects.filter(Q(status=VersionStatus.QUEUED) | abandoned, pk=version_id)
    return claimed.update(status=VersionStatus.RUNNING, started_at=now, reason="") == 1


def _run(version: AssistantVersion) -> None:
    try:
        snapshot, problems = assistant_snapshot(version.assistant)
        if not problems:
            problems = _engine_problems(snapshot)
    except Exception as exc:  # noqa: BLE001 - whatever breaks, the build must end failed, not stay running
        logger.exception("building version %s failed", version.pk)
        _finish(version, VersionStatus.FAILED, f"the build crashed ({exc.__class__.__name__}); "
                                               "the details are in the worker log")
        return
    if problems:
        reason = f"{len(problems)} problem{'' if len(problems) == 1 else 's'} found"
        _finish(version, VersionStatus.FAILED, reason, snapshot=snapshot, problems=problems)
    else:
        _finish(version, VersionStatus.READY, "", snapshot=snapshot, problems=[])


def _finish(version: AssistantVersion, status: str, reason: str, **fields: Any) -> None:
    # Only this run may finish the build: if it was taken over meanwhile, the newer run records it.
    AssistantVersion.objects.filter(pk=version.pk, status=VersionStatus.RUNNING, started_at=version.started_at).update(
        status=status, reason=reason, finished_at=timezone.now(), **fields)
