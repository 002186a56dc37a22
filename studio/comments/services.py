"""Writes for comments: start a thread, reply, edit, delete, resolve and reopen; mentions follow the text.

Every member may comment and resolve, viewers included: reviewing the assistant is what a viewer is
for, and a comment changes nothing the assistant runs. Editing is the author's; deleting, the
author's or an owner's (moderation).
"""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from studio.accounts.permissions import CAN_READ, OWNER, require_role
from studio.assistants.models import Assistant
from studio.comments.mentions import mentioned_names
from studio.comments.models import BODY_MAX, Comment, Mention, TargetKind, Thread
from studio.comments.selectors import Target, members_named, target_row
from studio.comments.steps import step_ids
from studio.core.exceptions import Conflict, Forbidden, NotFound, RevisionConflict, ValidationFailed


def _clean_body(body: object) -> str:
    text = str(body or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationFailed.one("body", msg="Write a comment first")
    if len(text) > BODY_MAX:
        raise ValidationFailed.one("body", msg=f"A comment is at most {BODY_MAX} characters (this one has {len(text)})")
    return text


def _sync_mentions(assistant: Assistant, comment: Comment) -> None:
    """Mention rows for the members the text names now; a name dropped by an edit drops its mention."""
    named = {u.pk: u for u in members_named(assistant, mentioned_names(comment.body)) if u.pk != comment.author_id}
    comment.mentions.exclude(user_id__in=named).delete()
    Mention.objects.bulk_create([Mention(comment=comment, user=u) for u in named.values()], ignore_conflicts=True)


def _locked(user, assistant: Assistant, model: type[Comment] | type[Thread], pk: int):
    """The assistant's comment or thread, locked until the commit (a resolve or edit racing this one waits)."""
    require_role(user, assistant, *CAN_READ)
    owner = {"thread__assistant": assistant} if model is Comment else {"assistant": assistant}
    row = model.objects.select_for_update().filter(pk=pk, **owner).first()
    if row is None:
        raise NotFound(f"{model.__name__} {pk} not found in {assistant.slug!r}")
    return row


@transaction.atomic
def thread_start(*, user, assistant: Assistant, target: Target, body: str) -> Thread:
    """A new thread on an existing flow step or response, with its first comment."""
    require_role(user, assistant, *CAN_READ)
    text = _clean_body(body)
    row = target_row(assistant, target)
    if row is None:
        what = f"Flow {target.flow_id!r}" if target.kind == TargetKind.FLOW_STEP else f"Response {target.response!r}"
        raise NotFound(f"{what} not found in {assistant.slug!r}")
    if target.kind == TargetKind.FLOW_STEP and target.step_id not in step_ids(row.flow_id, row.steps):
        raise NotFound(f"Step {target.step_id!r} not found in flow {target.flow_id!r}")
    thread = Thread.objects.create(
        assistant=assistant, kind=target.kind, target_name=target.name, step_id=target.step_id, created_by=user,
        flow=row if target.kind == TargetKind.FLOW_STEP else None,
        response=row if target.kind == TargetKind.RESPONSE else None)
    _sync_mentions(assistant, Comment.objects.create(thread=thread, author=user, body=text))
    return thread


@transaction.atomic
def comment_add(*, user, assistant: Assistant, thread_id: int, body: str) -> Comment:
    """A reply; a resolved or outdated thread takes replies too (it stays as it is)."""
    text = _clean_body(body)
    thread = _locked(user, assistant, Thread, thread_id)
    comment = Comment.objects.create(thread=thread, author=user, body=text)
    _sync_mentions(assistant, comment)
    return comment


@transaction.atomic
def comment_edit(*, user, assistant: Assistant, comment_id: int, body: str, revision: int) -> Comment:
    comment = _locked(user, assistant, Comment, comment_id)
    if comment.author_id != user.pk:
        raise Forbidden("Only the author can edit this comment")
    if revision != comment.revision:
        raise RevisionConflict(comment, "This comment was edited in another window; reload to see it")
    comment.body = _clean_body(body)
    comment.edited_at = timezone.now()
    comment.revision += 1
    comment.save(update_fields=["body", "edited_at", "revision"])
    _sync_mentions(assistant, comment)
    return comment


@transaction.atomic
def comment_delete(*, user, assistant: Assistant, comment_id: int) -> None:
    """Delete a comment; a thread left without comments goes with it."""
    comment = _locked(user, assistant, Comment, comment_id)
    if comment.author_id != user.pk and require_role(user, assistant) != OWNER:
        raise Forbidden("Only the author or an owner can delete this comment")
    thread_id = comment.thread_id
    comment.delete()
    if not Comment.objects.filter(thread_id=thread_id).exists():
        Thread.objects.filter(pk=thread_id).delete()


@transaction.atomic
def thread_resolve(*, user, assistant: Assistant, thread_id: int) -> Thread:
    thread = _locked(user, assistant, Thread, thread_id)
    if thread.resolved:  # two people clicking Resolve at once: the second learns who did
        by = thread.resolved_by.get_username() if thread.resolved_by else "someone"
        raise Conflict(f"This thread was already resolved by {by}")
    thread.resolved_at, thread.resolved_by = timezone.now(), user
    thread.save(update_fields=["resolved_at", "resolved_by"])
    return thread


@transaction.atomic
def thread_reopen(*, user, assistant: Assistant, thread_id: int) -> Thread:
    thread = _locked(user, assistant, Thread, thread_id)
    if not thread.resolved:
        raise Conflict("This thread is already open")
    thread.resolved_at, thread.resolved_by = None, None
    thread.save(update_fields=["resolved_at", "resolved_by"])
    return thread


def mention_mark_read(*, user, mention_ids: list[int] | None = None) -> int:
    """Mark the user's own mentions read (all of them when no ids are given); returns how many changed."""
    mentions = Mention.objects.filter(user=user, read_at=None)
    if mention_ids is not None:
        mentions = mentions.filter(pk__in=mention_ids)
    return mentions.update(read_at=timezone.now())
