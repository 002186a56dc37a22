"""The mock page of one custom action: what try-it and tests answer when no action server does."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from studio.accounts.permissions import CAN_EDIT_ACTIONS, CAN_READ, role_for
from studio.assistants.selectors import assistant_get_for_user
from studio.core.exceptions import RevisionConflict, ValidationFailed
from studio.core.pages import domain_errors_as_pages
from studio.tryit.mock_forms import EXAMPLE, MockForm, mock_yaml
from studio.tryit.mock_services import action_get_for_user, action_mock_save
from studio.tryit.mocks import mock_summary


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_pages
def action_mock_page(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    action = action_get_for_user(request.user, assistant, name)
    if request.method == "GET":
        form = MockForm(initial={"mock": mock_yaml(action.mock), "revision": action.revision})
        return _page(request, assistant, action, form)
    form, status = MockForm(request.POST), 400
    if form.is_valid():
        try:
            action_mock_save(user=request.user, assistant=assistant, name=name, mock=form.cleaned_data["mock"],
                             revision=form.cleaned_data["revision"])
        except ValidationFailed as exc:
            form.add_error("mock", [f"{'.'.join(map(str, p.loc))}: {p.msg}" for p in exc.problems])
        except RevisionConflict as exc:
            form.add_error(None, exc.message)
            status = 409
        else:
            messages.success(request, f"Saved the mock of {name}")
            return redirect("action_mock", slug=assistant.slug, name=name)
    return _page(request, assistant, action, form, status=status)


def _page(request: HttpRequest, assistant, action, form: MockForm, *, status: int = 200) -> TemplateResponse:
    context = {"assistant": assistant, "action": action, "form": form, "summary": mock_summary(action.mock),
               "has_mock": action.mock is not None, "example": EXAMPLE,
               "can_edit": role_for(request.user, assistant) in CAN_EDIT_ACTIONS}
    template = "tryit/action_mock.html#mock-form" if request.htmx and request.method == "POST" else \
        "tryit/action_mock.html"
    return TemplateResponse(request, template, context, status=status)
