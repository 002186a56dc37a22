from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from studio.accounts.permissions import CAN_READ
from studio.assistants.selectors import assistant_get_for_user
from studio.core.pages import domain_errors_as_pages
from studio.training.services import version_create, version_retry


def _versions_url(assistant) -> str:
    return reverse("assistant_overview", args=[assistant.slug]) + "#versions"


@login_required
@require_POST
@domain_errors_as_pages
def version_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    note = request.POST.get("note", "")[:2000]
    version_create(user=request.user, assistant=assistant, note=note)
    return redirect(_versions_url(assistant))


@login_required
@require_POST
@domain_errors_as_pages
def version_retry_view(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    version_retry(user=request.user, assistant=assistant, number=number)
    return redirect(_versions_url(assistant))
