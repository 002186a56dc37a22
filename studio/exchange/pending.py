"""Previewed re-imports waiting to be applied: kept server-side, applied only over what was previewed.

The page and the API both preview an upload into a PendingImport and apply it by id, so the
upload never travels in the session and an apply can tell that someone saved a flow, slot,
response or setting after the preview (a 409 instead of silently overwriting their work).
"""
from __future__ import annotations

import uuid
from datetime import timedelta
from typing import BinaryIO

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from studio.accounts.permissions import CAN_IMPORT, require_role
from studio.assistants.models import Assistant
from studio.core.exceptions import DomainError, NotFound
from studio.exchange import rows, services
from studio.exchange.models import PendingImport
from studio.exchange.yamlproject import ProjectInvalid

PENDING_IMPORT_TTL = timedelta(hours=1)
# Kinds whose rows carry a revision; actions have none, but any change bumps the assistant's.
REVISED_KINDS = ("flows", "slots", "responses")


class ImportConflict(DomainError):
    """The assistant changed after the preview; applying would overwrite what was not previewed."""

    status = 409


def content_revisions(assistant: Assistant) -> dict:
    """The assistant's revision (bumped by every content or settings save) and each item's."""
    revisions: dict = {"assistant": Assistant.objects.values_list("revision", flat=True).get(pk=assistant.pk)}
    for kind in REVISED_KINDS:
        model = rows.MODELS[kind]
        revisions[kind] = dict(model.objects.filter(assistant=assistant).values_list(rows.NAME_FIELD[kind], "revision"))
    return revisions


def _changed_items(before: dict, now: dict) -> list[str]:
    changed = []
    for kind in REVISED_KINDS:
        old, new = before.get(kind, {}), now[kind]
        for name in sorted(set(old) | set(new)):
            if old.get(name) != new.get(name):
                what = "added" if name not in old else "deleted" if name not in new else "saved"
                changed.append(f"{kind[:-1]} {name!r} ({what})")
    return changed


def _check_unchanged(assistant: Assistant, previewed: dict) -> None:
    now = content_revisions(assistant)
    if now["assistant"] == previewed.get("assistant"):
        return
    changed = ", ".join(_changed_items(previewed, now)) or "its settings or actions"
    raise ImportConflict(f"{assistant.name!r} changed after the preview: {changed}. "
                         "Nothing was applied; preview the upload again.")


def pending_import_create(*, user, assistant: Assistant, upload: bytes | BinaryIO
                          ) -> tuple[PendingImport, services.ImportPreview]:
    """Preview an upload and keep it, with the revisions the preview saw, for its uploader to apply."""
    require_role(user, assistant, *CAN_IMPORT)
    try:
        data, name = services.upload_bytes(upload)
    except ProjectInvalid as exc:
        raise services.ImportRefused(exc.problems) from None
    # Taken before the preview reads the content: a save in between is a conflict, never lost.
    revisions = content_revisions(assistant)
    preview = services.import_preview(user=user, assistant=assistant, source=ContentFile(data, name=name))
    PendingImport.objects.filter(created_at__lt=timezone.now() - PENDING_IMPORT_TTL).delete()
    PendingImport.objects.filter(assistant=assistant, uploaded_by=user).delete()  # the newest preview wins
    pending = PendingImport.objects.create(assistant=assistant, uploaded_by=user, name=name, content=data,
                                           revisions=revisions)
    return pending, preview


def _pending_for(user, assistant: Assistant, pending_id: str) -> PendingImport:
    try:
        key = uuid.UUID(str(pending_id))
    except ValueError:
        key = None
    fresh_since = timezone.now() - PENDING_IMPORT_TTL
    pending = PendingImport.objects.filter(pk=key, assistant=assistant, uploaded_by=user,
                                           created_at__gte=fresh_since).first() if key else None
    if pending is None:
        hours = PENDING_IMPORT_TTL.total_seconds() / 3600
        raise NotFound(f"No re-import preview {pending_id!r} of yours is waiting for {assistant.slug!r} "
                       f"(previews expire after {hours:g} hour and are used once); upload the file again")
    return pending


@transaction.atomic
def pending_import_apply(*, user, assistant: Assistant, pending_id: str) -> services.ImportResult:
    """Apply a previewed upload (its uploader only), refusing when the content changed since the preview."""
    require_role(user, assistant, *CAN_IMPORT)
    # Locked: two applies of previews of the same revision cannot both pass the check.
    assistant = Assistant.objects.select_for_update().get(pk=assistant.pk)
    pending = _pending_for(user, assistant, pending_id)
    _check_unchanged(assistant, pending.revisions)
    upload = ContentFile(bytes(pending.content), name=pending.name)
    result = services.import_apply(user=user, assistant=assistant, source=upload)
    pending.delete()
    return result
