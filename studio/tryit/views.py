"""The try-it pages: a chat over the WebSocket, with plain form POSTs that work without JavaScript,
and the list of kept conversations. Every view calls the same services as the socket."""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from studio.accounts.permissions import CAN_EDIT_FLOWS, CAN_MANAGE, CAN_TRY, require_role
from studio.assistants.selectors import assistant_get_for_user, flow_get
from studio.core.exceptions import DomainError, NotFound, ValidationFailed
from studio.core.pages import domain_errors_as_pages
from studio.tryit import selectors, services
from studio.tryit.overlay import overlay_json
from studio.tryit.presenters import conversation_url, page_context
from studio.tryit.turns import preset_slots


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_pages
def tryit_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A bare try-it URL resumes the user's latest conversation; posts start or continue one."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_TRY)
    if request.method == "GET":
        latest = selectors.conversation_latest_for_user(request.user, assistant)
        if latest is not None:
            return redirect(conversation_url(assistant, latest))
        return _render(request, assistant, None)
    return _post(request, assistant, _posted_conversation(request, assistant))


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_pages
def conversation_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One kept conversation: ?turn=N selects a turn (an htmx request gets only its inspector part)."""
    assistant, conversation = _conversation_for(request, slug, pk)
    if request.method == "POST":
        return _post(request, assistant, conversation)
    return _render(request, assistant, conversation, selected=request.GET.get("turn"))


def _post(request: HttpRequest, assistant, conversation) -> HttpResponse:
    error, status = None, 200
    try:
        conversation = _act(request, assistant, conversation)
    except DomainError as exc:
        error, status = exc.message, exc.status
    return _render(request, assistant, conversation, error=error, status=status)


def _act(request: HttpRequest, assistant, conversation):
    """Reset, start a new conversation (with preset slots), set a slot, or send `text`."""
    action = request.POST.get("action") or request.POST.get("type") or "message"
    user = request.user
    if action == "reset" and conversation is not None:
        return services.conversation_reset(user=user, conversation=conversation, **services.pin_choice(request.POST))[0]
    if action in ("new", "start", "reset"):
        return services.conversation_start_with_slots(user=user, assistant=assistant, slots=preset_slots(request.POST),
                                                      **services.pin_choice(request.POST))[0]
    if action == "slots":
        if conversation is None:
            raise ValidationFailed.one("conversation", msg="start a conversation before setting slots")
        services.conversation_slots_set(user=user, conversation=conversation,
                                        values={request.POST.get("slot", ""): request.POST.get("value", "")})
        return conversation
    if "text" not in request.POST:
        raise ValidationFailed.one("text", msg="field 'text' is required for a message")
    services.check_text(request.POST["text"])  # before a conversation is started for it
    if conversation is None:
        conversation = services.conversation_start(user=user, assistant=assistant, **services.pin_choice(request.POST))[0]
    services.conversation_turn(user=user, conversation=conversation, text=request.POST["text"])
    return conversation


def _posted_conversation(request: HttpRequest, assistant):
    """The posted conversation; a stale id (reset in another tab) simply starts a new one."""
    posted = request.POST.get("conversation") or ""
    try:
        return services.conversation_get_for_user(request.user, assistant, posted) if posted else None
    except NotFound:
        return None


def _render(request: HttpRequest, assistant, conversation, *, selected: Any = None, error: str | None = None,
            status: int = 200) -> HttpResponse:
    turns = selectors.turn_dicts(conversation) if conversation is not None and conversation.pk else []
    chosen = _chosen(turns, selected)
    readonly = conversation is not None and conversation.user_id != request.user.pk
    context = page_context(assistant, conversation, turns, chosen, error, readonly=readonly,
                           slot_names=services.slot_names(assistant),
                           can_save_tests=require_role(request.user, assistant) in CAN_EDIT_FLOWS)
    if request.htmx and selected is not None:
        template = "tryit/page.html#turn_detail"
    else:
        template = "tryit/page.html#panel" if request.htmx else "tryit/page.html"
    return TemplateResponse(request, template, context, status=status)


def _chosen(turns: list[dict], selected: Any) -> dict | None:
    """The selected turn (by index), else the last one."""
    if selected not in (None, ""):
        for turn in turns:
            if str(turn.get("index")) == str(selected):
                return turn
        raise NotFound(f"Turn {selected!r} not found in this conversation")
    return turns[-1] if turns else None


@login_required
@require_GET
@domain_errors_as_pages
def conversation_list(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_TRY)
    conversations = selectors.conversation_list_for_user(request.user, assistant)
    is_owner = require_role(request.user, assistant) in CAN_MANAGE
    return TemplateResponse(request, "tryit/conversations.html", {
        "assistant": assistant, "conversations": conversations, "is_owner": is_owner})


def _conversation_for(request: HttpRequest, slug: str, pk: int):
    assistant = assistant_get_for_user(request.user, slug, *CAN_TRY)
    return assistant, selectors.conversation_view_for_user(request.user, assistant, pk)


@login_required
@require_POST
@domain_errors_as_pages
def conversation_fork(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Replay from a turn: the copy is the user's own and opens at once."""
    assistant, conversation = _conversation_for(request, slug, pk)
    fork = services.conversation_fork(user=request.user, conversation=conversation, index=request.POST.get("turn", ""))
    return redirect(conversation_url(assistant, fork))


@login_required
@require_POST
@domain_errors_as_pages
def conversation_rename(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    assistant, conversation = _conversation_for(request, slug, pk)
    services.conversation_rename(user=request.user, conversation=conversation, title=request.POST.get("title", ""))
    return redirect(conversation_url(assistant, conversation))


@login_required
@require_POST
@domain_errors_as_pages
def conversation_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    assistant, conversation = _conversation_for(request, slug, pk)
    services.conversation_delete(user=request.user, conversation=conversation)
    return redirect("tryit_conversations", assistant.slug)


@login_required
@require_GET
@xframe_options_sameorigin
@domain_errors_as_pages
def flow_view(request: HttpRequest, slug: str, flow_id: str) -> HttpResponse:
    """A flow drawn read-only by the editor's own renderer, for the inspector's frame (`#step=` marks
    the live step; `?conversation=&turn=` the path taken so far). Read-only whatever the role."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_TRY)
    flow = flow_get(assistant, flow_id)
    overlay = ""
    if "conversation" in request.GET:
        overlay = overlay_json("path", selectors.conversation_path_for_user(
            request.user, assistant, request.GET["conversation"], request.GET.get("turn", ""), flow.flow_id))
    response = TemplateResponse(request, "tryit/flow_view.html", {
        "assistant": assistant, "flow": flow, "api_base": f"/api/assistants/{assistant.slug}/editor", "overlay": overlay,
        "flow_url_template": reverse("tryit_flow_view", kwargs={"slug": assistant.slug, "flow_id": "__FLOW__"})})
    # The studio's policy forbids every frame; this page is framed by the studio's own try-it page.
    policy = settings.CONTENT_SECURITY_POLICY
    if policy and not settings.CONTENT_SECURITY_POLICY_REPORT_ONLY:
        response.headers["Content-Security-Policy"] = policy.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
    return response
