"""History pages: the assistant's activity feed and one item's timeline with Restore buttons."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods

from studio.accounts.permissions import CAN_READ, role_for
from studio.assistants.selectors import assistant_get_for_user
from studio.core.exceptions import ValidationFailed
from studio.core.ids import id_from_text
from studio.core.pages import domain_errors_as_pages
from studio.history.selectors import SETTINGS, assistant_activity, item_current, item_history, kind_get
from studio.history.services import history_restore

PAGE_SIZE = 50


def _page_number(request: HttpRequest) -> int:
    return max(1, id_from_text(request.GET.get("page", "1")) or 1)


@login_required
@require_GET
@domain_errors_as_pages
def activity_page(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    page = _page_number(request)
    # One entry past the page tells whether there is a next page.
    entries = assistant_activity(request.user, assistant, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    context = {"assistant": assistant, "entries": entries[:PAGE_SIZE], "page": page,
               "next_page": page + 1 if len(entries) > PAGE_SIZE else None}
    return TemplateResponse(request, "history/activity.html", context)


def _restore(request: HttpRequest, assistant, kind: str, key: str) -> HttpResponse:
    history_id = id_from_text(request.POST.get("history_id", ""))
    if history_id is None:
        raise ValidationFailed.one("history_id", msg="Choose the version to restore")
    revision = id_from_text(request.POST.get("revision", ""))
    restored = history_restore(user=request.user, assistant=assistant, kind=kind, key=key,
                               history_id=history_id, revision=revision)
    messages.success(request, f"Restored version {history_id}.")
    if restored.problems:
        messages.warning(request, f"The restored flow has {len(restored.problems)} problem(s): "
                                  + "; ".join(p["message"] for p in restored.problems[:5]))
    return redirect(request.path)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_pages
def item_history_page(request: HttpRequest, slug: str, kind: str = SETTINGS, key: str = "") -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    if request.method == "POST":
        return _restore(request, assistant, kind, key)
    spec = kind_get(kind)
    context = {
        "assistant": assistant, "kind": spec, "key": key,
        "versions": item_history(request.user, assistant, kind, key),
        "current": item_current(assistant, spec, key),
        "can_restore": role_for(request.user, assistant) in spec.edit_roles,
    }
    return TemplateResponse(request, "history/item.html", context)
