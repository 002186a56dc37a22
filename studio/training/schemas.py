from datetime import datetime
from typing import Any

from ninja import Field, Schema

from studio.assistants.schemas import ObjectBody


class VersionIn(ObjectBody):
    note: str = Field("", max_length=2000)


class VersionOut(Schema):
    number: int
    status: str  # queued, running, ready or failed
    reason: str  # why it failed or was queued again; empty otherwise
    attempts: int  # times the build was sent to the workers
    note: str
    created_at: datetime
    created_by: str | None
    queued_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    problems: list[dict[str, Any]]
