from __future__ import annotations

import os

from django.contrib.auth import get_user_model
from django.db import transaction

from studio.accounts.models import Membership, Role
from studio.accounts.permissions import CAN_MANAGE, require_role
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
    if membership is None or membership.role != Role.OWNER:
        return
    if not any(row.role == Role.OWNER and row.pk != membership.pk for row in memberships.values()):
        raise ValidationFailed.one("role", msg="an assistant needs at least one owner")


@transaction.atomic
def membership_set(*, user, assistant, username: str, role: str) -> Membership:
    """Give `username` a role on the assistant (add or change); owners only."""
    memberships = _lock_memberships(user, assistant)
    if role not in Role.values:
        raise ValidationFailed.one("role", msg=f"{role!r} is not a role; use one of {', '.join(Role.values)}")
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
