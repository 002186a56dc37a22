from __future__ import annotations

import os

from django.contrib.auth import get_user_model
from django.db import transaction

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
