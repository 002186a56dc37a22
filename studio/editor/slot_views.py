"""Slot pages: the list (type, usages, search), the structured editor and the new-slot form.

Rename and delete are the exchange's item pages (preview, refusal with usages); these pages link there.
"""
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods

from studio.accounts.permissions import CAN_EDIT_SLOTS, CAN_READ, role_for
from studio.assistants import slot_services
from studio.assistants.models import Slot
from studio.assistants.selectors import assistant_get_for_user, slot_get
from studio.core.pages import domain_errors_as_pages
from studio.editor.item_pages import (item_list_response, item_usages, matches, posted_revision,
                                      saved_or_none, search_query)
from studio.editor.slot_forms import SlotEditor
from studio.exchange.yamlproject import yamlio


@login_required
@require_GET
@domain_errors_as_pages
def slot_list_page(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    query = search_query(request)
    slots = [s for s in Slot.objects.filter(assistant=assistant).ordered() if matches(query, s.name, s.type)]
    return item_list_response(request, assistant, kind="slots", rows=slots, edit_roles=CAN_EDIT_SLOTS)


def _edit_context(request: HttpRequest, assistant, slot: Slot | None, editor: SlotEditor) -> dict:
    return {"assistant": assistant, "slot": slot, "editor": editor,
            "usages": item_usages(assistant, "slots", slot.name) if slot else [],
            "yaml": yamlio.dump(yamlio.to_node({slot.name: slot.to_rasa()})) if slot else "",
            "can_edit": role_for(request.user, assistant) in CAN_EDIT_SLOTS}


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_pages
def slot_edit_page(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    # Readers see the page; a save is refused before its form is read.
    roles = CAN_READ if request.method == "GET" else CAN_EDIT_SLOTS
    assistant = assistant_get_for_user(request.user, slug, *roles)
    slot = slot_get(assistant, name)
    if request.method == "GET":
        editor = SlotEditor(slot.to_rasa())
        return TemplateResponse(request, "editor/slot_edit.html", _edit_context(request, assistant, slot, editor))
    editor = SlotEditor(slot.to_rasa(), request.POST)
    if editor.is_valid():
        saved = saved_or_none(request, editor.form, lambda: slot_services.slot_update(
            user=request.user, assistant=assistant, name=name, data=editor.definition(),
            revision=posted_revision(request)), done=f"Saved slot {name}", page="slot_edit", slug=slug, name=name)
        if saved:
            return saved
    return TemplateResponse(request, "editor/slot_edit.html", _edit_context(request, assistant, slot, editor),
                            status=400)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_pages
def slot_create_page(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_EDIT_SLOTS)
    if request.method == "GET":
        editor = SlotEditor({"type": "text"}, create=True)
        return TemplateResponse(request, "editor/slot_edit.html", _edit_context(request, assistant, None, editor))
    editor = SlotEditor({}, request.POST, create=True)
    if editor.is_valid():
        name = editor.form.cleaned_data["name"]
        saved = saved_or_none(request, editor.form, lambda: slot_services.slot_create(
            user=request.user, assistant=assistant, name=name, data=editor.definition()),
            done=f"Created slot {name}", page="slot_edit", slug=slug, name=name)
        if saved:
            return saved
    return TemplateResponse(request, "editor/slot_edit.html", _edit_context(request, assistant, None, editor),
                            status=400)
