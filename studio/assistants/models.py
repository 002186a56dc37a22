"""Assistant content, stored in Rasa Pro's own shapes so import and export are lossless."""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

# Rasa's key order for a flow body; extra (unknown) keys follow in their original order.
FLOW_KEYS = (
    "name",
    "description",
    "if",
    "nlu_trigger",
    "persisted_slots",
    "always_include_in_prompt",
    "run_pattern_completed",
    "steps",
)


class Assistant(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    language = models.CharField(max_length=16, default="en")
    description = models.TextField(blank=True)
    config_yaml = models.TextField(blank=True)
    endpoints_yaml = models.TextField(blank=True)
    credentials_yaml = models.TextField(blank=True)
    # Generator choice, LLM settings, prompt template: free-form so the try-it side can grow it.
    settings = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(default=1)
    # Bumped by every mock save: try-it keeps the mocks it read per (revision, mocks_revision), so a
    # turn reads no mock row, and a mock saved a moment ago still answers the next call.
    mocks_revision = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ContentQuerySet(models.QuerySet):
    def ordered(self) -> ContentQuerySet:
        return self.order_by("position", "id")


class EditedContent(models.Model):
    """What every editable item shares: where it came from, its order there, and its revision."""

    source_path = models.CharField(max_length=500, blank=True)
    position = models.PositiveIntegerField(default=0)
    revision = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class Flow(EditedContent):
    assistant = models.ForeignKey(Assistant, on_delete=models.CASCADE, related_name="flows")
    flow_id = models.CharField(max_length=200)
    name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    guard = models.JSONField(null=True, blank=True)  # Rasa key `if`: null | str | bool
    nlu_trigger = models.JSONField(null=True, blank=True)
    persisted_slots = models.JSONField(default=list, blank=True)
    always_include_in_prompt = models.JSONField(null=True, blank=True)
    run_pattern_completed = models.JSONField(null=True, blank=True)
    steps = models.JSONField(default=list, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    is_pattern = models.BooleanField(default=False)

    class Meta(EditedContent.Meta):
        constraints = [models.UniqueConstraint(fields=["assistant", "flow_id"], name="flow_unique_per_assistant")]

    def __str__(self) -> str:
        return f"flow {self.flow_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.is_pattern = self.flow_id.startswith("pattern_")
        super().save(*args, **kwargs)

    def to_rasa(self) -> dict[str, Any]:
        """The flow body as it appears under `flows.<flow_id>` in Rasa's flows.yml."""
        values = {
            "name": self.name or None,
            "description": self.description or None,
            "if": self.guard,
            "nlu_trigger": self.nlu_trigger,
            "persisted_slots": self.persisted_slots or None,
            "always_include_in_prompt": self.always_include_in_prompt,
            "run_pattern_completed": self.run_pattern_completed,
            "steps": self.steps,
        }
        body = {key: values[key] for key in FLOW_KEYS if values[key] is not None}
        body.update({key: value for key, value in self.extra.items() if key not in body})
        return body

    def to_api(self) -> dict[str, Any]:
        """The API shape of a flow (FlowOut); also the body of a 409 revision conflict."""
        return {
            "flow_id": self.flow_id,
            "revision": self.revision,
            "is_pattern": self.is_pattern,
            "source_path": self.source_path,
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
            "updated_by": self.updated_by.get_username() if self.updated_by else None,
            "body": self.to_rasa(),
        }

    @staticmethod
    def fields_from_rasa(data: dict[str, Any]) -> dict[str, Any]:
        """Model field values for a Rasa flow body (already shape-checked by the caller)."""
        return {
            "name": data.get("name") or "",
            "description": data.get("description") or "",
            "guard": data.get("if"),
            "nlu_trigger": data.get("nlu_trigger"),
            "persisted_slots": list(data.get("persisted_slots") or []),
            "always_include_in_prompt": data.get("always_include_in_prompt"),
            "run_pattern_completed": data.get("run_pattern_completed"),
            "steps": list(data.get("steps") or []),
            "extra": {key: value for key, value in data.items() if key not in FLOW_KEYS},
        }


class Slot(EditedContent):
    assistant = models.ForeignKey(Assistant, on_delete=models.CASCADE, related_name="slots")
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=40)
    # The whole Rasa slot mapping except its name (type included), unknown keys kept.
    definition = models.JSONField(default=dict, blank=True)

    class Meta(EditedContent.Meta):
        constraints = [models.UniqueConstraint(fields=["assistant", "name"], name="slot_unique_per_assistant")]

    def __str__(self) -> str:
        return f"slot {self.name}"

    def to_api(self) -> dict[str, Any]:
        return {"name": self.name, "revision": self.revision, "definition": self.to_rasa()}

    def to_rasa(self) -> dict[str, Any]:
        return {"type": self.type, **{k: v for k, v in self.definition.items() if k != "type"}}


class Response(EditedContent):
    assistant = models.ForeignKey(Assistant, on_delete=models.CASCADE, related_name="responses")
    name = models.CharField(max_length=200)
    variations = models.JSONField(default=list, blank=True)

    class Meta(EditedContent.Meta):
        constraints = [
            models.UniqueConstraint(fields=["assistant", "name"], name="response_unique_per_assistant")
        ]

    def __str__(self) -> str:
        return f"response {self.name}"

    def to_api(self) -> dict[str, Any]:
        return {"name": self.name, "revision": self.revision, "variations": self.to_rasa()}

    def to_rasa(self) -> list[dict[str, Any]]:
        return list(self.variations)


class CustomAction(EditedContent):
    assistant = models.ForeignKey(Assistant, on_delete=models.CASCADE, related_name="actions")
    name = models.CharField(max_length=200)
    # Rasa allows `- action_x` or `- action_x: {send_domain: true}`; null means the plain form.
    definition = models.JSONField(null=True, blank=True)
    # What try-it and tests answer when no action server does: one `stub_custom_actions` entry
    # ({events, responses}) or {variants: [...]} with a condition each (studio/tryit/mocks.py).
    # Studio-only: never exported to the Rasa project.
    mock = models.JSONField(null=True, blank=True)

    class Meta(EditedContent.Meta):
        constraints = [
            models.UniqueConstraint(fields=["assistant", "name"], name="action_unique_per_assistant")
        ]

    def __str__(self) -> str:
        return f"action {self.name}"

    def to_rasa(self) -> str | dict[str, Any]:
        return {self.name: self.definition} if self.definition else self.name
