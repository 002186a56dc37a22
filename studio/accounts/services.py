from __future__ import annotations

import os

from django.contrib.auth import get_user_model
from django.db import transaction

from studio.accounts.models import Membership, Role
from studio.accounts.permissions import CAN_MANAGE, require_role
from studio.core.exceptions import NotFound, ValidationFailed

ADMIN_USERNAME = "admin"


def admin_password() -> str:
    return os.environ.get("STUDIO_ADMIN_PASSWORD") or "admin"


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


def _last_owner_guard(assistant, membership: Membership | None) -> None:
    if membership is None or membership.role != Role.OWNER:
        return
    if not Membership.objects.filter(assistant=assistant, role=Role.OWNER).exclude(pk=membership.pk).exists():
        raise ValidationFailed.one("role", msg="an assistant needs at least one owner")


@transaction.atomic
def membership_set(*, user, assistant, username: str, role: str) -> Membership:
    """Give `username` a role on the assistant (add or change); owners only."""
    require_role(user, assistant, *CAN_MANAGE)
    if role not in Role.values:
        raise ValidationFailed.one("role", msg=f"{role!r} is not a role; use one of {', '.join(Role.values)}")
    member = get_user_model().objects.filter(username=username).first()
    if member is None:
        raise ValidationFailed.one("username", msg=f"there is no user named {username!r}")
    current = Membership.objects.select_for_update().filter(user=member, assistant=assistant).first()
    if role != Role.OWNER:
        _last_owner_guard(assistant, current)
    membership, _ = Membership.objects.update_or_create(user=member, assistant=assistant, defaults={"role": role})
    return membership


@transaction.atomic
def membership_remove(*, user, assistant, username: str) -> None:
    require_role(user, assistant, *CAN_MANAGE)
    membership = Membership.objects.select_for_update().filter(
        assistant=assistant, user__username=username
    ).first()
    if membership is None:
        raise NotFound(f"{username!r} is not a member of {assistant.slug!r}")
    _last_owner_guard(assistant, membership)
    membership.delete()
