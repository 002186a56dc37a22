from __future__ import annotations

from ninja import Field, Schema

from studio.assistants.schemas import ObjectBody


class ProblemOut(Schema):
    message: str
    file: str
    line: int | None
    flow_id: str
    step_id: str


class ImportOut(Schema):
    slug: str
    name: str
    counts: dict[str, int]
    warnings: list[ProblemOut]


class ItemChangeOut(Schema):
    kind: str
    name: str
    status: str
    diff: str


class PreviewOut(Schema):
    slug: str
    pending: str  # the id to apply this preview with
    changes: list[ItemChangeOut]
    files_changed: list[str]
    warnings: list[ProblemOut]


class ApplyIn(ObjectBody):
    pending: str = Field(..., max_length=64)


class ImportErrorOut(Schema):
    detail: list[dict]
    problems: list[ProblemOut]


class ExportProblemOut(ProblemOut):
    editor_url: str | None  # the flow in the graph editor, with its step selected


class ExportErrorOut(Schema):
    detail: str
    problems: list[ExportProblemOut]


class RenameIn(Schema):
    kind: str
    old: str
    new: str
    dry_run: bool = False


class UsageOut(Schema):
    file: str
    line: int | None
    where: str
    removable: bool
    code: bool


class ChangeOut(Schema):
    what: str
    file: str
    diff: str


class ItemEditOut(Schema):
    """What a rename or delete changes (or, with dry_run, would change); `code` lists Python still naming it."""

    kind: str
    name: str
    new: str
    dry_run: bool
    changed: int
    changes: list[ChangeOut]
    code: list[UsageOut]


class ItemInUseOut(Schema):
    detail: str
    usages: list[UsageOut]
