"""A user must choose a password before anything else when they still use the default admin
password (outside DEBUG) or logged in with the temporary password an owner's invitation gave them.

Decided once at login (one hash) and remembered in the session, so no request pays for a hash.
"""
from __future__ import annotations

from typing import Callable

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from studio.accounts.models import Invitation, InviteMethod
from studio.accounts.services import DEFAULT_ADMIN_PASSWORD

SESSION_KEY = "studio_password_change_required"
DEFAULT, TEMPORARY = "default", "temporary"  # why the change is required, kept as the session value


def note_password_change_required(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """A `user_logged_in` receiver. hashers.check_password: no rehash, so the session hash stays valid."""
    if request is None:
        return
    if Invitation.objects.filter(user=user, accepted_at=None, method=InviteMethod.PASSWORD).exists():
        request.session[SESSION_KEY] = TEMPORARY
    elif not settings.DEBUG and check_password(DEFAULT_ADMIN_PASSWORD, user.password):
        request.session[SESSION_KEY] = DEFAULT


def change_required(session) -> bool:
    return bool(session.get(SESSION_KEY))


def change_reason(session) -> str | None:
    """TEMPORARY, DEFAULT or None; older sessions stored True, which meant the default password."""
    value = session.get(SESSION_KEY)
    return TEMPORARY if value == TEMPORARY else DEFAULT if value else None


def change_done(session) -> None:
    session.pop(SESSION_KEY, None)


def refusal_message(reason: str | None = DEFAULT) -> str:
    what = "your temporary password" if reason == TEMPORARY else "the default password"
    return f"Change {what} first: open {reverse('password_change')}"


class DefaultPasswordGateMiddleware:
    """Pages redirect to the password change page; the API answers 403 saying so."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if change_required(request.session) and not self._exempt(request.path_info):
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": refusal_message(change_reason(request.session))}, status=403)
            return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        allowed = (reverse("password_change"), reverse("logout"), reverse("login"), reverse("health"))
        return path in allowed or path.startswith(settings.STATIC_URL)
