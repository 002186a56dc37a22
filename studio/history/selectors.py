"""Reads of history: one item's timeline with YAML diffs, and an assistant's activity feed (viewer and up)."""
from __future__ import annotations

import difflib
import heapq
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ruamel.yaml.scalarstring import LiteralScalarString

from studio.accounts.permissions import (
    CAN_EDIT_ACTIONS,
    CAN_EDIT_FLOWS,
    CAN_EDIT_RESPONSES,
    CAN_EDIT_SLOTS,
    CAN_MANAGE,
    CAN_READ,
    require_role,
)
from studio.assistants.models import Assistant, CustomAction, Flow, Response, Slot
from studio.core.exceptions import NotFound
from studio.exchange.yamlproject import yamlio

SETTINGS = "settings"
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
ACTIVITY_DEPTH = 10_000  # how far back the activity feed pages


@dataclass(frozen=True)
class Kind:
    """One kind of item with history: its model, the field that names it and who may restore it."""

    name: str
    noun: str
    model: type
    key_field: str
    edit_roles: tuple[str, ...]

    @property
    def history(self):
        return self.model.history.model

    def records(self, assistant: Assistant, key: str | None = None):
        if self.name == SETTINGS:
            return self.history.objects.filter(id=assistant.pk)
        records = self.history.objects.filter(assistant_id=assistant.pk)
        return records.filter(**{self.key_field: key}) if key is not None else records


KINDS = {kind.name: kind for kind in (
    Kind("flows", "flow", Flow, "flow_id", CAN_EDIT_FLOWS),
    Kind("responses", "response", Response, "name", CAN_EDIT_RESPONSES),
    Kind("slots", "slot", Slot, "name", CAN_EDIT_SLOTS),
    Kind("actions", "action", CustomAction, "name", CAN_EDIT_ACTIONS),
    Kind(SETTINGS, "settings", Assistant, "name", CAN_MANAGE),
)}


def kind_get(kind: str) -> Kind:
    try:
        return KINDS[kind]
    except KeyError:
        raise NotFound(f"No history for {kind!r}: the kinds are {', '.join(KINDS)}") from None


def _readable(value: Any) -> Any:
    """Multi-line texts as YAML block scalars, so a diff shows their lines rather than one escaped string."""
    if isinstance(value, dict):
        return {k: _readable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_readable(v) for v in value]
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    return value


def record_content(kind: Kind, record) -> Any:
    """What the item was in this version, in Rasa's shape (what the restore writes back)."""
    item = record.instance
    if kind.name == SETTINGS:
        return {"name": item.name, "language": item.language, "description": item.description,
                "settings": item.settings, "config_yaml": item.config_yaml, "endpoints_yaml": item.endpoints_yaml}
    return item.to_rasa()


def record_key(kind: Kind, record) -> str:
    return "" if kind.name == SETTINGS else getattr(record, kind.key_field)


def content_yaml(kind: Kind, record) -> str:
    if record is None or record.history_type == "-":
        return ""
    content = record_content(kind, record)
    if kind.name == SETTINGS:
        return yamlio.dump(yamlio.to_node(_readable(content)))
    if kind.name == "actions":
        mock = getattr(record, "mock", None)  # studio-only, never exported, but an edit all the same
        shown = {"actions": [content], **({"mock (try-it only)": mock} if mock is not None else {})}
        return yamlio.dump(yamlio.to_node(_readable(shown)))
    return yamlio.dump(yamlio.to_node(_readable({record_key(kind, record): content})))


def yaml_diff(kind: Kind, before, after) -> str:
    """The unified diff of the item's YAML from `before` to `after` (either may be None)."""
    lines = difflib.unified_diff(content_yaml(kind, before).splitlines(keepends=True),
                                 content_yaml(kind, after).splitlines(keepends=True),
                                 "before", "after")
    return "".join(lines)


@dataclass(frozen=True)
class Version:
    history_id: int
    kind: str
    key: str
    action: str  # created | changed | deleted
    user: str | None
    date: datetime
    revision: int | None
    note: str
    diff: str


def _version(kind: Kind, record, previous=None, *, with_diff: bool = True) -> Version:
    return Version(
        history_id=record.history_id, kind=kind.name, key=record_key(kind, record),
        action=ACTIONS[record.history_type],
        user=record.history_user.get_username() if record.history_user_id and record.history_user else None,
        date=record.history_date, revision=getattr(record, "revision", None),
        note=record.history_change_reason or "",
        diff=yaml_diff(kind, previous, record) if with_diff else "",
    )


def item_history(user, assistant: Assistant, kind: str, key: str = "", *, limit: int = 50) -> list[Version]:
    """The item's versions, newest first, each with its diff against the one before."""
    require_role(user, assistant, *CAN_READ)
    spec = kind_get(kind)
    records = list(spec.records(assistant, key or None).select_related("history_user")[:limit + 1])
    if not records:
        noun = "the settings" if spec.name == SETTINGS else f"{spec.noun} {key!r}"
        raise NotFound(f"No history for {noun} in {assistant.slug!r}")
    # The extra (oldest) record is only the "before" of the last shown version.
    return [_version(spec, record, records[i + 1] if i + 1 < len(records) else None)
            for i, record in enumerate(records[:limit])]


def _newest(spec: Kind, assistant: Assistant, count: int) -> list[tuple]:
    records = spec.records(assistant).select_related("history_user").order_by("-history_date", "-history_id")
    return [(record.history_date, record.history_id, spec.name, record) for record in records[:count]]


def assistant_activity(user, assistant: Assistant, *, limit: int = 50, offset: int = 0) -> list[Version]:
    """Every kind's versions for the assistant, newest first (no diffs: the item's history has them)."""
    require_role(user, assistant, *CAN_READ)
    # A feed is read from the top: far pages are refused cheaply rather than merged (and overflowing SQL's LIMIT).
    if offset > ACTIVITY_DEPTH:
        return []
    # Each kind's newest `offset + limit` are enough to find the overall page.
    streams = [_newest(spec, assistant, offset + limit) for spec in KINDS.values()]
    merged = heapq.merge(*streams, key=lambda entry: (entry[0], entry[1]), reverse=True)
    page = list(merged)[offset:offset + limit]
    return [_version(KINDS[name], record, with_diff=False) for _, _, name, record in page]


def record_get(assistant: Assistant, kind: Kind, key: str, history_id: int):
    record = kind.records(assistant, key or None).filter(history_id=history_id).first()
    if record is None:
        noun = "the settings" if kind.name == SETTINGS else f"{kind.noun} {key!r}"
        raise NotFound(f"Version {history_id} of {noun} not found in {assistant.slug!r}")
    return record


def item_current(assistant: Assistant, kind: Kind, key: str):
    """The item as saved now (the assistant for settings), or None when it was deleted."""
    if kind.name == SETTINGS:
        return assistant
    return kind.model.objects.filter(assistant=assistant, **{kind.key_field: key}).first()
