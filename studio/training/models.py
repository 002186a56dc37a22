from django.conf import settings
from django.db import models


class VersionStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


UNFINISHED = (VersionStatus.QUEUED, VersionStatus.RUNNING)


class AssistantVersion(models.Model):
    """An immutable snapshot of an assistant: everything the engine needs to run it."""

    assistant = models.ForeignKey("assistants.Assistant", on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    # {"config": str, "endpoints": str, "domain": dict, "flows": dict[str, dict]}
    snapshot = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=VersionStatus.choices, default=VersionStatus.QUEUED)
    problems = models.JSONField(default=list, blank=True)
    # Why the build is failed (or was queued again), in words shown next to the status.
    reason = models.TextField(blank=True)
    # How many times the build was sent to the workers; the sweeper gives up at BUILD_MAX_ATTEMPTS.
    attempts = models.PositiveSmallIntegerField(default=0)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assistant_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["assistant", "number"], name="version_number_unique_per_assistant")
        ]
        # The sweeper looks for unfinished builds on every version listing; they are few.
        indexes = [models.Index(fields=["status"], condition=models.Q(status__in=UNFINISHED),
                                name="version_unfinished")]

    def __str__(self) -> str:
        return f"{self.assistant} v{self.number}"

    def save(self, *args, **kwargs) -> None:
        # A ready version is what conversations run on; rewriting it would change history.
        if self.pk and AssistantVersion.objects.filter(pk=self.pk, status=VersionStatus.READY).exists():
            raise ValueError(f"version {self.number} of {self.assistant} is ready and immutable")
        super().save(*args, **kwargs)
