"""Custom action pages: the list (usages, search), the options editor with the mock link, and the new-action form.

Rename and delete are the exchange's item pages (preview, refusal with usages); these pages link there.
"""
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods

from studio.accounts.permissions import CAN_EDIT_ACTIONS, CAN_READ, role_for
from studio.assistants import slot_services
from studio.assistants.models import CustomAction
from studio.assistants.selectors import action_get, assistant_get_for_user
from studio.core.pages import domain_errors_as_pages
from studio.editor.action_forms import ActionCreateForm, ActionForm
from studio.editor.item_pages import (item_list_response, item_usages, matches, optional_url,
                                      posted_revision, saved_or_none, search_query)


@login_required
@require_GET
@domain_errors_as_pages
def action_list_page(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    query = search_query(request)
    actions = [a for a in CustomAction.objects.filter(assistant=assistant).ordered() if matches(query, a.name)]
    return item_list_response(request, assistant, kind="actions", rows=actions, edit_roles=CAN_EDIT_ACTIONS)


def _edit_context(request: HttpRequest, assistant, action: CustomAction | None, form) -> dict:
    return {"assistant": assistant, "action": action, "form": form,
            "usages": item_usages(assistant, "actions", action.name) if action else [],
            "mock_url": optional_url("action_mock", slug=assistant.slug, name=action.name) if action else "",
            "can_edit": role_for(request.user, assistant) in CAN_EDIT_ACTIONS}


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_pages
def action_edit_page(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    # Readers see the page; a save is refused before its form is read.
    roles = CAN_READ if request.method == "GET" else CAN_EDIT_ACTIONS
    assistant = assistant_get_for_user(request.user, slug, *roles)
    action = action_get(assistant, name)
    if request.method == "GET":
        form = ActionForm(initial=ActionForm.initial_for(action.definition))
        return TemplateResponse(request, "editor/action_edit.html", _edit_context(request, assistant, action, form))
    form = ActionForm(request.POST)
    if form.is_valid():
        saved = saved_or_none(request, form, lambda: slot_services.action_update(
            user=request.user, assistant=assistant, name=name, definition=form.definition(action.definition),
            revision=posted_revision(request)), done=f"Saved action {name}", page="action_edit", slug=slug, name=name)
        if saved:
            return saved
    return TemplateResponse(request, "editor/action_edit.html", _edit_context(request, assistant, action, form),
                            status=400)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_pages
def action_create_page(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_EDIT_ACTIONS)
    form = ActionCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"]
        saved = saved_or_none(request, form, lambda: slot_services.action_create(
            user=request.user, assistant=assistant, name=name, definition=form.definition(None)),
            done=f"Created action {name}", page="action_edit", slug=slug, name=name)
        if saved:
            return saved
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "editor/action_edit.html", _edit_context(request, assistant, None, form),
                            status=status)
