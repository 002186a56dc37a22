from django.conf import settings
from django.db import models


class RunStatus(models.TextChoices):
    QUEUED = "queued", "queued"
    RUNNING = "running", "running"
    PASSED = "passed", "passed"
    FAILED = "failed", "failed"
    ERROR = "error", "could not run"


class TestRun(models.Model):
    """One run of an assistant's stored e2e tests against its current content."""

    __test__ = False  # not a pytest class, despite the name

    assistant = models.ForeignKey("assistants.Assistant", on_delete=models.CASCADE, related_name="test_runs")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    generator = models.CharField(max_length=10, default="scripted")
    # What to run: a file path, optionally one case in it; empty for every stored test.
    path = models.CharField(max_length=500, blank=True, default="")
    case = models.CharField(max_length=200, blank=True, default="")
    passed = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # [{"file", "name", "line", "passed", "failures": "the runner's message"}] in run order
    results = models.JSONField(default=list, blank=True)
    # {flow_id: {"steps": [step ids], "reached": [step ids]}}
    coverage = models.JSONField(default=dict, blank=True)
    output = models.TextField(blank=True, default="")  # exactly what `python -m engine test` prints
    error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["assistant", "-created_at"], name="e2e_run_assistant_created")]

    def __str__(self) -> str:
        return f"test run {self.pk} of {self.assistant_id}: {self.status}"

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.PASSED, RunStatus.FAILED, RunStatus.ERROR)
