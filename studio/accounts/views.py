from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from studio.accounts import password_gate, services
from studio.accounts.forms import MemberForm
from studio.accounts.permissions import CAN_MANAGE, CAN_READ, role_for
from studio.accounts.selectors import member_list
from studio.assistants.selectors import assistant_get_for_user
from studio.core.exceptions import ValidationFailed
from studio.core.pages import domain_errors_as_pages


def _members_page(request: HttpRequest, assistant, form: MemberForm, status: int = 200,
                  error: str = "") -> TemplateResponse:
    context = {
        "error": error,
        "assistant": assistant,
        "members": member_list(assistant),
        "form": form,
        "can_manage": role_for(request.user, assistant) in CAN_MANAGE,
    }
    # htmx posts swap only the members panel.
    template = "accounts/members.html#members-panel" if request.htmx else "accounts/members.html"
    return TemplateResponse(request, template, context, status=status)


@login_required
@require_GET
@domain_errors_as_pages
def members_page(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    return _members_page(request, assistant, MemberForm())


@login_required
@require_POST
@domain_errors_as_pages
def member_set_view(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_MANAGE)
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            services.membership_set(user=request.user, assistant=assistant, **form.cleaned_data)
        except ValidationFailed as exc:
            for problem in exc.problems:
                form.add_error(str(problem.loc[0]), problem.msg)
        else:
            return _members_page(request, assistant, MemberForm()) if request.htmx else redirect(
                "members", slug=slug)
    return _members_page(request, assistant, form, status=400)


@login_required
@require_POST
@domain_errors_as_pages
def member_remove_view(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_MANAGE)
    try:
        services.membership_remove(user=request.user, assistant=assistant, username=username)
    except ValidationFailed as exc:
        return _members_page(request, assistant, MemberForm(), status=400, error=f"{username}: {exc.problems[0].msg}")
    return _members_page(request, assistant, MemberForm()) if request.htmx else redirect("members", slug=slug)


def locked_out(request: HttpRequest, response: HttpResponse | None = None,
               credentials: dict | None = None) -> HttpResponse:
    """What django-axes answers once a username has failed too often from one address."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    # Rendered here: axes returns it from a middleware, after TemplateResponses would be rendered.
    return render(request, "accounts/locked_out.html", {"lockout_minutes": minutes}, status=429)


@login_required
@require_http_methods(["GET", "POST"])
def password_change_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST if request.method == "POST" else None)
    if form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)  # stay logged in here; other sessions end
        password_gate.change_done(request.session)
        messages.success(request, "Password changed.")
        return redirect("dashboard")
    context = {"form": form, "required": password_gate.change_required(request.session)}
    return TemplateResponse(request, "accounts/password_change.html", context,
                            status=400 if request.method == "POST" else 200)
