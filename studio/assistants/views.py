from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from studio.accounts.permissions import CAN_EDIT_FLOWS, CAN_MANAGE, CAN_READ, role_for
from studio.assistants import services
from studio.assistants.forms import AssistantForm, AssistantSettingsForm
from studio.assistants.selectors import (
    assistant_counts,
    assistant_get_for_user,
    assistant_list_for_user,
    flow_list,
)
from studio.core.exceptions import ValidationFailed
from studio.exchange.selectors import training_data_files_for_user
from studio.training.selectors import version_list
from studio.tryit.llm_access import key_allowed
from studio.core.pages import domain_errors_as_pages


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    assistants = list(assistant_list_for_user(request.user))
    context = {"assistants": assistants, "form": AssistantForm()}
    return TemplateResponse(request, "assistants/dashboard.html", context)


@login_required
@require_POST
def assistant_create_view(request: HttpRequest) -> HttpResponse:
    form = AssistantForm(request.POST)
    if form.is_valid():
        try:
            assistant = services.assistant_create(user=request.user, **form.cleaned_data)
        except ValidationFailed as exc:
            form.add_domain_errors(exc)
        else:
            url = reverse("assistant_overview", args=[assistant.slug])
            # htmx would follow a 302 inside the XHR and swap the whole page into the form.
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    # htmx swaps only the form partial; a plain POST gets the whole dashboard back.
    template = "assistants/dashboard.html#create-form" if request.htmx else "assistants/dashboard.html"
    context = {"assistants": list(assistant_list_for_user(request.user)), "form": form}
    return TemplateResponse(request, template, context, status=400)


@login_required
@require_GET
@domain_errors_as_pages
def assistant_overview(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    role = role_for(request.user, assistant)
    context = {
        "assistant": assistant,
        "role": role,
        "counts": assistant_counts(assistant),
        "flows": flow_list(assistant),
        "versions": version_list(assistant)[:5],
        "training_files": training_data_files_for_user(request.user, assistant),
        "can_delete": role in CAN_MANAGE,
        "can_edit_flows": role in CAN_EDIT_FLOWS,
    }
    return TemplateResponse(request, "assistants/overview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_pages
def assistant_delete_view(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_MANAGE)
    if request.method == "GET":
        return TemplateResponse(request, "assistants/delete.html", {"assistant": assistant})
    if request.POST.get("confirm") != assistant.slug:
        context = {"assistant": assistant, "error": f"Type {assistant.slug} to confirm"}
        return TemplateResponse(request, "assistants/delete.html", context, status=400)
    services.assistant_delete(user=request.user, assistant=assistant)
    url = reverse("dashboard")
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _settings_page(request: HttpRequest, assistant, form: AssistantSettingsForm, status: int = 200) -> HttpResponse:
    base_url = (assistant.settings.get("llm") or {}).get("base_url") or None
    context = {"assistant": assistant, "form": form,
               # Shown next to the base URL: whether the operator's key goes with the calls (the allow-list).
               "llm_key_sent": key_allowed(base_url), "llm_base_url": base_url,
               "files_have_errors": any(form[name].errors for name in form.SECTIONS["files"])}
    return TemplateResponse(request, "assistants/settings.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_pages
def assistant_settings_view(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_MANAGE)
    if request.method == "GET":
        return _settings_page(request, assistant, AssistantSettingsForm(initial=AssistantSettingsForm.initial_for(assistant)))
    form = AssistantSettingsForm(request.POST)
    if form.is_valid():
        try:
            services.assistant_update(user=request.user, assistant=assistant, **form.to_changes(assistant.settings))
        except ValidationFailed as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, "Settings saved.")
            return redirect("assistant_settings", slug=assistant.slug)
    return _settings_page(request, assistant, form, status=400)
