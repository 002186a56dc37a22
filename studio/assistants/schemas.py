from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict, model_validator


class ObjectBody(Schema):
    """A request body that must be a JSON object.

    ninja's Schema reads attributes off any value, so without this `42` or `null` would pass as
    an empty body whenever every field has a default. Unknown keys are refused by name too.
    NUL characters and lone surrogates never get here: studio.core.middleware refuses them in
    any JSON body, naming the field.
    """

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _must_be_an_object(cls, data: Any) -> Any:
        # ninja wraps the input in a DjangoGetter before validators run; look at what it wraps.
        if not isinstance(getattr(data, "_obj", data), dict):
            raise ValueError("the request body must be a JSON object")
        return data


class AssistantIn(ObjectBody):
    name: str = Field(..., max_length=120)
    language: str = Field("en", max_length=16)
    description: str = Field("", max_length=5000)


class AssistantPatchIn(ObjectBody):
    name: str | None = Field(None, max_length=120)
    language: str | None = Field(None, max_length=16)
    description: str | None = Field(None, max_length=5000)
    config_yaml: str | None = Field(None, max_length=200_000)
    endpoints_yaml: str | None = Field(None, max_length=200_000)
    settings: dict[str, Any] | None = None


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
    config_yaml: str
    endpoints_yaml: str
    settings: dict[str, Any]


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


class MemberIn(ObjectBody):
    username: str = Field(..., min_length=1, max_length=150)
    role: str


class MemberOut(Schema):
    username: str
    role: str


class ErrorOut(Schema):
    detail: Any
