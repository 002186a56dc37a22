import json
from typing import Any

from django.conf import settings
from django.db import models


class Outcome(models.TextChoices):
    """Where a conversation stands, read from its events after every turn (services.outcome_after)."""

    IN_PROGRESS = "in_progress", "in progress"
    COMPLETED = "completed", "completed"
    CANCELLED = "cancelled", "cancelled"
    HANDED_OFF = "handed_off", "handed off"
    FAILED = "failed", "failed"


class Conversation(models.Model):
    """A try-it conversation; `state` is the engine's JSON (stack, slots, events)."""

    assistant = models.ForeignKey("assistants.Assistant", on_delete=models.CASCADE, related_name="conversations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations")
    version = models.ForeignKey(
        "training.AssistantVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    state = models.JSONField(default=dict, blank=True)
    title = models.CharField(max_length=200, blank=True, default="")
    # User flows started so far, in first-seen order; kept on the row so the list page reads no turns.
    flows = models.JSONField(default=list, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.IN_PROGRESS)
    turn_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["assistant", "user", "-updated_at"], name="tryit_conv_assistant_user")]

    def __str__(self) -> str:
        return f"conversation {self.pk} on {self.assistant}"

    @property
    def display_title(self) -> str:
        return self.title or f"Conversation {self.pk}"


class OrderedJSONField(models.TextField):
    """JSON kept as written: PostgreSQL's jsonb reorders object keys, and a stored turn must show its
    slots, commands and events in the order the live inspector showed them."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return None if value is None else json.loads(value)

    def to_python(self, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    def get_prep_value(self, value: Any) -> Any:
        return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


class TurnKind(models.TextChoices):
    START = "start", "session start"
    MESSAGE = "message", "message"
    SLOTS = "slots", "slots set by hand"


class ConversationTurn(models.Model):
    """One stored turn: what the inspector showed (`data`) and the engine state after it (for replay)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="turns")
    index = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=TurnKind.choices, default=TurnKind.MESSAGE)
    user_text = models.TextField(blank=True, default="")
    # The service's turn dict: messages, commands, stack, slots, events, understanding (prompt,
    # raw output, tokens), live step, latency split.
    data = OrderedJSONField(default=dict)
    state = models.JSONField(default=dict)
    latency_ms = models.FloatField(default=0.0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["conversation", "index"]
        constraints = [models.UniqueConstraint(fields=["conversation", "index"], name="tryit_turn_unique_index")]

    def __str__(self) -> str:
        return f"turn {self.index} of conversation {self.conversation_id}"
