"""Pages: the flow list (search, create, duplicate, delete with a usages warning), the graph editor
and the responses (list and edit, addressed by any name Rasa allows)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from studio.accounts.permissions import CAN_EDIT_FLOWS, CAN_EDIT_RESPONSES, CAN_READ, role_for
from studio.assistants import services
from studio.assistants.models import Response
from studio.assistants.selectors import assistant_get_for_user, flow_get, flow_list
from studio.assistants.system_flows import flow_start, system_flow_ids
from studio.assistants.translations import translation_badges
from studio.core.exceptions import ValidationFailed
from studio.core.pages import domain_errors_as_pages
from studio.editor.forms import FlowCreateForm, FlowDuplicateForm
from studio.editor.item_pages import item_list_response, item_usages, matches, search_query
from studio.exchange.views import item_delete_response


def _list_context(request: HttpRequest, assistant, form=None) -> dict:
    query = request.GET.get("q", "").strip()
    flows = [f for f in flow_list(assistant) if query.lower() in f"{f.flow_id} {f.name} {f.description}".lower()]
    return {"assistant": assistant, "flows": flows, "q": query, "form": form or FlowCreateForm(),
            "can_edit": role_for(request.user, assistant) in CAN_EDIT_FLOWS, "system_flow_ids": system_flow_ids()}


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_pages
def flow_list_page(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    if request.method == "GET":
        template = "editor/flow_list.html#flow-table" if request.htmx else "editor/flow_list.html"
        return TemplateResponse(request, template, _list_context(request, assistant))
    form = FlowCreateForm(request.POST)
    if form.is_valid():
        try:
            fields = {k: v for k, v in form.cleaned_data.items() if k != "flow_id" and v}
            flow = flow_start(user=request.user, assistant=assistant, flow_id=form.cleaned_data["flow_id"],
                              fields=fields)
        except ValidationFailed as exc:
            form.add_domain_errors(exc)
        else:
            return redirect("flow_editor", slug=assistant.slug, flow_id=flow.flow_id)
    return TemplateResponse(request, "editor/flow_list.html", _list_context(request, assistant, form), status=400)


@login_required
@require_POST
@domain_errors_as_pages
def flow_duplicate_page(request: HttpRequest, slug: str, flow_id: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    form = FlowDuplicateForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Duplicate {flow_id}: give the copy a flow id")
        return redirect("flow_list", slug=assistant.slug)
    try:
        services.flow_duplicate(user=request.user, assistant=assistant, flow_id=flow_id,
                                new_flow_id=form.cleaned_data["new_flow_id"])
    except ValidationFailed as exc:
        messages.error(request, f"Duplicate {flow_id}: {exc.problems[0].msg}")
    else:
        messages.success(request, f"Duplicated {flow_id} as {form.cleaned_data['new_flow_id']}")
    return redirect("flow_list", slug=assistant.slug)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_pages
def flow_delete_page(request: HttpRequest, slug: str, flow_id: str) -> HttpResponse:
    """The item delete page for a flow: usages listed (a referenced flow is refused), then confirm."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_EDIT_FLOWS)
    flow_get(assistant, flow_id)
    context = {"assistant": assistant, "kind": "flows", "name": flow_id, "what": "flow",
               "back": reverse("flow_list", kwargs={"slug": assistant.slug})}
    return item_delete_response(request, context)


@login_required
@require_GET
@domain_errors_as_pages
def flow_editor_page(request: HttpRequest, slug: str, flow_id: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    flow = flow_get(assistant, flow_id)
    role = role_for(request.user, assistant)
    editor = {
        "api_base": f"/api/assistants/{assistant.slug}/editor",
        "read_only": role not in CAN_EDIT_FLOWS,
        "csrf": get_token(request),
        "flow_url_template": reverse("flow_editor", kwargs={"slug": assistant.slug, "flow_id": "__FLOW__"}),
        "can_create_slots": role in CAN_EDIT_FLOWS,
        "can_create_actions": role in CAN_EDIT_FLOWS,
        "can_create_responses": role in CAN_EDIT_RESPONSES,
        # A customised built-in pattern is not deleted but reset: Rasa's default takes over again.
        "reset_url": (reverse("system_flow_reset", kwargs={"slug": assistant.slug, "flow_id": flow.flow_id})
                      if flow.flow_id in system_flow_ids() else ""),
    }
    context = {"assistant": assistant, "flow": flow, "role": role, "editor": editor}
    return TemplateResponse(request, "editor/editor.html", context)


RESPONSE_FILTERS = {"": "all responses", "unused": "unused", "missing_text": "missing text",
                    "missing_translation": "missing a translation"}


def _response_shown(response: Response, show: str, flow: str, lang: str = "") -> bool:
    if show == "unused" and response.usages:
        return False
    # `missing_languages` comes from translation_badges; `lang` narrows the filter to one language.
    if show == "missing_translation" and not (lang in response.missing_languages if lang
                                              else response.missing_languages):
        return False
    # A variation may carry only custom content or buttons: "missing text" means no variation has any.
    if show == "missing_text" and any(isinstance(v, dict) and str(v.get("text") or "").strip()
                                      for v in response.variations):
        return False
    return not flow or any(u.flow_id == flow for u in response.usages)


@login_required
@require_GET
@domain_errors_as_pages
def response_list_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Responses with search (name or text) and filters: unused, missing text, used by one flow."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    show, flow, lang = request.GET.get("show", ""), request.GET.get("flow", ""), request.GET.get("lang", "")
    rows = [r for r in Response.objects.filter(assistant=assistant).ordered()
            if matches(search_query(request), r.name, *(v.get("text") for v in r.variations if isinstance(v, dict)))]
    # Rename and delete follow references into flows and files: the designer's rule, as for flows.
    return item_list_response(request, assistant, kind="responses", rows=rows, edit_roles=CAN_EDIT_FLOWS,
                              keep=lambda r: _response_shown(r, show, flow, lang), show=show, flow=flow, lang=lang,
                              filters=RESPONSE_FILTERS, flow_ids=[f.flow_id for f in flow_list(assistant)],
                              **translation_badges(assistant, rows))
