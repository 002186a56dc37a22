from __future__ import annotations

import hashlib

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import dateformat, timezone

from studio.accounts.exceptions import InvitationExpired
from studio.accounts.models import Invitation, InviteMethod, Membership
from studio.accounts.permissions import CAN_MANAGE, require_role
from studio.core.exceptions import NotFound

INVALID_LINK = "This invitation link is not valid: it was already used, or it was revoked."


def member_list(assistant) -> QuerySet[Membership]:
    """Members by name; `invited` is true while the person has not set their own password yet."""
    pending = Invitation.objects.filter(assistant=assistant, user=OuterRef("user"), accepted_at=None)
    return (Membership.objects.filter(assistant=assistant).select_related("user")
            .annotate(invited=Exists(pending)).order_by("user__username"))


def invitation_list_for_user(user, assistant) -> QuerySet[Invitation]:
    """Pending invitations (expired ones too, so they can be revoked), each with the member's `role`."""
    require_role(user, assistant, *CAN_MANAGE)
    role = Membership.objects.filter(assistant=assistant, user=OuterRef("user")).values("role")[:1]
    return (Invitation.objects.filter(assistant=assistant, accepted_at=None)
            .select_related("user", "invited_by").annotate(role=Subquery(role)).order_by("created_at", "pk"))


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_get_by_token(token: str, *, for_update: bool = False) -> Invitation:
    """The pending link invitation for `token`; holding the token is the permission."""
    rows = Invitation.objects.select_related("user", "assistant")
    if for_update:
        rows = rows.select_for_update(of=("self",))
    invitation = rows.filter(token_hash=token_digest(token), accepted_at=None, method=InviteMethod.LINK).first()
    if invitation is None:
        raise NotFound(INVALID_LINK)
    _refuse_expired(invitation, "This invitation link")
    return invitation


def invitation_temporary_password_check(user) -> None:
    """Raise InvitationExpired when the user still holds a temporary password whose time is up."""
    pending = Invitation.objects.filter(user=user, accepted_at=None, method=InviteMethod.PASSWORD)
    for invitation in pending.select_related("assistant"):
        _refuse_expired(invitation, "Your temporary password")


def _refuse_expired(invitation: Invitation, what: str) -> None:
    if invitation.expires_at <= timezone.now():
        when = dateformat.format(timezone.localtime(invitation.expires_at), "j M Y, H:i T")
        raise InvitationExpired(f"{what} expired on {when}. Ask an owner of {invitation.assistant.name!r} "
                                f"to invite you again.")
