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
from studio.assistants.selectors import assistant_get_for_user, flow_get, flow_list, response_get
from studio.assistants.system_flows import flow_start, system_flow_ids
from studio.core.exceptions import ValidationFailed
from studio.core.pages import domain_errors_as_pages
from studio.editor.forms import FlowCreateForm, FlowDuplicateForm, ResponseEditForm
from studio.exchange.views import item_delete_response
from studio.exchange.yamlproject import yamlio
from studio.exchange.yamlproject.canonical import canonical
from studio.exchange.yamlproject.content import RESPONSES


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


def _variations_yaml(variations: list) -> str:
    """The variations as a writer reads them: text first, in the order the exported domain has them."""
    return yamlio.dump(yamlio.to_node(canonical(RESPONSES, variations)))


@login_required
@require_GET
@domain_errors_as_pages
def response_list_page(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    responses = Response.objects.filter(assistant=assistant).ordered()
    # Rename and delete follow references into flows and files: the designer's rule, as for flows.
    can_restructure = role_for(request.user, assistant) in CAN_EDIT_FLOWS
    return TemplateResponse(request, "editor/response_list.html",
                            {"assistant": assistant, "responses": responses, "can_restructure": can_restructure})


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_pages
def response_edit_page(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    """A response by its Rasa name (any text: `utter_faq/ask_price` reaches here whole)."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    response = response_get(assistant, name)
    can_edit = role_for(request.user, assistant) in CAN_EDIT_RESPONSES
    if request.method == "GET":
        form = ResponseEditForm(initial={"variations": _variations_yaml(response.variations),
                                         "revision": response.revision})
        return TemplateResponse(request, "editor/response_edit.html",
                                {"assistant": assistant, "response": response, "form": form, "can_edit": can_edit})
    form = ResponseEditForm(request.POST)
    if form.is_valid():
        try:
            services.response_save(user=request.user, assistant=assistant, name=name,
                                   variations=form.cleaned_data["variations"], revision=form.cleaned_data["revision"])
        except ValidationFailed as exc:
            form.add_error("variations", "; ".join(str(p) for p in exc.problems))
        else:
            messages.success(request, f"Saved {name}")
            return redirect("response_edit", slug=assistant.slug, name=name)
    context = {"assistant": assistant, "response": response, "form": form, "can_edit": can_edit}
    return TemplateResponse(request, "editor/response_edit.html", context, status=400)
