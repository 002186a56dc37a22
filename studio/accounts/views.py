from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods

from studio.accounts import password_gate, services
from studio.accounts.exceptions import InvitationExpired
from studio.accounts.forms import OwnPasswordChangeForm
from studio.accounts.permissions import role_for
from studio.accounts.selectors import invitation_get_by_token, invitation_temporary_password_check
from studio.core.exceptions import DomainError, ValidationFailed

INVITATION_SESSION_KEY = "studio_invitation_token"


def locked_out(request: HttpRequest, response: HttpResponse | None = None,
               credentials: dict | None = None) -> HttpResponse:
    """What django-axes answers once a username has failed too often from one address."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    # Rendered here: axes returns it from a middleware, after TemplateResponses would be rendered.
    return render(request, "accounts/locked_out.html", {"lockout_minutes": minutes}, status=429)


@login_required
@require_http_methods(["GET", "POST"])
def password_change_view(request: HttpRequest) -> HttpResponse:
    context = {"reason": password_gate.change_reason(request.session)}
    try:
        invitation_temporary_password_check(request.user)
    except InvitationExpired as exc:
        return TemplateResponse(request, "accounts/password_change.html", {**context, "expired": exc.message},
                                status=exc.status)
    form = OwnPasswordChangeForm(request.user, request.POST if request.method == "POST" else None)
    if form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)  # stay logged in here; other sessions end
        password_gate.change_done(request.session)
        invited_to = services.invitation_password_changed(user=form.user)
        messages.success(request, "Password changed.")
        if invited_to:
            return redirect("assistant_overview", slug=invited_to[0].assistant.slug)
        return redirect("dashboard")
    return TemplateResponse(request, "accounts/password_change.html", {**context, "form": form},
                            status=400 if request.method == "POST" else 200)


@require_GET
def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    """Keep the token in the session and move on, as Django's password reset does: the page the
    person fills in has no token in its address, so neither a Referer header nor a log line of a
    refused request can carry it."""
    request.session[INVITATION_SESSION_KEY] = token
    return redirect("invitation_accept")


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest) -> HttpResponse:
    token = request.session.get(INVITATION_SESSION_KEY, "")
    try:
        invitation = invitation_get_by_token(token)
    except DomainError as exc:
        return TemplateResponse(request, "accounts/invitation.html", {"problem": exc.message}, status=exc.status)
    form = SetPasswordForm(invitation.user, request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            invitation = services.invitation_accept(token=token, password=form.cleaned_data["new_password1"])
        except ValidationFailed as exc:
            form.add_error("new_password1", exc.problems[0].msg)
        except DomainError as exc:  # used or expired while the form was open
            return TemplateResponse(request, "accounts/invitation.html", {"problem": exc.message}, status=exc.status)
        else:
            request.session.pop(INVITATION_SESSION_KEY, None)
            # The service's copy of the user: it has the new password hash the session must match.
            login(request, invitation.user, backend="django.contrib.auth.backends.ModelBackend")
            role = role_for(invitation.user, invitation.assistant)
            messages.success(request, f"Welcome, {invitation.user.get_username()}: you are {role} on "
                                      f"{invitation.assistant.name}.")
            return redirect("assistant_overview", slug=invitation.assistant.slug)
    context = {"form": form, "invitation": invitation}
    return TemplateResponse(request, "accounts/invitation.html", context,
                            status=400 if request.method == "POST" else 200)
