"""Shared bits of the import/export commands: who acts, and how problems are printed."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from studio.assistants.models import Assistant
from studio.exchange.yamlproject import Problem


def acting_user(username: str | None):
    """The user the command acts as: --user, else the first superuser (the studio admin)."""
    users = get_user_model().objects
    user = users.filter(username=username).first() if username else users.filter(is_superuser=True).order_by("id").first()
    if user is None:
        who = f"user {username!r}" if username else "a superuser (run `manage.py ensure_admin`)"
        raise CommandError(f"cannot act: no {who}")
    return user


def find_assistant(name_or_slug: str) -> Assistant:
    assistant = Assistant.objects.filter(slug=name_or_slug).first()
    if assistant is None:
        matches = list(Assistant.objects.filter(name=name_or_slug)[:2])
        if len(matches) > 1:
            raise CommandError(f"several assistants are named {name_or_slug!r}; use the slug")
        assistant = matches[0] if matches else None
    if assistant is None:
        raise CommandError(f"no assistant with slug or name {name_or_slug!r}")
    return assistant


def format_problems(problems: list[Problem]) -> str:
    return "\n".join(f"  - {p}" for p in problems)
