from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from studio.accounts.models import Invitation, InviteMethod, Membership, Role
from studio.accounts.permissions import CAN_MANAGE, require_role
from studio.accounts.selectors import INVALID_LINK, invitation_get_by_token, token_digest
from studio.core.exceptions import NotFound, ValidationFailed

ADMIN_USERNAME = "admin"
DEFAULT_ADMIN_PASSWORD = "admin"  # outside DEBUG, password_gate makes whoever still uses it change it


def admin_password() -> str:
    return os.environ.get("STUDIO_ADMIN_PASSWORD") or DEFAULT_ADMIN_PASSWORD


@transaction.atomic
def admin_ensure(*, password: str | None = None) -> tuple[object, bool]:
    """The local `admin` superuser, created when missing; an existing password is left alone."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=ADMIN_USERNAME, defaults={"is_staff": True, "is_superuser": True, "email": ""}
    )
    if created:
        user.set_password(password or admin_password())
        user.save(update_fields=["password"])
    return user, created


def _lock_memberships(user, assistant) -> dict[str, Membership]:
    """Lock every membership of the assistant, then check the caller is (still) an owner.

    Locking only the changed row let two owners demote each other at once: each saw the other
    as the remaining owner. With all rows locked the second change waits, then sees the first.
    """
    rows = (Membership.objects.select_for_update(of=("self",)).filter(assistant=assistant)
            .select_related("user").order_by("pk"))  # of=self: the users' rows stay unlocked
    locked = {row.user.get_username(): row for row in rows}
    require_role(user, assistant, *CAN_MANAGE)
    return locked


def _last_owner_guard(memberships: dict[str, Membership], membership: Membership | None) -> None:
    """An owner who has not set a password yet does not count: the invitation may never be used."""
    if membership is None or membership.role != Role.OWNER:
        return
    invited = set(Invitation.objects.filter(assistant_id=membership.assistant_id, accepted_at=None)
                  .values_list("user_id", flat=True))
    if not any(row.role == Role.OWNER and row.pk != membership.pk and row.user_id not in invited
               for row in memberships.values()):
        raise ValidationFailed.one("role", msg="an assistant needs at least one owner")


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationFailed.one("role", msg=f"{role!r} is not a role; use one of {', '.join(Role.values)}")


@transaction.atomic
def membership_set(*, user, assistant, username: str, role: str) -> Membership:
    """Give `username` a role on the assistant (add or change); owners only."""
    memberships = _lock_memberships(user, assistant)
    _check_role(role)
    member = get_user_model().objects.filter(username=username).first()
    if member is None:
        raise ValidationFailed.one("username", msg=f"there is no user named {username!r}")
    if role != Role.OWNER:
        _last_owner_guard(memberships, memberships.get(username))
    membership, _ = Membership.objects.update_or_create(user=member, assistant=assistant, defaults={"role": role})
    return membership


@transaction.atomic
def membership_remove(*, user, assistant, username: str) -> None:
    memberships = _lock_memberships(user, assistant)
    membership = memberships.get(username)
    if membership is None:
        raise NotFound(f"{username!r} is not a member of {assistant.slug!r}")
    _last_owner_guard(memberships, membership)
    membership.delete()
    for invitation in Invitation.objects.filter(assistant=assistant, user=membership.user, accepted_at=None):
        _invitation_forget(invitation)


# --- Invitations ----------------------------------------------------------------------------------
INVITATION_LIFETIME = timedelta(hours=72)


@dataclass(frozen=True)
class InvitationIssued:
    """What an invite did. `secret` (link token or temporary password) is shown once, stored only hashed."""

    membership: Membership
    invitation: Invitation | None = None  # None: an existing account was added directly
    secret: str = ""

    @property
    def link_path(self) -> str:
        if self.invitation is None or self.invitation.method != InviteMethod.LINK:
            return ""
        return reverse("invitation_open", args=[self.secret])

    @property
    def temporary_password(self) -> str:
        return self.secret if self.invitation is not None and self.invitation.method == InviteMethod.PASSWORD else ""


@transaction.atomic
def invitation_create(*, user, assistant, username: str, role: str, method: str = InviteMethod.LINK,
                      email: str = "") -> InvitationIssued:
    """Make `username` a member; a new account gets a one-time link or a temporary password."""
    memberships = _lock_memberships(user, assistant)
    _check_role(role)
    if method not in InviteMethod.values:
        raise ValidationFailed.one("method", msg=f"{method!r} is not a way to invite; use link or password")
    if username in memberships:
        raise ValidationFailed.one("username", msg=f"{username!r} is already a member; change their role in the list")
    existing = get_user_model().objects.filter(username=username).first()
    if existing is not None:
        return InvitationIssued(Membership.objects.create(user=existing, assistant=assistant, role=role))
    secret = secrets.token_urlsafe(32 if method == InviteMethod.LINK else 12)
    member = _account_create(username=username, email=email,
                             password=secret if method == InviteMethod.PASSWORD else None)
    invitation = Invitation.objects.create(
        assistant=assistant, user=member, method=method, invited_by=user,
        token_hash=token_digest(secret) if method == InviteMethod.LINK else None,
        expires_at=timezone.now() + INVITATION_LIFETIME)
    membership = Membership.objects.create(user=member, assistant=assistant, role=role)
    return InvitationIssued(membership, invitation, secret)


def _account_create(*, username: str, email: str, password: str | None):
    User = get_user_model()
    try:
        User.username_validator(username)
        if len(username) > 150:
            raise ValidationError("Ensure this value has at most 150 characters.")
    except ValidationError as exc:
        raise ValidationFailed.one("username", msg=" ".join(exc.messages)) from exc
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValidationFailed.one("email", msg=" ".join(exc.messages)) from exc
    member = User(username=username, email=email)
    member.set_password(password)  # None: unusable until the link is used
    try:
        with transaction.atomic():  # another owner may invite the same new name at the same moment
            member.save()
    except IntegrityError as exc:
        raise ValidationFailed.one("username", msg=f"{username!r} was just taken; try again") from exc
    return member


@transaction.atomic
def invitation_revoke(*, user, assistant, invitation_id: int) -> None:
    """Withdraw a pending invitation: the membership goes, and the account if nothing else uses it."""
    memberships = _lock_memberships(user, assistant)
    invitation = (Invitation.objects.select_for_update(of=("self",)).select_related("user")
                  .filter(assistant=assistant, pk=invitation_id, accepted_at=None).first())
    if invitation is None:
        raise NotFound(f"There is no pending invitation {invitation_id} on {assistant.slug!r}")
    membership = memberships.get(invitation.user.get_username())
    if membership is not None:
        membership.delete()
    _invitation_forget(invitation)


def _invitation_forget(invitation: Invitation) -> None:
    """The account only ever had the invitation's credential, so that credential must stop working."""
    invitee = invitation.user
    invitation.delete()
    if not invitee.memberships.exists():
        invitee.delete()
    else:  # another owner added the account directly meanwhile: keep it, without the revoked credential
        invitee.set_unusable_password()
        invitee.save(update_fields=["password"])


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> Invitation:
    """Give the invited account its own password; the link works once."""
    invitation = invitation_get_by_token(token, for_update=True)  # the lock makes a second use wait, then fail
    member = invitation.user
    try:
        validate_password(password, member)
    except ValidationError as exc:
        raise ValidationFailed.one("password", msg=" ".join(exc.messages)) from exc
    invitation.accepted_at = timezone.now()
    # Conditional too: SQLite ignores the row lock, so the claim itself must be single use.
    if not Invitation.objects.filter(pk=invitation.pk, accepted_at=None).update(accepted_at=invitation.accepted_at):
        raise NotFound(INVALID_LINK)
    member.set_password(password)
    member.save(update_fields=["password"])
    return invitation


def invitation_password_changed(*, user) -> list[Invitation]:
    """After a forced change, the temporary-password invitations of `user` are done; returns them."""
    pending = list(Invitation.objects.filter(user=user, accepted_at=None, method=InviteMethod.PASSWORD)
                   .select_related("assistant"))
    Invitation.objects.filter(pk__in=[i.pk for i in pending]).update(accepted_at=timezone.now())
    return pending
