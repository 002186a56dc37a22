"""Pages for system flows (Rasa's built-in patterns): the list, a default's YAML, customise, diff, reset."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from studio.accounts.permissions import CAN_EDIT_FLOWS, CAN_READ, role_for
from studio.assistants.selectors import assistant_get_for_user
from studio.assistants.system_flows import (
    system_flow_customise,
    system_flow_diff,
    system_flow_get,
    system_flow_list,
    system_flow_reset,
    system_flow_yaml,
)
from studio.core.exceptions import RevisionConflict, ValidationFailed
from studio.core.pages import domain_errors_as_pages


def _context(request: HttpRequest, assistant, **extra) -> dict:
    return {"assistant": assistant, "can_edit": role_for(request.user, assistant) in CAN_EDIT_FLOWS, **extra}


@login_required
@require_GET
@domain_errors_as_pages
def system_flow_list_page(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    context = _context(request, assistant, system_flows=system_flow_list(assistant))
    return TemplateResponse(request, "editor/system_flows.html", context)


@login_required
@require_GET
@domain_errors_as_pages
def system_flow_page(request: HttpRequest, slug: str, flow_id: str) -> HttpResponse:
    """The default content as YAML (a customised pattern opens in the graph editor instead)."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    system_flow = system_flow_get(assistant, flow_id)
    context = _context(request, assistant, system_flow=system_flow,
                       default_yaml=system_flow_yaml(flow_id, system_flow.default))
    return TemplateResponse(request, "editor/system_flow.html", context)


@login_required
@require_POST
@domain_errors_as_pages
def system_flow_customise_page(request: HttpRequest, slug: str, flow_id: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_EDIT_FLOWS)
    try:
        system_flow_customise(user=request.user, assistant=assistant, flow_id=flow_id)
    except ValidationFailed as exc:
        messages.error(request, f"Customise {flow_id}: {exc.problems[0].msg}")
        return redirect("system_flow_list", slug=assistant.slug)
    return redirect("flow_editor", slug=assistant.slug, flow_id=flow_id)


@login_required
@require_GET
@domain_errors_as_pages
def system_flow_diff_page(request: HttpRequest, slug: str, flow_id: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    system_flow = system_flow_get(assistant, flow_id)
    context = _context(request, assistant, system_flow=system_flow, diff=system_flow_diff(system_flow))
    return TemplateResponse(request, "editor/system_flow_diff.html", context)


def _revision(request: HttpRequest) -> int | None:
    value = request.POST.get("revision", "")
    return int(value) if value.isdigit() else None


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_pages
def system_flow_reset_page(request: HttpRequest, slug: str, flow_id: str) -> HttpResponse:
    """GET confirms with the diff the reset throws away; POST (with the reviewed revision) resets."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_EDIT_FLOWS)
    status, conflict = 200, ""
    if request.method == "POST":
        try:
            system_flow_reset(user=request.user, assistant=assistant, flow_id=flow_id, revision=_revision(request))
        except RevisionConflict as exc:
            status, conflict = 409, f"{exc.message}. Review the changes again before resetting."
        else:
            messages.success(request, f"Reset {flow_id} to Rasa's default")
            return redirect("system_flow_list", slug=assistant.slug)
    system_flow = system_flow_get(assistant, flow_id)
    context = _context(request, assistant, system_flow=system_flow, diff=system_flow_diff(system_flow),
                       conflict=conflict)
    return TemplateResponse(request, "editor/system_flow_reset.html", context, status=status)
