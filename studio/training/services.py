"""Versions: an immutable snapshot of an assistant, validated by the engine in a Celery task."""
from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from studio.accounts.permissions import CAN_EDIT_FLOWS, require_role
from studio.assistants.models import Assistant
from studio.training.models import AssistantVersion
from studio.training.tasks import version_build


@transaction.atomic
def version_create(*, user, assistant: Assistant, note: str = "") -> AssistantVersion:
    """A pending version; the build task fills the snapshot once this transaction commits."""
    require_role(user, assistant, *CAN_EDIT_FLOWS)
    locked = Assistant.objects.select_for_update().get(pk=assistant.pk)
    highest = AssistantVersion.objects.filter(assistant=locked).aggregate(m=Max("number"))["m"] or 0
    version = AssistantVersion.objects.create(assistant=locked, number=highest + 1, created_by=user, note=note)
    version_build.delay_on_commit(version.pk)
    return version
