"""The assistant's e2e test files: their one home (SourceFile rows of kind e2e_test, the rows an
imported `tests/**.yml` arrives as) and the exchange's writer of them, plus the generated starter.

Tests saved in the studio are kept exactly like imported ones, so an export writes them back under
`tests/` byte for byte and a re-import gives the same rows back.
"""

from __future__ import annotations

import hashlib

from django.db import transaction

from studio.assistants.models import Assistant
from studio.e2etests.generate import generate_path_tests, tests_text
from studio.exchange.models import SourceFile
from studio.exchange.yamlproject.files import KIND_E2E

E2E_PATH = "tests/e2e_test_cases.yml"  # Rasa's default; the starter file of a studio-built assistant
GENERATED_PATH = "tests/flow_paths.yml"  # where "Generate tests" saves


def content_hash(text: str | bytes) -> str:
    """A file's revision token: edits carry it, and a file changed since is a 409."""
    data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    return hashlib.sha256(data).hexdigest()[:16]


def test_files(assistant: Assistant) -> dict[str, str]:
    """{path: text} of every e2e test file, in path order."""
    rows = SourceFile.objects.filter(assistant=assistant, kind=KIND_E2E).order_by("path")
    return {path: bytes(content).decode("utf-8", errors="replace") for path, content in rows.values_list("path", "content")}


def test_file_locked(assistant: Assistant, path: str) -> str | None:
    """One test file's text, its row locked until the caller's transaction ends (edits check a revision
    against it, so two saves from the same revision cannot both pass)."""
    row = (SourceFile.objects.select_for_update().filter(assistant=assistant, path=path, kind=KIND_E2E)
           .values_list("content", flat=True).first())
    return None if row is None else bytes(row).decode("utf-8", errors="replace")


@transaction.atomic
def test_file_write(assistant: Assistant, path: str, text: str) -> None:
    """Create or replace one test file (the caller judged it with the engine's e2e reader)."""
    SourceFile.objects.update_or_create(assistant=assistant, path=path,
                                        defaults={"kind": KIND_E2E, "content": text.encode("utf-8"), "items": None})


def test_file_delete(assistant: Assistant, path: str) -> None:
    SourceFile.objects.filter(assistant=assistant, path=path, kind=KIND_E2E).delete()


def generated_tests(assistant: Assistant) -> bytes | None:
    """The starter test file of an export: test cases for every branch of every flow, or None
    when the assistant does not build (an export with problems) or has no flow a user can start."""
    from studio.assistants.engine_adapter import assistant_snapshot, snapshot_built

    snapshot, problems = assistant_snapshot(assistant)
    built = None if problems else snapshot_built(snapshot)[0]
    if built is None:
        return None
    generated = generate_path_tests(built)
    return tests_text(generated.to_data()).encode("utf-8") if generated.cases else None
