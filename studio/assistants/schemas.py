from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema


class AssistantIn(Schema):
    name: str = Field(..., max_length=120)
    language: str = Field("en", max_length=16)
    description: str = Field("", max_length=5000)


class AssistantOut(Schema):
    id: int
    slug: str
    name: str
    language: str
    description: str
    revision: int
    created_at: datetime
    updated_at: datetime
    role: str


class AssistantDetailOut(AssistantOut):
    counts: dict[str, int]


class FlowSummaryOut(Schema):
    flow_id: str
    name: str
    description: str
    is_pattern: bool
    revision: int
    step_count: int
    updated_at: datetime


class FlowOut(Schema):
    flow_id: str
    revision: int
    is_pattern: bool
    source_path: str
    updated_at: datetime | None
    updated_by: str | None
    body: dict[str, Any]


class MemberIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    role: str


class MemberOut(Schema):
    username: str
    role: str


class ErrorOut(Schema):
    detail: Any
