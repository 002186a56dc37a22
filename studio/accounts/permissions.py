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


def role_for(user, assistant: Assistant) -> str | None:
    """The user's role on the assistant, or None when they have no access."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return OWNER
    return Membership.objects.filter(user=user, assistant=assistant).values_list("role", flat=True).first()


def require_role(user, assistant: Assistant, *roles: str) -> str:
    """The user's role, if it is one of `roles` (any role when none given).

    No access at all is NotFound, so outsiders cannot tell which assistants exist.
    """
    role = role_for(user, assistant)
    if role is None:
        raise NotFound(f"Assistant {assistant.slug!r} not found")
    if roles and role not in roles:
        raise Forbidden(f"Your role on {assistant.name!r} is {role}; this needs {' or '.join(roles)}")
    return role
