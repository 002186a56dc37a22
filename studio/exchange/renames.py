"""Rename an item, or delete it with its references, across rows and verbatim files; preview first.

Both go through the usages index (yamlproject.usages): what a preview lists is what the apply does.
Custom action code is never rewritten; each Python line still naming the old item is listed.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from studio.accounts.permissions import (
    CAN_EDIT_ACTIONS,
    CAN_EDIT_FLOWS,
    CAN_EDIT_RESPONSES,
    CAN_EDIT_SLOTS,
    CAN_IMPORT,
    require_role,
)
from studio.assistants import services as assistant_services
from studio.assistants.models import Assistant
from studio.assistants.validation import check_item_name
from studio.core.exceptions import NotFound, ValidationFailed
from studio.exchange import rows
from studio.exchange.models import SourceFile
from studio.exchange.usage_index import ROOT_FIELDS, ItemInUse, project_texts
from studio.exchange.yamlproject import ACTIONS, FLOWS, KINDS, ProjectContent, yamlio
from studio.exchange.yamlproject.references import Edit, remove_from_project, rename_in_project
from studio.exchange.yamlproject.usages import WHAT, Usage

_DELETE_ROLES = {FLOWS: CAN_EDIT_FLOWS, "slots": CAN_EDIT_SLOTS, "responses": CAN_EDIT_RESPONSES,
                 "actions": CAN_EDIT_ACTIONS}
_DELETES = {
    FLOWS: lambda **kw: assistant_services.flow_delete(flow_id=kw.pop("name"), **kw),
    "slots": assistant_services.slot_delete,
    "responses": assistant_services.response_delete,
    "actions": assistant_services.custom_action_delete,
}


@dataclass
class Change:
    """One item or file a rename/delete changes, with a unified diff of its YAML."""

    what: str  # "flow transfer_money", "slot amount", or a file path
    path: str
    diff: str

    def as_dict(self) -> dict[str, Any]:
        return {"what": self.what, "file": self.path, "diff": self.diff}


@dataclass
class ItemEdit:
    kind: str
    name: str
    new: str = ""
    dry_run: bool = False
    changes: list[Change] = field(default_factory=list)
    code: list[Usage] = field(default_factory=list)  # Python lines still naming the old item
    changed: int = 0  # rows and files written (0 on a dry run)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "new": self.new, "dry_run": self.dry_run,
                "changed": self.changed, "changes": [c.as_dict() for c in self.changes],
                "code": [u.as_dict() for u in self.code]}


def _yaml_lines(kind: str, items: dict, name: str) -> list[str]:
    """The item as it reads in its file ([] when it is gone); an action is a list entry."""
    if name not in items:
        return []
    body = items[name].body
    if kind == ACTIONS:
        return [f"- {name}\n"] if body is None else yamlio.dump(yamlio.to_node([{name: body}])).splitlines(True)
    return yamlio.dump(yamlio.to_node({name: body})).splitlines(keepends=True)


def _diff(before: list[str], after: list[str]) -> str:
    return "".join(difflib.unified_diff(before, after, "before", "after"))


def _changes(before: ProjectContent, edit: Edit, texts: dict[str, tuple[str, str]]) -> list[Change]:
    renamed = {(k, o): n for k, o, n in edit.renamed}
    changes = []
    for kind in KINDS:
        after = edit.content.of(kind)
        for name, item in before.of(kind).items():
            new = renamed.get((kind, name), name)
            if new != name or new not in after or after[new].body != item.body:
                changes.append(Change(f"{WHAT[kind]} {new}", item.source_path, _diff(
                    _yaml_lines(kind, before.of(kind), name), _yaml_lines(kind, after, new))))
    for path, text in sorted(edit.files.items()):
        old = texts[path][1]
        changes.append(Change(path, path, _diff(old.splitlines(keepends=True), text.splitlines(keepends=True))))
    return changes


def _save_rows(assistant: Assistant, before: ProjectContent, edit: Edit, user) -> int:
    renamed = {(k, o): n for k, o, n in edit.renamed}
    changed = 0
    for kind in KINDS:
        model, name_field = rows.MODELS[kind], rows.NAME_FIELD[kind]
        by_name = {rows.row_name(kind, r): r for r in model.objects.filter(assistant=assistant)}
        after = edit.content.of(kind)
        for name, item in before.of(kind).items():
            new = renamed.get((kind, name), name)
            row = by_name[name]
            if new not in after:
                row.delete()
            elif new != name or after[new].body != item.body:
                setattr(row, name_field, new)
                for attr, value in rows.row_fields(kind, after[new]).items():
                    setattr(row, attr, value)
                if hasattr(row, "revision"):
                    row.revision += 1
                    row.updated_by = user
                row.save()
            else:
                continue
            changed += 1
    return changed


def _save_files(assistant: Assistant, files: dict[str, str]) -> int:
    for path, text in files.items():
        if path in ROOT_FIELDS:
            attr = ROOT_FIELDS[path][1]
            setattr(assistant, attr, text)
            Assistant.objects.filter(pk=assistant.pk).update(**{attr: text})
        else:
            SourceFile.objects.filter(assistant=assistant, path=path).update(content=text.encode("utf-8"))
    return len(files)


def _lock_rows(assistant: Assistant) -> None:
    """Hold every item row until the commit: an editor's save (which locks its row) waits, so a rename
    never writes over a flow saved between its read and its write."""
    for model in rows.MODELS.values():
        list(model.objects.select_for_update().filter(assistant=assistant).values_list("pk", flat=True))


def _apply(*, user, assistant: Assistant, result: ItemEdit, before: ProjectContent, edit: Edit) -> ItemEdit:
    if not result.dry_run:
        result.changed = _save_rows(assistant, before, edit, user) + _save_files(assistant, edit.files)
        assistant_services.assistant_touch(assistant)
    return result


@transaction.atomic
def assistant_item_rename(*, user, assistant: Assistant, kind: str, old: str, new: str,
                          dry_run: bool = False) -> ItemEdit:
    """Rename a flow, slot, response or action and every reference to it (rows, YAML files, config).

    The renamed row keeps its file and position, so the export renames it in place. A slot's
    utter_ask_/action_ask_ item follows it. Python code is listed in `code`, never rewritten.
    """
    require_role(user, assistant, *CAN_IMPORT)
    if kind not in KINDS:
        raise ValidationFailed.one("kind", msg=f"{kind!r} is not one of {', '.join(KINDS)}")
    new = (new or "").strip()
    check_item_name(kind, new, ("new",))  # the rules a new item of this kind meets anywhere
    if not dry_run:
        _lock_rows(assistant)
    before, texts = rows.content_from_db(assistant), project_texts(assistant)
    if old not in before.of(kind):
        raise NotFound(f"{WHAT[kind]} {old!r} not found in {assistant.slug!r}")
    try:
        edit = rename_in_project(before, texts, kind, old, new)
    except ValueError as exc:
        raise ValidationFailed.one("new", msg=str(exc)) from None
    result = ItemEdit(kind, old, new, dry_run, _changes(before, edit, texts), edit.code)
    return _apply(user=user, assistant=assistant, result=result, before=before, edit=edit)


@transaction.atomic
def assistant_item_delete(*, user, assistant: Assistant, kind: str, name: str,
                          remove_references: bool = False, dry_run: bool = False) -> ItemEdit:
    """Delete an item. A referenced one is refused (ItemInUse, every usage listed) unless
    `remove_references`, which takes every reference out too (or refuses, naming those it cannot).
    `dry_run` answers what would change, or the refusal, and saves nothing."""
    if kind not in KINDS:
        raise ValidationFailed.one("kind", msg=f"{kind!r} is not one of {', '.join(KINDS)}")
    if not remove_references and not dry_run:
        _DELETES[kind](user=user, assistant=assistant, name=name)  # refuses a referenced item itself
        return ItemEdit(kind, name, changed=1)
    require_role(user, assistant, *(CAN_IMPORT if remove_references else _DELETE_ROLES[kind]))
    if not dry_run:
        _lock_rows(assistant)
    before, texts = rows.content_from_db(assistant), project_texts(assistant)
    if name not in before.of(kind):
        raise NotFound(f"{WHAT[kind].capitalize()} {name!r} not found in {assistant.slug!r}")
    edit = remove_from_project(before, texts, kind, name)
    if not remove_references and any(not u.code for u in edit.found):
        raise ItemInUse(kind, name, edit.found)
    if edit.left:
        raise ItemInUse(kind, name, edit.left, f"Cannot remove every reference to {WHAT[kind]} '{name}': "
                                               f"edit {'this' if len(edit.left) == 1 else f'these {len(edit.left)}'} "
                                               "by hand first")
    result = ItemEdit(kind, name, "", dry_run, _changes(before, edit, texts), edit.code)
    return _apply(user=user, assistant=assistant, result=result, before=before, edit=edit)
