"""The Members page: everyone on the assistant sees it; owners invite, change roles, remove, revoke."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_POST

from studio.accounts import services
from studio.accounts.forms import InviteForm, MemberForm
from studio.accounts.permissions import CAN_MANAGE, CAN_READ, role_for
from studio.accounts.selectors import invitation_list_for_user, member_list
from studio.assistants.selectors import assistant_get_for_user
from studio.core.exceptions import ValidationFailed
from studio.core.pages import domain_errors_as_pages


def _members_page(request: HttpRequest, assistant, *, status: int = 200, error: str = "",
                  invite_form: InviteForm | None = None, issued: dict | None = None) -> TemplateResponse:
    can_manage = role_for(request.user, assistant) in CAN_MANAGE
    context = {
        "error": error,
        "assistant": assistant,
        "members": member_list(assistant),
        "invitations": invitation_list_for_user(request.user, assistant) if can_manage else [],
        "roles": MemberForm.base_fields["role"].choices,
        "invite_form": invite_form or InviteForm(),
        "issued": issued,
        "can_manage": can_manage,
    }
    # htmx posts swap only the members panel.
    template = "accounts/members.html#members-panel" if request.htmx else "accounts/members.html"
    return TemplateResponse(request, template, context, status=status)


def _done(request: HttpRequest, assistant) -> HttpResponse:
    return _members_page(request, assistant) if request.htmx else redirect("members", slug=assistant.slug)


def _add_problems(form, exc: ValidationFailed) -> None:
    for problem in exc.problems:
        form.add_error(str(problem.loc[0]) if str(problem.loc[0]) in form.fields else None, problem.msg)


def _problems(form, exc: ValidationFailed | None = None) -> str:
    """Form and service problems as one line, labelled as the form labels its fields."""
    if exc is not None:
        _add_problems(form, exc)
    return " ".join(f"{form[name].label if name in form.fields else 'Error'}: {msg}"
                    for name, msgs in form.errors.items() for msg in msgs)


def _shown_once(request: HttpRequest, issued: services.InvitationIssued) -> dict:
    """What the owner passes on; the secret is in this one response and nowhere else."""
    return {"username": issued.membership.user.get_username(), "role": issued.membership.role,
            "invitation": issued.invitation, "password": issued.temporary_password,
            "link": request.build_absolute_uri(issued.link_path) if issued.link_path else ""}


@login_required
@require_GET
@domain_errors_as_pages
def members_page(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    return _members_page(request, assistant)


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
            return _members_page(request, assistant, status=400, error=_problems(form, exc))
        return _done(request, assistant)
    return _members_page(request, assistant, status=400, error=_problems(form))


@login_required
@require_POST
@domain_errors_as_pages
def member_remove_view(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_MANAGE)
    try:
        services.membership_remove(user=request.user, assistant=assistant, username=username)
    except ValidationFailed as exc:
        return _members_page(request, assistant, status=400, error=f"{username}: {exc.problems[0].msg}")
    return _done(request, assistant)


@login_required
@require_POST
@domain_errors_as_pages
def member_invite_view(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_MANAGE)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            issued = services.invitation_create(user=request.user, assistant=assistant, **form.cleaned_data)
        except ValidationFailed as exc:
            _add_problems(form, exc)
        else:
            # Rendered, not redirected: the secret must not survive this response (no-store, no session copy).
            response = _members_page(request, assistant, issued=_shown_once(request, issued))
            add_never_cache_headers(response)
            return response
    return _members_page(request, assistant, status=400, invite_form=form)


@login_required
@require_POST
@domain_errors_as_pages
def invitation_revoke_view(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_MANAGE)
    services.invitation_revoke(user=request.user, assistant=assistant, invitation_id=invitation_id)
    return _done(request, assistant)
