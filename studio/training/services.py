"""Versions: an immutable snapshot of an assistant, built and validated by the engine in a Celery task.

A build goes queued -> running -> ready or failed. However it gets stuck (a worker killed mid-build,
a message lost with Redis, the broker down when it is sent), it ends queued again or failed with the
reason, and a failed build can be retried.
"""
from __future__ import annotations

import logging
from contextlib import suppress
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from studio.accounts.permissions import CAN_EDIT_FLOWS, require_role
from studio.assistants.models import Assistant
from studio.core.exceptions import Conflict, NotFound, ServiceUnavailable
from studio.training.models import AssistantVersion, VersionStatus
from studio.training.tasks import version_build

logger = logging.getLogger(__name__)

BROKER_DOWN = "the build could not be queued: the task broker (Redis) was unreachable"
STALE = {
    VersionStatus.QUEUED: "no worker had started it within {timeout:g} s",
    VersionStatus.RUNNING: "the previous attempt did not finish within {timeout:g} s; its worker may have been stopped",
}
GAVE_UP = {
    VersionStatus.QUEUED: "no worker started the build in {attempts} attempts; check that a Celery worker is running",
    VersionStatus.RUNNING: "the build did not finish in {attempts} attempts; each stopped without a result "
                           "(the worker may have been killed or run out of memory)",
}


@transaction.atomic
def version_create(*, user, assistant: Assistant, note: str = "") -> AssistantVersion:
    """A queued version; its build is sent to the workers once this transaction commits."""
    require_role(user, assistant, *CAN_EDIT_FLOWS)
    locked = Assistant.objects.select_for_update().get(pk=assistant.pk)
    highest = AssistantVersion.objects.filter(assistant=locked).aggregate(m=Max("number"))["m"] or 0
    version = AssistantVersion.objects.create(assistant=locked, number=highest + 1, created_by=user, note=note,
                                              queued_at=timezone.now(), attempts=1)
    transaction.on_commit(lambda: _build_send(version))
    return version


@transaction.atomic
def version_retry(*, user, assistant: Assistant, number: int) -> AssistantVersion:
    """Build a failed version again, with a fresh set of attempts."""
    require_role(user, assistant, *CAN_EDIT_FLOWS)
    version = AssistantVersion.objects.select_for_update().filter(assistant=assistant, number=number).first()
    if version is None:
        raise NotFound(f"Version {number} of {assistant.name!r} not found")
    if version.status != VersionStatus.FAILED:
        raise Conflict(f"Version {number} is {version.status}; only a failed build can be retried")
    version.status, version.reason, version.attempts = VersionStatus.QUEUED, "", 1
    version.snapshot, version.problems = {}, []
    version.queued_at, version.started_at, version.finished_at = timezone.now(), None, None
    version.save(update_fields=["status", "reason", "attempts", "snapshot", "problems",
                                "queued_at", "started_at", "finished_at"])
    transaction.on_commit(lambda: _build_send(version))
    return version


def version_sweep(*, assistant: Assistant | None = None) -> int:
    """Queue again, or fail after the last attempt, builds stuck past BUILD_TIMEOUT; how many it touched.

    Beat runs it every minute and every listing of versions runs it for its assistant, so stuck
    builds surface even where beat is not running. Usually one indexed query that finds nothing.
    """
    cutoff = timezone.now() - timedelta(seconds=settings.BUILD_TIMEOUT)
    stale = AssistantVersion.objects.filter(Q(status=VersionStatus.QUEUED, queued_at__lt=cutoff)
                                            | Q(status=VersionStatus.RUNNING, started_at__lt=cutoff))
    if assistant is not None:
        stale = stale.filter(assistant=assistant)
    return sum(_unstick(version) for version in stale.defer("snapshot", "problems"))


def _unstick(version: AssistantVersion) -> bool:
    # Matching what we read makes concurrent sweeps act once: the loser updates no row.
    unchanged = AssistantVersion.objects.filter(pk=version.pk, status=version.status, attempts=version.attempts,
                                                queued_at=version.queued_at, started_at=version.started_at)
    now = timezone.now()
    if version.attempts >= settings.BUILD_MAX_ATTEMPTS:
        reason = GAVE_UP[version.status].format(attempts=version.attempts)
        return unchanged.update(status=VersionStatus.FAILED, reason=reason, finished_at=now) == 1
    attempt = f"queued again (attempt {version.attempts + 1} of {settings.BUILD_MAX_ATTEMPTS})"
    reason = f"{attempt}: {STALE[version.status].format(timeout=settings.BUILD_TIMEOUT)}"
    with transaction.atomic():
        if unchanged.update(status=VersionStatus.QUEUED, reason=reason, attempts=F("attempts") + 1,
                            queued_at=now, started_at=None) != 1:
            return False
        transaction.on_commit(lambda: _build_send_quietly(version))
    return True


def _build_send(version: AssistantVersion) -> None:
    """Hand the build to the workers; with the broker unreachable, fail the version saying so."""
    try:
        version_build.apply_async(args=[version.pk])  # timeouts and retries: CELERY_* in settings
    except OperationalError:
        logger.warning("could not queue the build of version %s", version.pk, exc_info=True)
        AssistantVersion.objects.filter(pk=version.pk, status=VersionStatus.QUEUED).update(
            status=VersionStatus.FAILED, reason=BROKER_DOWN, finished_at=timezone.now())
        raise ServiceUnavailable(
            f"The build of version {version.number} could not be queued: the task broker (Redis) is unreachable. "
            "The version is saved and marked failed; retry it once the broker is back."
        ) from None


def _build_send_quietly(version: AssistantVersion) -> None:
    # A sweep runs inside a page load: the failed version tells the user, the page still renders.
    with suppress(ServiceUnavailable):
        _build_send(version)
