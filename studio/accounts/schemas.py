from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from studio.accounts.models import InviteMethod
from studio.assistants.schemas import ObjectBody


class InvitationIn(ObjectBody):
    username: str = Field(..., min_length=1, max_length=150)
    role: str
    email: str = Field("", max_length=254, description="Stored on a new account only.")
    method: str = Field(InviteMethod.LINK.value,
                        description="How a new account gets its first password: `link` or `password`.")


class InvitationOut(Schema):
    id: int
    username: str
    email: str
    role: str
    method: str
    invited_by: str | None
    created_at: datetime
    expires_at: datetime
    expired: bool


class InvitationIssuedOut(Schema):
    username: str
    role: str
    added: bool = Field(..., description="True when the account already existed and was added directly.")
    invitation: InvitationOut | None
    link: str | None = Field(None, description="The one-time link, in this response only.")
    temporary_password: str | None = Field(None, description="In this response only; it must be changed at "
                                                              "first login.")
