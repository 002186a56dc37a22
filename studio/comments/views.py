"""Comment pages: a target's threads (a flow step, a response), the assistant's threads, and my mentions.

Forms post without JavaScript and come back to `next`; under htmx the same views answer with the
refreshed panel alone.
"""
from __future__ import annotations

from typing import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from studio.accounts.permissions import CAN_READ, OWNER, role_for
from studio.assistants.selectors import assistant_get_for_user
from studio.comments import services
from studio.comments.models import Comment, TargetKind, Thread
from studio.comments.selectors import (
    Target,
    mention_get_for_user,
    mentions_for_user,
    target_row,
    thread_get_for_user,
    threads_for_assistant,
    threads_for_target,
)
from studio.comments.steps import step_ids
from studio.core.exceptions import DomainError, ValidationFailed
from studio.core.ids import id_from_text
from studio.core.pages import domain_errors_as_pages


def target_url(assistant, target: Target) -> str:
    """The page a target's threads live on: the response's edit page, or the step's comments page."""
    if target.kind == TargetKind.RESPONSE:
        return reverse("response_edit", args=[assistant.slug, target.response]) + "#comments"
    return reverse("step_comments", args=[assistant.slug, target.flow_id, target.step_id])


def thread_target(thread: Thread) -> Target:
    if thread.kind == TargetKind.RESPONSE:
        return Target(thread.kind, response=thread.response.name if thread.response_id else thread.target_name)
    return Target(thread.kind, flow_id=thread.flow.flow_id if thread.flow_id else thread.target_name,
                  step_id=thread.step_id)


def panel_context(request: HttpRequest, assistant, target: Target, next_url: str) -> dict:
    """What the comments panel shows; the response page's include and every htmx answer use it."""
    row = target_row(assistant, target)
    exists = row is not None and (target.kind == TargetKind.RESPONSE or target.step_id in step_ids(row.flow_id, row.steps))
    return {"assistant": assistant, "target": target, "target_exists": exists, "next": next_url,
            "threads": threads_for_target(request.user, assistant, target),
            "is_owner": role_for(request.user, assistant) == OWNER}


def _next_url(request: HttpRequest, assistant, target: Target) -> str:
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return next_url
    return target_url(assistant, target)


def _answer(request: HttpRequest, assistant, target: Target, run: Callable[[], object]) -> HttpResponse:
    """Run the service, then show the target's panel again: the htmx swap, or a redirect to `next`.

    A refusal (empty text, already resolved, not the author) is shown in the panel. Under htmx it
    comes back 422 or 200 because the page's htmx config swaps only those; without JavaScript it is a
    message on the page `next` names.
    """
    next_url, error, status = _next_url(request, assistant, target), "", 200
    try:
        run()
    except DomainError as exc:
        error, status = exc.message, 422 if isinstance(exc, ValidationFailed) else 200
        if not request.htmx:
            messages.error(request, exc.message)
    if not request.htmx:
        return redirect(next_url)
    context = {**panel_context(request, assistant, target, next_url), "error": error}
    return TemplateResponse(request, "comments/target.html#panel", context, status=status)


@login_required
@require_GET
@domain_errors_as_pages
def step_comments_page(request: HttpRequest, slug: str, flow_id: str, step_id: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    target = Target.of(TargetKind.FLOW_STEP, flow_id=flow_id, step_id=step_id)
    return TemplateResponse(request, "comments/target.html", panel_context(request, assistant, target, request.path))


@login_required
@require_GET
@domain_errors_as_pages
def assistant_comments_page(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    threads = threads_for_assistant(request.user, assistant)
    rows = [(thread, target_url(assistant, thread_target(thread))) for thread in threads]
    return TemplateResponse(request, "comments/assistant.html", {"assistant": assistant, "rows": rows})


@login_required
@require_POST
@domain_errors_as_pages
def thread_start_view(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    post = request.POST
    target = Target.of(post.get("kind", ""), flow_id=post.get("flow_id", ""), step_id=post.get("step_id", ""),
                       response=post.get("response", ""))
    return _answer(request, assistant, target, lambda: services.thread_start(
        user=request.user, assistant=assistant, target=target, body=post.get("body", "")))


_THREAD_STATE = {"resolve": services.thread_resolve, "reopen": services.thread_reopen}


@login_required
@require_POST
@domain_errors_as_pages
def thread_action_view(request: HttpRequest, slug: str, thread_id: int, action: str) -> HttpResponse:
    """Reply, resolve or reopen (`action` comes from the URL pattern, never from the form)."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    target = thread_target(thread_get_for_user(request.user, assistant, thread_id))
    where = {"user": request.user, "assistant": assistant, "thread_id": thread_id}
    if action == "reply":
        return _answer(request, assistant, target,
                       lambda: services.comment_add(**where, body=request.POST.get("body", "")))
    return _answer(request, assistant, target, lambda: _THREAD_STATE[action](**where))


@login_required
@require_POST
@domain_errors_as_pages
def comment_change_view(request: HttpRequest, slug: str, comment_id: int, action: str) -> HttpResponse:
    """Edit (author) or delete (author or owner) one comment."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    target = thread_target(thread_get_for_user(request.user, assistant, _thread_of(assistant, comment_id)))
    where = {"user": request.user, "assistant": assistant, "comment_id": comment_id}
    if action == "delete":
        return _answer(request, assistant, target, lambda: services.comment_delete(**where))
    revision = id_from_text(request.POST.get("revision", ""))

    def edit() -> None:
        if revision is None:
            raise ValidationFailed.one("revision", msg="Reload the page: the form lost the comment's revision")
        services.comment_edit(**where, body=request.POST.get("body", ""), revision=revision)
    return _answer(request, assistant, target, edit)


def _thread_of(assistant, comment_id: int) -> int:
    thread_id = Comment.objects.filter(thread__assistant=assistant, pk=comment_id).values_list("thread_id", flat=True).first()
    return thread_id if thread_id is not None else 0  # 0 matches no thread: the selector answers 404


@login_required
@require_GET
def mentions_page(request: HttpRequest) -> HttpResponse:
    mentions = mentions_for_user(request.user)
    rows = [(m, target_url(m.comment.thread.assistant, thread_target(m.comment.thread))) for m in mentions]
    return TemplateResponse(request, "comments/mentions.html", {"rows": rows})


@login_required
@require_GET
@domain_errors_as_pages
def mention_open(request: HttpRequest, mention_id: int) -> HttpResponse:
    """Follow a mention: it is read from now on, and the thread's page opens."""
    mention = mention_get_for_user(request.user, mention_id)
    services.mention_mark_read(user=request.user, mention_ids=[mention.pk])
    thread = mention.comment.thread
    return redirect(target_url(thread.assistant, thread_target(thread)))


@login_required
@require_POST
def mentions_read_view(request: HttpRequest) -> HttpResponse:
    services.mention_mark_read(user=request.user)
    return redirect("mentions")
