"""The usages index over an assistant in the database: its rows plus the files kept verbatim.

Imports no services, so the delete services in studio.assistants can refuse a referenced item.
"""

from __future__ import annotations

from studio.assistants.models import Assistant
from studio.core.exceptions import Conflict, ValidationFailed
from studio.exchange import rows
from studio.exchange.models import SourceFile
from studio.exchange.yamlproject.usages import WHAT, Project, Usage, usages

# Files the index reads besides the rows: frames of domain files (forms), training data, e2e tests
# and code. Flow files are not read: flows live in rows.
_VERBATIM_KINDS = ("domain", "training_data", "e2e_test")
ROOT_FIELDS = {"config.yml": ("config", "config_yaml"), "endpoints.yml": ("endpoints", "endpoints_yaml")}


class ItemInUse(Conflict):
    """A delete that would leave references to the item; `usages` lists every one."""

    def __init__(self, kind: str, name: str, found: list[Usage], message: str = "") -> None:
        count = len(found)
        super().__init__(message or f"Cannot delete {WHAT[kind]} '{name}': it is used in {count} "
                                    f"place{'s' if count != 1 else ''}")
        self.usages = found

    def as_dict(self) -> dict:
        return {"detail": self.message, "usages": [u.as_dict() for u in self.usages]}


def project_texts(assistant: Assistant) -> dict[str, tuple[str, str]]:
    """{path: (file kind, text)} of the files the index searches; config and endpoints from the settings."""
    texts = {}
    for source in SourceFile.objects.filter(assistant=assistant).only("path", "kind", "content"):
        if source.kind in _VERBATIM_KINDS or source.path.endswith(".py"):
            try:
                texts[source.path] = (source.kind, bytes(source.content).decode("utf-8"))
            except UnicodeDecodeError:
                continue
    for path, (kind, attr) in ROOT_FIELDS.items():
        if getattr(assistant, attr):
            texts[path] = (kind, getattr(assistant, attr))
    return texts


def usage_project(assistant: Assistant) -> Project:
    """The index's view of the assistant: its rows and its verbatim files (one read, many lookups),
    for finding usages only (its documents are shared; renames build their own Project)."""
    return Project(rows.content_from_db(assistant), project_texts(assistant), read_only=True)


def item_usages(assistant: Assistant, kind: str, name: str) -> list[Usage]:
    """Every place that names the item; callers check the user's role."""
    if kind not in WHAT:
        raise ValidationFailed.one("kind", msg=f"{kind!r} is not one of {', '.join(WHAT)}")
    return usages(usage_project(assistant), kind, name)


def refuse_if_used(assistant: Assistant, kind: str, name: str) -> None:
    """Raise ItemInUse listing every usage, unless only custom action code names the item."""
    found = item_usages(assistant, kind, name)
    if any(not u.code for u in found):
        raise ItemInUse(kind, name, found)
