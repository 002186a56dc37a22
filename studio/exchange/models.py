"""What the studio does not model itself, kept so an export gives the project back as it came."""

import uuid

from django.conf import settings
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


class PendingImport(models.Model):
    """A previewed re-import waiting to be applied: the upload itself and what the preview saw.

    Kept here rather than in the session, so an upload never rides along with every request, and
    so applying can refuse when the assistant changed after the preview (`revisions`). Only its
    uploader may apply it; it expires (services.PENDING_IMPORT_TTL) and is deleted once applied.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assistant = models.ForeignKey(Assistant, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=255)
    content = models.BinaryField()
    # {"assistant": revision, "flows": {flow_id: revision}, "slots": {...}, "responses": {...}}
    revisions = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.name} for {self.assistant_id}"
