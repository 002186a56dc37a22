from datetime import datetime
from typing import Any

from ninja import Field, Schema


class VersionIn(Schema):
    # Required (may be empty) so a body that is not an object is refused, not read as defaults.
    note: str = Field(..., max_length=2000)


class VersionOut(Schema):
    number: int
    status: str
    note: str
    created_at: datetime
    created_by: str | None
    problems: list[dict[str, Any]]
