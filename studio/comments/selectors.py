"""Reads for comments, each checking the reader's role: every member reads; outsiders get 404."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.safestring import SafeString

from studio.accounts.models import Membership
from studio.accounts.permissions import CAN_READ, require_role
from studio.assistants.models import Assistant, Flow, Response
from studio.comments.mentions import render_body
from studio.comments.models import Comment, Mention, TargetKind, Thread
from studio.comments.steps import step_ids
from studio.core.exceptions import NotFound, ValidationFailed


@dataclass(frozen=True)
class Target:
    """What a thread is about, as a client names it: a flow and step id, or a response name."""

    kind: str
    flow_id: str = ""
    step_id: str = ""
    response: str = ""

    @classmethod
    def of(cls, kind: str, *, flow_id: str = "", step_id: str = "", response: str = "") -> Target:
        if kind == TargetKind.FLOW_STEP:
            if not flow_id:
                raise ValidationFailed.one("flow_id", msg="Name the flow")
            if not step_id:
                raise ValidationFailed.one("step_id", msg="Name the step")
            return cls(kind, flow_id=flow_id, step_id=step_id)
        if kind == TargetKind.RESPONSE:
            if not response:
                raise ValidationFailed.one("response", msg="Name the response")
            return cls(kind, response=response)
        raise ValidationFailed.one("kind", msg=f"{kind!r} is not one of flow-step, response")

    @property
    def name(self) -> str:
        return self.flow_id if self.kind == TargetKind.FLOW_STEP else self.response


def target_row(assistant: Assistant, target: Target) -> Flow | Response | None:
    if target.kind == TargetKind.FLOW_STEP:
        return Flow.objects.filter(assistant=assistant, flow_id=target.flow_id).first()
    return Response.objects.filter(assistant=assistant, name=target.response).first()


def _with_comments(threads: QuerySet[Thread]) -> QuerySet[Thread]:
    comments = Comment.objects.select_related("author").prefetch_related(
        Prefetch("mentions", queryset=Mention.objects.select_related("user")))
    return threads.select_related("assistant", "flow", "response", "created_by", "resolved_by").prefetch_related(
        Prefetch("comments", queryset=comments))


def _mark_outdated(threads: list[Thread]) -> list[Thread]:
    """`outdated`: the flow, step or response the thread is about no longer exists."""
    ids_by_flow: dict[int, set[str]] = {}
    for thread in threads:
        if thread.kind == TargetKind.RESPONSE:
            thread.outdated = thread.response_id is None
        elif thread.flow_id is None:
            thread.outdated = True
        else:
            if thread.flow_id not in ids_by_flow:
                ids_by_flow[thread.flow_id] = step_ids(thread.flow.flow_id, thread.flow.steps)
            thread.outdated = thread.step_id not in ids_by_flow[thread.flow_id]
    return threads


def _target_filter(assistant: Assistant, target: Target, row: Flow | Response | None) -> Q:
    """Threads on the target's row, plus outdated ones left under its name by a deleted row."""
    q = Q(assistant=assistant, kind=target.kind)
    if target.kind == TargetKind.FLOW_STEP:
        q &= Q(step_id=target.step_id)
        orphans = Q(flow=None, target_name=target.flow_id)
        return q & (Q(flow=row) | orphans if row else orphans)
    orphans = Q(response=None, target_name=target.response)
    return q & (Q(response=row) | orphans if row else orphans)


def threads_for_target(user, assistant: Assistant, target: Target) -> list[Thread]:
    require_role(user, assistant, *CAN_READ)
    row = target_row(assistant, target)
    return _mark_outdated(list(_with_comments(Thread.objects.filter(_target_filter(assistant, target, row)))))


def threads_for_assistant(user, assistant: Assistant) -> list[Thread]:
    """Every thread, open ones first, newest first within each group."""
    require_role(user, assistant, *CAN_READ)
    threads = _with_comments(Thread.objects.filter(assistant=assistant)).order_by("-resolved_at", "-created_at")
    return _mark_outdated(list(threads))


