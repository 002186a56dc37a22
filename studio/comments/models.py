"""Comment threads on a flow step or a response, their comments, and the @mentions in them."""
from __future__ import annotations

from django.conf import settings
from django.db import models

from studio.assistants.models import Assistant, Flow, Response

BODY_MAX = 4000


class TargetKind(models.TextChoices):
    FLOW_STEP = "flow-step", "Flow step"
    RESPONSE = "response", "Response"


class Thread(models.Model):
    """A discussion about one flow step or one response.

    The target is held by its row (`flow`/`response`), so a rename, which keeps the row, keeps the
    thread on it; `target_name` is the name last seen, shown once the row is deleted (the thread is
    then "outdated", never lost). A step is held by its id; saves that change ids move it (signals.py).
    """

    assistant = models.ForeignKey(Assistant, on_delete=models.CASCADE, related_name="comment_threads")
    kind = models.CharField(max_length=16, choices=TargetKind.choices)
    flow = models.ForeignKey(Flow, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    response = models.ForeignKey(Response, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target_name = models.CharField(max_length=200)
    step_id = models.CharField(max_length=400, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["assistant", "kind", "target_name"], name="comments_thread_target")]

    def __str__(self) -> str:
        return f"thread {self.pk} on {self.target_label}"

    @property
    def resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def target_label(self) -> str:
        if self.kind == TargetKind.RESPONSE:
            return self.response.name if self.response_id else self.target_name
        flow_id = self.flow.flow_id if self.flow_id else self.target_name
        return f"{flow_id} / {self.step_id}"


class Comment(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(max_length=BODY_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"comment {self.pk}"

    def to_api(self) -> dict:
        return {"id": self.pk, "revision": self.revision, "body": self.body}


class Mention(models.Model):
    """A member named with @username in a comment; unread until they open it from their mentions."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_mentions")
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-comment__created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="mention_unique_per_comment")]
