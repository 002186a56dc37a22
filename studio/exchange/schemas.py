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


class RenameIn(Schema):
    kind: str
    old: str
    new: str


class RenameOut(Schema):
    changed: int
