"""Outside DEBUG, a user still on the default admin password must change it before anything else.

Decided once at login (one hash) and remembered in the session, so no request pays for a hash.
"""
from __future__ import annotations

from typing import Callable

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from studio.accounts.services import DEFAULT_ADMIN_PASSWORD

SESSION_KEY = "studio_password_change_required"


def note_default_password(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """A `user_logged_in` receiver. hashers.check_password: no rehash, so the session hash stays valid."""
    if request is not None and not settings.DEBUG and check_password(DEFAULT_ADMIN_PASSWORD, user.password):
        request.session[SESSION_KEY] = True


def change_required(session) -> bool:
    return bool(session.get(SESSION_KEY))


def change_done(session) -> None:
    session.pop(SESSION_KEY, None)


def refusal_message() -> str:
    return f"Change the default password first: open {reverse('password_change')}"


class DefaultPasswordGateMiddleware:
    """Pages redirect to the password change page; the API answers 403 saying so."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if change_required(request.session) and not self._exempt(request.path_info):
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": refusal_message()}, status=403)
            return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        allowed = (reverse("password_change"), reverse("logout"), reverse("login"), reverse("health"))
        return path in allowed or path.startswith(settings.STATIC_URL)
