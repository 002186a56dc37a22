"""Database rows <-> yamlproject content; the studio's rows are the truth for what it edits."""

from __future__ import annotations

from typing import Any

from studio.assistants.models import Assistant, CustomAction, Flow, Response, Slot
from studio.exchange.models import SourceFile
from studio.exchange.yamlproject import ACTIONS, FLOWS, RESPONSES, SLOTS, Item, ProjectContent
from studio.exchange.yamlproject.files import MODELLED_KINDS

MODELS = {FLOWS: Flow, SLOTS: Slot, RESPONSES: Response, ACTIONS: CustomAction}
NAME_FIELD = {FLOWS: "flow_id", SLOTS: "name", RESPONSES: "name", ACTIONS: "name"}


def flow_fields(flow_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Flow model fields for a Rasa flow body, such that `to_rasa()` gives the body back exactly.

    The model drops empty values (`name: ""`, `persisted_slots: []`, an explicit null);
    those keys go to `extra` so an unchanged flow still exports as it came in.
    """
    fields = Flow.fields_from_rasa(body)
    probe = Flow(flow_id=flow_id, **fields).to_rasa()
    for key, value in body.items():
        if key not in probe or probe[key] != value:
            fields["extra"][key] = value
    return fields


def row_fields(kind: str, item: Item) -> dict[str, Any]:
    """Model field values (without assistant, bookkeeping) for one content item."""
    common = {"source_path": item.source_path, "position": item.position}
    if kind == FLOWS:
        return {**flow_fields(item.name, item.body), **common}
    if kind == SLOTS:
        return {"type": str(item.body.get("type", "")), "definition": dict(item.body), **common}
    if kind == RESPONSES:
        return {"variations": list(item.body), **common}
    return {"definition": item.body, **common}


def row_body(kind: str, row) -> Any:
    if kind == ACTIONS:
        return row.definition
    return row.to_rasa()


def row_name(kind: str, row) -> str:
    return getattr(row, NAME_FIELD[kind])


def content_from_db(assistant: Assistant) -> ProjectContent:
    content = ProjectContent()
    for kind, model in MODELS.items():
        items = content.of(kind)
        for row in model.objects.filter(assistant=assistant).ordered():
            name = row_name(kind, row)
            items[name] = Item(name, row_body(kind, row), row.source_path, row.position)
    return content


def source_files(assistant: Assistant) -> dict[str, bytes]:
    return {f.path: bytes(f.content) for f in SourceFile.objects.filter(assistant=assistant)}


def source_kinds(assistant: Assistant) -> dict[str, str]:
    return dict(SourceFile.objects.filter(assistant=assistant).values_list("path", "kind"))


def items_by_file(content: ProjectContent) -> dict[str, dict[str, list]]:
    """{path: {kind: [[name, body], ...]}} in file order: the snapshot kept on SourceFile.items."""
    snapshot: dict[str, dict[str, list]] = {}
    for kind in MODELS:
        for item in sorted(content.of(kind).values(), key=lambda i: i.position):
            snapshot.setdefault(item.source_path, {}).setdefault(kind, []).append([item.name, item.body])
    return snapshot


def imported_content(assistant: Assistant) -> ProjectContent | None:
    """The content as last imported, from the snapshots; None when a snapshot is missing."""
    content = ProjectContent()
    for source in SourceFile.objects.filter(assistant=assistant, kind__in=MODELLED_KINDS):
        if source.items is None:
            return None
        for kind, entries in source.items.items():
            for position, (name, body) in enumerate(entries):
                content.of(kind)[name] = Item(name, body, source.path, position)
    return content
