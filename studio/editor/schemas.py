from __future__ import annotations

from typing import Any, Literal

from ninja import Field, Schema

from studio.assistants.schemas import FlowOut, FlowSummaryOut


class ProblemOut(Schema):
    flow_id: str | None
    step_id: str | None
    message: str


class MergeNoteOut(Schema):
    """What a save merged with: the other saver's revision and what each side changed."""

    theirs_revision: int
    theirs_by: str | None
    theirs_changed: list[str]
    mine_changed: list[str]
    message: str


class EditorFlowOut(FlowOut):
    """The one flow shape of the API (also served by the assistants router's flow route)."""

    problems: list[ProblemOut]


class EditorFlowSavedOut(EditorFlowOut):
    merge: MergeNoteOut | None = None  # set when this save was merged with someone else's


class MergeIn(Schema):
    """What a save sends so a stale revision can be merged instead of refused (see flow_save)."""

    resolutions: dict[str, Literal["mine", "theirs"]] = {}
    seen_revision: int | None = None


class FlowSaveIn(MergeIn):
    body: dict[str, Any]
    revision: int
    base: dict[str, Any] | None = None  # the body as loaded at `revision`


class FlowCreateIn(Schema):
    flow_id: str = Field(..., max_length=200)
    name: str = Field("", max_length=200)
    description: str = Field("", max_length=5000)


class FlowDuplicateIn(Schema):
    new_flow_id: str = Field(..., max_length=200)


class UsageOut(Schema):
    flow_id: str  # the flow whose step names it ("" outside flows: e2e tests, slot mappings, config)
    kind: str
    step_id: str
    where: str = ""
    file: str = ""
    line: int | None = None


class FlowListItemOut(FlowSummaryOut):
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


class ResponseOut(Schema):
    name: str
    revision: int
    variations: list[dict[str, Any]]


class ResponseSavedOut(ResponseOut):
    merge: MergeNoteOut | None = None  # set when this save was merged with someone else's


class ResponseSaveIn(MergeIn):
    variations: list[dict[str, Any]]
    revision: int
    base: list[dict[str, Any]] | None = None  # the variations as loaded at `revision`


class SystemFlowOut(Schema):
    """A built-in pattern: its default body and whether the assistant customises it."""

    flow_id: str
    name: str
    description: str
    customised: bool
    revision: int | None  # the override's revision (send it to reset); None while default
    default: dict[str, Any]


class SystemFlowDiffOut(Schema):
    flow_id: str
    diff: str


class ItemUsageOut(Schema):
    """One place that names a slot or action (the exchange's usages index)."""

    file: str
    line: int | None = None
    where: str
    removable: bool
    code: bool


class SlotListItemOut(Schema):
    name: str
    type: str
    revision: int
    used_in: int


class SlotOut(Schema):
    name: str
    revision: int
    definition: dict[str, Any]
    usages: list[ItemUsageOut]


class SlotSaveIn(Schema):
    definition: dict[str, Any]
    revision: int


class ActionListItemOut(Schema):
    name: str
    revision: int
    definition: dict[str, Any] | None
    used_in: int


class ActionOut(Schema):
    name: str
    revision: int
    definition: dict[str, Any] | None
    usages: list[ItemUsageOut]


class ActionSaveIn(Schema):
    definition: dict[str, Any] | None = None
    revision: int
