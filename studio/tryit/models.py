from django.conf import settings
from django.db import models


class Conversation(models.Model):
    """A try-it conversation; `state` is the engine's JSON (stack, slots, events)."""

    assistant = models.ForeignKey("assistants.Assistant", on_delete=models.CASCADE, related_name="conversations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations")
    version = models.ForeignKey(
        "training.AssistantVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    state = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"conversation {self.pk} on {self.assistant}"
