from datetime import datetime
from typing import Any

from ninja import Field, Schema

from studio.assistants.schemas import ObjectBody


class VersionIn(ObjectBody):
    note: str = Field("", max_length=2000)


class VersionOut(Schema):
    number: int
    status: str
    note: str
    created_at: datetime
    created_by: str | None
    problems: list[dict[str, Any]]
