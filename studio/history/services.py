"""Restoring a version: the old content goes back through the same service the editor uses.

So a restore gets every check an edit gets (role, revision, validation), the engine's problems are
reported as after a save, and the export changes only the restored item (the exchange's writer
compares rows with the imported files).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from studio.accounts.permissions import require_role
from studio.assistants import services as assistant_services
from studio.assistants import slot_services
from studio.assistants.models import Assistant
from studio.core.exceptions import RevisionConflict
from studio.editor.selectors import flow_problems
from studio.history.selectors import SETTINGS, Kind, kind_get, record_content, record_get
from studio.tryit.mock_services import action_mock_save


@dataclass
class Restored:
    kind: str
    key: str
    item: Any
    problems: list[dict[str, Any]] = field(default_factory=list)


def _current(kind: Kind, assistant: Assistant, key: str):
    return kind.model.objects.select_for_update().filter(assistant=assistant, **{kind.key_field: key}).first()


def _checked_revision(current, revision: int | None) -> int | None:
    """The revision to save over: the caller's (409 when stale) or, when it gave none, the current one."""
    if current is None:
        return None
    saved = getattr(current, "revision", None)  # custom actions had no revision before assistants 0003
    if revision is not None and saved is not None and revision != saved:
        raise RevisionConflict(current)
    return saved


def _restore_flow(*, user, assistant, key, record, revision):
    body = record_content(kind_get("flows"), record)
    current = _current(kind_get("flows"), assistant, key)
    if current is None:
        flow = assistant_services.flow_create(user=user, assistant=assistant, flow_id=key, data=body,
                                              source_path=record.source_path)
    else:
        flow = assistant_services.flow_save(user=user, assistant=assistant, flow_id=key, data=body,
                                            revision=_checked_revision(current, revision))
    return flow, flow_problems(assistant, key, flow.to_rasa())


def _restore_response(*, user, assistant, key, record, revision):
    current = _current(kind_get("responses"), assistant, key)
    response = assistant_services.response_save(
        user=user, assistant=assistant, name=key, variations=list(record.variations),
        revision=_checked_revision(current, revision), source_path=record.source_path)
    return response, []


def _restore_slot(*, user, assistant, key, record, revision):
    data = record_content(kind_get("slots"), record)
    current = _current(kind_get("slots"), assistant, key)
    if current is None:
        return slot_services.slot_create(user=user, assistant=assistant, name=key, data=data), []
    return slot_services.slot_update(user=user, assistant=assistant, name=key, data=data,
                                     revision=_checked_revision(current, revision)), []


def _restore_action(*, user, assistant, key, record, revision):
    """The action's domain entry and, where kept, its try-it mock, each through its own service."""
    current = _current(kind_get("actions"), assistant, key)
    if current is None:
        action = slot_services.action_create(user=user, assistant=assistant, name=key, definition=record.definition)
    else:
        action, revision = current, _checked_revision(current, revision)
        if (current.definition or None) != (record.definition or None):
            action = slot_services.action_update(user=user, assistant=assistant, name=key,
                                                 definition=record.definition, revision=revision)
    mock = getattr(record, "mock", None)
    if mock != getattr(action, "mock", None):
        action = action_mock_save(user=user, assistant=assistant, name=key, mock=mock, revision=action.revision)
    return action, []


def _restore_settings(*, user, assistant, key, record, revision):
    content = record_content(kind_get(SETTINGS), record)
    return assistant_services.assistant_update(user=user, assistant=assistant, **content), []


_RESTORERS = {"flows": _restore_flow, "responses": _restore_response, "slots": _restore_slot,
              "actions": _restore_action, SETTINGS: _restore_settings}


@transaction.atomic
def history_restore(*, user, assistant: Assistant, kind: str, key: str, history_id: int,
                    revision: int | None = None) -> Restored:
    """Write version `history_id` of the item back; `revision` is the one the user saw (409 when stale).

    Restoring a deleted item creates it again. Needs the role that may edit that kind.
    """
    spec = kind_get(kind)
    require_role(user, assistant, *spec.edit_roles)
    record = record_get(assistant, spec, key, history_id)
    started = timezone.now()
    item, problems = _RESTORERS[spec.name](user=user, assistant=assistant, key=key, record=record,
                                            revision=revision)
    # The version the restore wrote (none when the content was already that version) says where it came from.
    written = spec.records(assistant, key or None).filter(history_date__gte=started).first()
    if written is not None:
        written.history_change_reason = f"restored version {history_id}"
        written.save(update_fields=["history_change_reason"])
    return Restored(spec.name, key, item, problems)
