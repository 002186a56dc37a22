"""Reads of what the exchange keeps verbatim (the studio shows these files, it does not edit them)."""
from __future__ import annotations

from typing import Any

from studio.accounts.permissions import CAN_READ, require_role
from studio.assistants.models import Assistant
from studio.exchange.models import SourceFile
from studio.exchange.yamlproject.files import KIND_TRAINING

TRAINING_PREVIEW_BYTES = 200_000  # a page, not a download: longer files are cut (the export has them whole)


def training_data_files_for_user(user, assistant: Assistant) -> list[dict[str, Any]]:
    """The imported NLU, stories and rules files (shown read-only) if the user may read the assistant."""
    require_role(user, assistant, *CAN_READ)
    files = []
    for path, content in SourceFile.objects.filter(assistant=assistant, kind=KIND_TRAINING).values_list(
            "path", "content"):
        raw = bytes(content)
        files.append({"path": path, "text": raw[:TRAINING_PREVIEW_BYTES].decode("utf-8", errors="replace"),
                      "truncated": len(raw) > TRAINING_PREVIEW_BYTES})
    return files
