from __future__ import annotations

from typing import Any

from ninja import Field, Schema


class ProblemOut(Schema):
    flow_id: str | None
    step_id: str | None
    message: str


class EditorFlowOut(Schema):
    flow_id: str
    revision: int
    updated_by: str | None
    body: dict[str, Any]
    problems: list[ProblemOut]


class FlowSaveIn(Schema):
    body: dict[str, Any]
    revision: int


class FlowCreateIn(Schema):
    flow_id: str = Field(..., max_length=200)
    name: str = Field("", max_length=200)
    description: str = Field("", max_length=5000)


class FlowDuplicateIn(Schema):
    new_flow_id: str = Field(..., max_length=200)


class UsageOut(Schema):
    flow_id: str
    kind: str
    step_id: str


class FlowListItemOut(Schema):
    flow_id: str
    name: str
    description: str
    is_pattern: bool
    revision: int
    step_count: int
    used_by: list[UsageOut]


class ValidateIn(Schema):
    flow_id: str
    body: dict[str, Any]


class ProblemsOut(Schema):
    problems: list[ProblemOut]


class ConditionIn(Schema):
    expression: str | bool


class ConditionOut(Schema):
    ok: bool
    message: str


class SlotOption(Schema):
    name: str
    type: str
    values: list[str]


class FlowOption(Schema):
    flow_id: str
    name: str


class CatalogOut(Schema):
    slots: list[SlotOption]
    responses: list[str]
    actions: list[str]
    flows: list[FlowOption]


class SlotIn(Schema):
    name: str = Field(..., max_length=200)
    type: str = Field("text", max_length=40)
    values: list[str] = []


class ResponseIn(Schema):
    name: str = Field(..., max_length=200)
    text: str = Field(..., min_length=1, max_length=5000)


class ActionIn(Schema):
    name: str = Field(..., max_length=200)


class CreatedOut(Schema):
    name: str
