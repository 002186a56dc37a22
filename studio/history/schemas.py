from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from studio.assistants.schemas import ObjectBody


class VersionOut(Schema):
    history_id: int
    kind: str
    key: str
    action: str = Field(..., description="created, changed or deleted")
    user: str | None
    date: datetime
    revision: int | None
    note: str
    diff: str = Field(..., description="unified diff of the item's YAML against the version before (empty in the activity feed)")


class RestoreIn(ObjectBody):
    history_id: int
    revision: int | None = Field(None, description="the item's revision as the user saw it; 409 when someone saved since")


class RestoreOut(Schema):
    kind: str
    key: str
    revision: int | None
    problems: list[dict[str, Any]]
