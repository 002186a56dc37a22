"""The try-it page: a chat over the WebSocket, with a plain form POST that works without JavaScript."""
from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from studio.accounts.permissions import CAN_TRY
from studio.assistants.selectors import assistant_get_for_user
from studio.core.exceptions import DomainError, NotFound, ValidationFailed
from studio.core.pages import domain_errors_as_pages
from studio.tryit import services
from studio.tryit.presenters import page_context


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_pages
def tryit_page(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_TRY)
    conversation, turn, error, status = None, None, None, 200
    if request.method == "POST":
        try:
            conversation, turn = _post(request, assistant)
        except DomainError as exc:
            error, status = exc.message, exc.status
            conversation = _posted_conversation(request, assistant)
    template = "tryit/page.html#panel" if request.htmx else "tryit/page.html"
    return TemplateResponse(request, template, page_context(assistant, conversation, turn, error), status=status)


def _post(request: HttpRequest, assistant) -> tuple[Any, dict]:
    """Reset, or send `text` (starting a conversation first when there is none)."""
    reset = request.POST.get("action") == "reset"
    if not reset and "text" not in request.POST:
        raise ValidationFailed.one("text", msg="field 'text' is required for a message")
    conversation = _posted_conversation(request, assistant)
    if reset and conversation is not None:
        return services.conversation_reset(user=request.user, conversation=conversation)
    if conversation is None:
        conversation, turn = services.conversation_start(user=request.user, assistant=assistant)
        if reset:
            return conversation, turn
    return conversation, services.conversation_turn(user=request.user, conversation=conversation,
                                                    text=request.POST["text"])


def _posted_conversation(request: HttpRequest, assistant):
    """The posted conversation; a stale id (reset in another tab) simply starts a new one."""
    posted = request.POST.get("conversation") or ""
    try:
        return services.conversation_get_for_user(request.user, assistant, posted) if posted else None
    except NotFound:
        return None
