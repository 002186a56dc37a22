from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from studio.assistants.schemas import ObjectBody


class CommentOut(Schema):
    id: int
    thread_id: int
    revision: int
    author: str | None
    body: str
    html: str = Field(..., description="the body escaped, line breaks as <br>, mentioned members linked")
    mentions: list[str]
    created_at: datetime
    edited_at: datetime | None


class ThreadOut(Schema):
    id: int
    kind: str = Field(..., description="flow-step or response")
    target: str
    outdated: bool = Field(..., description="the step, flow or response it is about was deleted")
    flow_id: str | None
    step_id: str | None
    response: str | None
    resolved: bool
    resolved_by: str | None
    resolved_at: datetime | None
    created_by: str | None
    created_at: datetime
    comments: list[CommentOut]


class StepCountOut(Schema):
    open: int
    resolved: int


class ThreadIn(ObjectBody):
    kind: str = Field(..., description="flow-step or response")
    flow_id: str = ""
    step_id: str = ""
    response: str = ""
    body: str


class CommentIn(ObjectBody):
    body: str


class CommentEditIn(ObjectBody):
    body: str
    revision: int = Field(..., description="the comment's revision as loaded; 409 when it was edited since")
