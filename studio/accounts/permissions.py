"""Per-assistant roles. Superusers act as owner everywhere.

Capabilities: viewer = read + try-it; writer = viewer + responses; designer = writer + flows,
slots, actions, import; owner = everything, including deleting the assistant, members, settings.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from studio.accounts.models import Membership, Role
from studio.core.exceptions import Forbidden, NotFound

if TYPE_CHECKING:
    from studio.assistants.models import Assistant

OWNER, DESIGNER, WRITER, VIEWER = Role.OWNER.value, Role.DESIGNER.value, Role.WRITER.value, Role.VIEWER.value

# Role tuples per capability, for `require_role(user, assistant, *CAN_EDIT_FLOWS)`.
CAN_READ = (OWNER, DESIGNER, WRITER, VIEWER)
CAN_TRY = CAN_READ
CAN_EDIT_RESPONSES = (OWNER, DESIGNER, WRITER)
CAN_EDIT_FLOWS = (OWNER, DESIGNER)
CAN_EDIT_SLOTS = CAN_EDIT_FLOWS
CAN_EDIT_ACTIONS = CAN_EDIT_FLOWS
CAN_IMPORT = CAN_EDIT_FLOWS
CAN_MANAGE = (OWNER,)


_LOOK_UP = object()


def role_for(user, assistant: Assistant, *, member_role: str | None | object = _LOOK_UP) -> str | None:
    """The user's role on the assistant, or None when they have no access.

    `member_role` is the membership's role when the caller already read it with its own row
    (a try-it turn), so the check costs no query of its own."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return OWNER
    if member_role is not _LOOK_UP:
        return member_role
    return Membership.objects.filter(user=user, assistant=assistant).values_list("role", flat=True).first()


def require_role(user, assistant: Assistant, *roles: str, member_role: str | None | object = _LOOK_UP) -> str:
    """The user's role, if it is one of `roles` (any role when none given).

    No access at all is NotFound, so outsiders cannot tell which assistants exist.
    """
    role = role_for(user, assistant, member_role=member_role)
    if role is None:
        raise NotFound(f"Assistant {assistant.slug!r} not found")
    if roles and role not in roles:
        raise Forbidden(f"Your role on {assistant.name!r} is {role}; this needs {' or '.join(roles)}")
    return role
