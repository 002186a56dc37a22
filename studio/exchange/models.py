"""What the studio does not model itself, kept so an export gives the project back as it came."""

from django.db import models

from studio.assistants.models import Assistant


class SourceFile(models.Model):
    """One file of the last imported project, byte for byte.

    Flow/Slot/Response/CustomAction rows are the truth for what the studio edits; these
    files are the frame they are written back into (comments, order, other keys), plus
    everything the studio keeps verbatim: NLU, stories, e2e tests, actions, docs, prompts.
    """

    assistant = models.ForeignKey(Assistant, on_delete=models.CASCADE, related_name="source_files")
    path = models.CharField(max_length=500)
    kind = models.CharField(max_length=20)
    content = models.BinaryField()
    # What the file held of the studio's content at import ({kind: [[name, body], ...]}), so an
    # export finds the changed files without parsing every file again; null for other files.
    items = models.JSONField(null=True, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["assistant", "path"], name="source_file_unique_path")]

    def __str__(self) -> str:
        return self.path
