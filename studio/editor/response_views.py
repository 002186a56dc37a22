"""The response edit page: a structured form (default) or the raw YAML ("Edit as YAML"), both saved by
`response_save` with the same revision and merge base; the live preview is a partial of the page."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from engine.validation import BUILTIN_SLOTS
from studio.accounts.permissions import CAN_EDIT_RESPONSES, CAN_READ, role_for
from studio.assistants import services
from studio.assistants.engine_adapter import rephrasing_configured
from studio.assistants.models import Response, Slot
from studio.assistants.selectors import assistant_get_for_user, response_get
from studio.core.exceptions import EditConflict, Forbidden, ValidationFailed
from studio.core.pages import domain_errors_as_pages
from studio.editor.forms import ResponseEditForm, ResponseSaveForm
from studio.editor.item_pages import item_usages
from studio.editor.response_conditions import OPERATORS
from studio.editor.response_form import (
    TEMPLATES, VariationForm, apply_op, forms_from_post, forms_from_variations, variations_from_forms,
)
from studio.editor.response_preview import response_preview
from studio.exchange.yamlproject import yamlio
from studio.exchange.yamlproject.canonical import canonical
from studio.exchange.yamlproject.content import RESPONSES

PAGE = "editor/response_edit.html"


def variations_yaml(variations: list) -> str:
    """The variations as a writer reads them: text first, in the order the exported domain has them."""
    return yamlio.dump(yamlio.to_node(canonical(RESPONSES, variations)))


def _slots(assistant) -> dict[str, dict]:
    return {slot.name: slot.to_rasa() for slot in Slot.objects.filter(assistant=assistant).order_by("name")}


def _context(request: HttpRequest, assistant, response: Response, **page) -> dict:
    slots = _slots(assistant)
    forms = page.get("forms")
    if forms is None:  # a variation that is not a mapping has no form: only YAML shows it as it is
        forms = (forms_from_variations(response.variations)
                 if all(isinstance(v, dict) for v in response.variations) else [])
        page["mode"] = page.get("mode") if forms or not response.variations else "yaml"
    return {"assistant": assistant, "response": response, "usages": item_usages(assistant, "responses", response.name),
            "can_edit": role_for(request.user, assistant) in CAN_EDIT_RESPONSES, "mode": "form", "conflict": None,
            "yaml": variations_yaml(response.variations), "slot_names": list(slots), "operators": OPERATORS,
            "templates": TEMPLATES, "preview": response_preview(forms, slots),
            "rephrasing_configured": rephrasing_configured(assistant), **page, "forms": forms}


def _loaded_form(response: Response) -> ResponseEditForm:
    loaded = variations_yaml(response.variations)
    return ResponseEditForm(initial={"variations": loaded, "base": loaded, "revision": response.revision})


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_pages
def response_edit_page(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    """A response by its Rasa name (any text: `utter_faq/ask_price` reaches here whole)."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    response = response_get(assistant, name)
    if request.method == "GET":
        mode = "yaml" if request.GET.get("mode") == "yaml" else "form"
        return TemplateResponse(request, PAGE, _context(request, assistant, response, form=_loaded_form(response),
                                                        mode=mode))
    if role_for(request.user, assistant) not in CAN_EDIT_RESPONSES:
        raise Forbidden("Only writers and above edit responses.")
    if "variations" in request.POST:
        return _save_yaml(request, assistant, response)
    return _post_structured(request, assistant, response)


def _save(request: HttpRequest, assistant, response: Response, form: ResponseSaveForm, variations: list):
    """(redirect, None) after a save, or (None, conflict details or None) with the problems on `form`."""
    try:
        saved = services.response_save(
            user=request.user, assistant=assistant, name=response.name, variations=variations,
            revision=form.cleaned_data["revision"], base=form.cleaned_data["base"],
            resolutions=form.resolutions(), seen_revision=form.cleaned_data["seen_revision"])
    except EditConflict as exc:  # the card asks per overlap; everything else is merged on the next save
        form.add_error(None, exc.message)
        return None, exc.details
    note = saved.merge_note["message"] if saved.merge_note else ""
    messages.success(request, f"Saved {response.name}. {note}".strip())
    return redirect("response_edit", slug=assistant.slug, name=response.name), None


def _save_yaml(request: HttpRequest, assistant, response: Response) -> HttpResponse:
    form, conflict = ResponseEditForm(request.POST), None
    if form.is_valid():
        try:
            done, conflict = _save(request, assistant, response, form, form.cleaned_data["variations"])
        except ValidationFailed as exc:
            form.add_error("variations", "; ".join(str(p) for p in exc.problems))
        else:
            if done:
                return done
    context = _context(request, assistant, response, form=form, mode="yaml", conflict=conflict)
    return TemplateResponse(request, PAGE, context, status=409 if conflict else 400)


def _place_problems(exc: ValidationFailed, forms: list[VariationForm], form: ResponseSaveForm) -> None:
    # The service names (variations, index, key): show each at its variation's field.
    for problem in exc.problems:
        loc = problem.loc[1:] if problem.loc[:1] == ("variations",) else ()
        if loc and isinstance(loc[0], int) and loc[0] < len(forms):
            key = str(loc[1]) if len(loc) > 1 else "text"
            forms[loc[0]].error(key if key in ("text", "buttons", "custom", "condition") else "extra", problem.msg)
        else:
            form.add_error(None, problem.msg)


def _post_structured(request: HttpRequest, assistant, response: Response) -> HttpResponse:
    forms, op = forms_from_post(request.POST), request.POST.get("op", "save")
    form, conflict, status = ResponseSaveForm(request.POST), None, 200
    if op == "preview" and request.htmx:
        return TemplateResponse(request, f"{PAGE}#response-preview",
                                {"preview": response_preview(forms, _slots(assistant))})
    if op == "save":
        variations = variations_from_forms(forms, set(_slots(assistant)) | BUILTIN_SLOTS)
        if form.is_valid() and variations is not None:
            try:
                done, conflict = _save(request, assistant, response, form, variations)
            except ValidationFailed as exc:
                _place_problems(exc, forms, form)
            else:
                if done:
                    return done
        status = 409 if conflict else 400
    else:
        apply_op(forms, op)  # add/remove a row: the same form comes back, one row more or less
    context = _context(request, assistant, response, form=form, forms=forms, conflict=conflict)
    template = f"{PAGE}#response-form" if request.htmx and status == 200 else PAGE
    return TemplateResponse(request, template, context, status=status)