def thread_get_for_user(user, assistant: Assistant, thread_id: int) -> Thread:
    require_role(user, assistant, *CAN_READ)
    thread = _with_comments(Thread.objects.filter(assistant=assistant, pk=thread_id)).first()
    if thread is None:
        raise NotFound(f"Thread {thread_id} not found in {assistant.slug!r}")
    return _mark_outdated([thread])[0]


def step_thread_counts(user, assistant: Assistant, flow_id: str) -> dict[str, dict[str, int]]:
    """{step id: {"open": n, "resolved": m}} for the flow's steps that have threads (the editor's badges)."""
    require_role(user, assistant, *CAN_READ)
    rows = Thread.objects.filter(assistant=assistant, kind=TargetKind.FLOW_STEP, flow__flow_id=flow_id)
    counts = Counter((step_id, resolved_at is None) for step_id, resolved_at in rows.values_list("step_id", "resolved_at"))
    out: dict[str, dict[str, int]] = {}
    for (step_id, is_open), n in counts.items():
        out.setdefault(step_id, {"open": 0, "resolved": 0})["open" if is_open else "resolved"] = n
    return out


def members_named(assistant: Assistant, names: list[str]) -> list:
    """The assistant's members among `names` (usernames): only they can be mentioned."""
    if not names:
        return []
    member_ids = Membership.objects.filter(assistant=assistant).values("user_id")
    return list(get_user_model().objects.filter(pk__in=member_ids, username__in=names, is_active=True))


def comment_html(comment: Comment) -> SafeString:
    """The comment's text, escaped, with the members it mentions linked (mentions come prefetched)."""
    url = reverse("members", args=[comment.thread.assistant.slug])
    return render_body(comment.body, {m.user.get_username(): url for m in comment.mentions.all()})


def thread_to_api(thread: Thread) -> dict:
    """A thread as the API returns it (ThreadOut); `outdated` comes from the selectors above."""
    name = lambda user: user.get_username() if user else None  # noqa: E731
    return {
        "id": thread.pk, "kind": thread.kind, "target": thread.target_label, "outdated": thread.outdated,
        "flow_id": (thread.flow.flow_id if thread.flow_id else thread.target_name) if thread.kind == TargetKind.FLOW_STEP else None,
        "step_id": thread.step_id or None,
        "response": (thread.response.name if thread.response_id else thread.target_name) if thread.kind == TargetKind.RESPONSE else None,
        "resolved": thread.resolved, "resolved_by": name(thread.resolved_by), "resolved_at": thread.resolved_at,
        "created_by": name(thread.created_by), "created_at": thread.created_at,
        "comments": [comment_to_api(c) for c in thread.comments.all()],
    }


def comment_to_api(comment: Comment) -> dict:
    return {"id": comment.pk, "thread_id": comment.thread_id, "revision": comment.revision,
            "author": comment.author.get_username() if comment.author else None, "body": comment.body,
            "html": str(comment_html(comment)), "mentions": [m.user.get_username() for m in comment.mentions.all()],
            "created_at": comment.created_at, "edited_at": comment.edited_at}


def _visible_mentions(user) -> QuerySet[Mention]:
    """A member removed from an assistant no longer sees what was said there."""
    mentions = Mention.objects.filter(user=user)
    if not user.is_superuser:
        mentions = mentions.filter(comment__thread__assistant__memberships__user=user)
    return mentions


def mentions_for_user(user, *, limit: int = 100) -> list[Mention]:
    mentions = _visible_mentions(user).select_related(
        "comment__author", "comment__thread__assistant", "comment__thread__flow", "comment__thread__response")
    return list(mentions[:limit])


def mention_get_for_user(user, mention_id: int) -> Mention:
    mention = _visible_mentions(user).select_related("comment__thread__assistant", "comment__thread__flow",
                                                     "comment__thread__response").filter(pk=mention_id).first()
    if mention is None:
        raise NotFound(f"Mention {mention_id} not found")
    return mention


def mention_unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return _visible_mentions(user).filter(read_at=None).count()
