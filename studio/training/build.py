"""Building a version (the worker's side): snapshot the assistant and let the engine judge it."""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from studio.assistants.engine_adapter import assistant_snapshot, snapshot_problems
from studio.training.models import AssistantVersion, VersionStatus

logger = logging.getLogger(__name__)


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
        problems = problems or snapshot_problems(snapshot)
    except Exception as exc:  # noqa: BLE001 - whatever breaks, the build must end failed, not stay running
        logger.exception("building version %s failed", version.pk)
        _finish(version, VersionStatus.FAILED, f"the build crashed ({exc.__class__.__name__}); "
                                               "the details are in the worker log")
        return
    if problems:
        reason = f"{len(problems)} problem{'' if len(problems) == 1 else 's'} found"
        _finish(version, VersionStatus.FAILED, reason, snapshot=snapshot, problems=[p.as_dict() for p in problems])
    else:
        _finish(version, VersionStatus.READY, "", snapshot=snapshot, problems=[])


def _finish(version: AssistantVersion, status: str, reason: str, **fields: Any) -> None:
    # Only this run may finish the build: if it was taken over meanwhile, the newer run records it.
    AssistantVersion.objects.filter(pk=version.pk, status=VersionStatus.RUNNING, started_at=version.started_at).update(
        status=status, reason=reason, finished_at=timezone.now(), **fields)
