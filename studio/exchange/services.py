"""Import and export of Rasa Pro projects; every entrance (page, API, command) calls these."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from studio.accounts.permissions import CAN_IMPORT, CAN_MANAGE, CAN_READ, require_role
from studio.assistants import services as assistant_services
from studio.assistants.engine_adapter import assistant_problems, problems_text
from studio.assistants.models import Assistant
from studio.core.exceptions import DomainError, ValidationFailed
from studio.core.exceptions import Problem as FieldProblem
from studio.exchange import e2e, rows
from studio.exchange.models import SourceFile
from studio.exchange.yamlproject import (
    FLOWS,
    KINDS,
    Item,
    ParsedProject,
    Problem,
    ProjectFiles,
    ProjectInvalid,
    build_zip,
    files_from_mapping,
    parse_project,
    read_directory,
    read_zip,
    write_project,
    yamlio,
)
from studio.exchange.yamlproject.files import KIND_E2E, MODELLED_KINDS, megabytes

ROOT_TEXT_FIELDS = {"config.yml": "config_yaml", "endpoints.yml": "endpoints_yaml",
                    "credentials.yml": "credentials_yaml"}
# What each root file holds, for "only an owner may change the endpoints".
ROOT_TEXT_NOUNS = {"config.yml": "configuration", "endpoints.yml": "endpoints", "credentials.yml": "credentials"}
Source = ProjectFiles | str | Path | bytes | BinaryIO | dict


class ImportRefused(ValidationFailed):
    """The project cannot be imported; `project_problems` keeps file, line, flow and step."""

    def __init__(self, problems: list[Problem]) -> None:
        self.project_problems = problems
        super().__init__([FieldProblem(_loc(p), p.message) for p in problems])


def _loc(problem: Problem) -> tuple:
    loc: list = [problem.file or "project"]
    if problem.line:
        loc.append(problem.line)
    if problem.flow_id:
        loc.append(problem.flow_id)
    if problem.step_id:
        loc.append(problem.step_id)
    return tuple(loc)


@dataclass
class ImportResult:
    assistant: Assistant
    warnings: list[Problem]
    counts: dict[str, int]


@dataclass
class ItemChange:
    kind: str
    name: str
    status: str  # added | changed | removed
    diff: str = ""


@dataclass
class ImportPreview:
    assistant: Assistant
    changes: list[ItemChange]
    files_changed: list[str]
    warnings: list[Problem] = field(default_factory=list)

    def of(self, status: str) -> list[ItemChange]:
        return [c for c in self.changes if c.status == status]

    @property
    def is_empty(self) -> bool:
        return not self.changes and not self.files_changed


# ---- reading -------------------------------------------------------------------------------

def _upload_too_large(name: str, size: int | None) -> ProjectInvalid:
    actual = f"{megabytes(size)} MB; " if size is not None else ""
    limit = megabytes(settings.UPLOAD_MAX_BYTES)
    return ProjectInvalid([Problem(f"upload too large ({actual}at most {limit} MB)", file=name)])


def upload_bytes(source: bytes | BinaryIO) -> tuple[bytes, str]:
    """An uploaded zip's bytes and file name, refused past UPLOAD_MAX_BYTES before it is read whole."""
    limit = settings.UPLOAD_MAX_BYTES
    if isinstance(source, bytes):
        data, name = source, "upload.zip"
    else:
        name = Path(getattr(source, "name", "") or "upload.zip").name
        size = getattr(source, "size", None)
        if size is not None and size > limit:
            raise _upload_too_large(name, size)
        data = source.read(limit + 1)
    if len(data) > limit:
        raise _upload_too_large(name, len(data) if isinstance(source, bytes) else None)
    return data, name


def _read_source(source: Source) -> ProjectFiles:
    if isinstance(source, ProjectFiles):
        return source
    if isinstance(source, dict):
        return files_from_mapping(source)
    if isinstance(source, (str, Path)):
        path = Path(source)
        if path.is_dir():
            return read_directory(path)
        if not path.is_file():
            raise ProjectInvalid([Problem(f"no such file or directory: {path}")])
        with path.open("rb") as handle:
            data, name = upload_bytes(handle)
    else:
        data, name = upload_bytes(source)
    return read_zip(data, name=name, max_bytes=settings.UPLOAD_MAX_BYTES)


def project_parse(source: Source) -> ParsedProject:
    """Read and check a project; ImportRefused lists every problem."""
    try:
        parsed = parse_project(_read_source(source))
    except ProjectInvalid as exc:
        raise ImportRefused(exc.problems) from None
    if parsed.problems:
        raise ImportRefused(parsed.problems)
    return parsed


# ---- writing rows --------------------------------------------------------------------------

def _config_value(parsed: ParsedProject, key: str) -> str:
    file = parsed.files.get("config.yml")
    doc = file.plain if file is not None else None
    value = doc.get(key) if isinstance(doc, dict) else None
    return str(value) if value else ""


def _store_files(assistant: Assistant, parsed: ParsedProject) -> None:
    snapshot = rows.items_by_file(parsed.content)
    SourceFile.objects.filter(assistant=assistant).delete()
    SourceFile.objects.bulk_create(
        SourceFile(assistant=assistant, path=f.path, kind=f.kind, content=f.raw,
                   items=snapshot.get(f.path, {}) if f.kind in MODELLED_KINDS else None)
        for f in parsed.files)


def _store_root_texts(assistant: Assistant, parsed: ParsedProject) -> None:
    for path, attr in ROOT_TEXT_FIELDS.items():
        setattr(assistant, attr, parsed.text_of(path))
    assistant.save(update_fields=[*ROOT_TEXT_FIELDS.values(), "updated_at"])


def _sync_rows(assistant: Assistant, kind: str, items: dict[str, Item], user) -> None:
    """Make the rows of one kind equal the items: update changed ones in place, create, delete."""
    model, name_field = rows.MODELS[kind], rows.NAME_FIELD[kind]
    existing = {rows.row_name(kind, r): r for r in model.objects.filter(assistant=assistant)}
    model.objects.filter(pk__in=[r.pk for n, r in existing.items() if n not in items]).delete()
    audited = hasattr(model, "updated_by")
    new_rows = []
    for name, item in items.items():
        fields = rows.row_fields(kind, item)
        row = existing.get(name)
        if row is None:
            row = model(assistant=assistant, **{name_field: name}, **fields, **({"updated_by": user} if audited else {}))
            if kind == FLOWS:
                row.is_pattern = name.startswith("pattern_")  # bulk_create skips Flow.save()
            new_rows.append(row)
            continue
        if all(getattr(row, attr) == value for attr, value in fields.items()):
            continue
        changed = rows.row_body(kind, row) != item.body
        for attr, value in fields.items():
            setattr(row, attr, value)
        if audited and changed:
            row.revision += 1
            row.updated_by = user
        row.save()
    # One INSERT per kind instead of one per row: a 500-flow import writes ~2000 rows. Their first
    # versions are kept the same way (bulk_create sends no signals for studio.history to hear).
    bulk_create_with_history(new_rows, model, batch_size=500, default_user=user)


def _counts(parsed: ParsedProject) -> dict[str, int]:
    return {kind: len(parsed.content.of(kind)) for kind in KINDS}


def _apply(assistant: Assistant, parsed: ParsedProject, user) -> None:
    _store_root_texts(assistant, parsed)
    for kind in KINDS:
        _sync_rows(assistant, kind, parsed.content.of(kind), user)
    _store_files(assistant, parsed)
    assistant_services.assistant_touch(assistant)


@transaction.atomic
def assistant_import(*, user, source: Source, assistant: Assistant | None = None, name: str = "") -> ImportResult:
    """Import a project as a new assistant (or into `assistant`): all or nothing."""
    if assistant is not None:
        return import_apply(user=user, assistant=assistant, source=source)
    parsed = project_parse(source)
    name = name.strip() or _config_value(parsed, "assistant_id") or "Imported assistant"
    language = _config_value(parsed, "language") or "en"
    assistant = assistant_services.assistant_create(user=user, name=name, language=language)
    _apply(assistant, parsed, user)
    return ImportResult(assistant, parsed.warnings, _counts(parsed))


def _check_owner_files(user, assistant: Assistant, parsed: ParsedProject) -> None:
    """The root files are the settings page's config/endpoints (and credentials): owners only."""
    if require_role(user, assistant, *CAN_IMPORT) in CAN_MANAGE:
        return
    problems = []
    for path, attr in ROOT_TEXT_FIELDS.items():
        if parsed.text_of(path) != getattr(assistant, attr):
            missing = "" if parsed.files.get(path) else f" (the upload has no {path})"
            problems.append(Problem(f"only an owner may change the {ROOT_TEXT_NOUNS[path]}{missing}", file=path))
    if problems:
        raise ImportRefused(problems)


@transaction.atomic
def import_apply(*, user, assistant: Assistant, source: Source) -> ImportResult:
    """Replace the assistant's content with the project's as one change (designer and up)."""
    require_role(user, assistant, *CAN_IMPORT)
    parsed = project_parse(source)
    _check_owner_files(user, assistant, parsed)
    _apply(assistant, parsed, user)
    assistant.refresh_from_db()
    return ImportResult(assistant, parsed.warnings, _counts(parsed))


def _yaml_of(name: str, body: Any) -> list[str]:
    if body is None:
        return []
    return yamlio.dump(yamlio.to_node({name: body})).splitlines(keepends=True)


def _item_changes(kind: str, before: dict[str, Item], after: dict[str, Item]) -> list[ItemChange]:
    changes = [ItemChange(kind, n, "added", "".join(difflib.unified_diff(
        [], _yaml_of(n, after[n].body), "current", "imported"))) for n in after if n not in before]
    for name in before:
        if name not in after:
            changes.append(ItemChange(kind, name, "removed"))
        elif before[name].body != after[name].body:
            diff = difflib.unified_diff(_yaml_of(name, before[name].body), _yaml_of(name, after[name].body),
                                        "current", "imported")
            changes.append(ItemChange(kind, name, "changed", "".join(diff)))
    order = {"added": 0, "changed": 1, "removed": 2}
    return sorted(changes, key=lambda c: (order[c.status], c.name))


def import_preview(*, user, assistant: Assistant, source: Source) -> ImportPreview:
    """What a re-import would add, change (with a YAML diff) and remove; nothing is saved."""
    require_role(user, assistant, *CAN_IMPORT)
    parsed = project_parse(source)
    _check_owner_files(user, assistant, parsed)
    current = rows.content_from_db(assistant)
    changes = [c for kind in KINDS for c in _item_changes(kind, current.of(kind), parsed.content.of(kind))]
    old_files, new_files = rows.source_files(assistant), parsed.files.raw_by_path()
    kept_verbatim = {f.path for f in parsed.files if f.kind not in ("flows", "domain")}
    files_changed = sorted(p for p in (set(old_files) | set(new_files))
                           if old_files.get(p) != new_files.get(p) and (p in kept_verbatim or p not in new_files))
    return ImportPreview(assistant, changes, files_changed, parsed.warnings)


# ---- export --------------------------------------------------------------------------------

def _root_replacements(assistant: Assistant, sources: dict[str, bytes]) -> dict[str, bytes | None]:
    replace: dict[str, bytes | None] = {}
    for path, attr in ROOT_TEXT_FIELDS.items():
        text = getattr(assistant, attr) or ""
        if text and sources.get(path) != text.encode("utf-8"):
            replace[path] = text.encode("utf-8")
        elif not text and path in sources:
            replace[path] = None
    return replace


class ExportRefused(DomainError):
    """The assistant has errors Rasa Pro would refuse; `problems` lists them. A caller may override."""

    status = 422

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        count = f"{len(self.problems)} problem{'' if len(self.problems) == 1 else 's'}"
        super().__init__(f"Export refused: the assistant has {count} Rasa Pro would refuse: "
                         f"{problems_text(self.problems)}")


def problem_editor_url(assistant: Assistant, problem: Problem) -> str | None:
    """Where the graph editor shows the problem's flow (and selects its step)."""
    if not problem.flow_id:
        return None
    url = reverse("flow_editor", kwargs={"slug": assistant.slug, "flow_id": problem.flow_id})
    return f"{url}#step={quote(problem.step_id, safe='')}" if problem.step_id else url


def assistant_export(*, user, assistant: Assistant, allow_problems: bool = False) -> dict[str, bytes]:
    """The assistant as a Rasa Pro 3.21 project: {relative path: bytes} (viewer and up).

    An assistant with errors (what a build would list) is refused with ExportRefused, unless the
    caller explicitly allows problems: Rasa would reject such an export.
    """
    require_role(user, assistant, *CAN_READ)
    if not allow_problems:
        problems = assistant_problems(assistant)
        if problems:
            raise ExportRefused(problems)
    sources = rows.source_files(assistant)
    files = files_from_mapping(sources, rows.source_kinds(assistant)) if sources else None
    content = rows.content_from_db(assistant)
    out = write_project(files, content, _root_replacements(assistant, sources),
                        original=rows.imported_content(assistant) if files else None)
    if not sources and not any(f.kind == KIND_E2E for f in files_from_mapping(out)):
        tests = e2e.generated_tests(assistant)
        if tests:
            out[e2e.E2E_PATH] = tests
    return out


def assistant_export_zip(*, user, assistant: Assistant, allow_problems: bool = False) -> bytes:
    files = assistant_export(user=user, assistant=assistant, allow_problems=allow_problems)
    return build_zip(files, root=assistant.slug)


def export_to_directory(files: dict[str, bytes], target: Path) -> list[Path]:
    """Write exported files under `target`; returns the written paths."""
    written = []
    for rel, data in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


# ---- renames ------------------------------------------------------------------------------
# The rename service lives in renames.py (with delete-and-remove-references); kept importable here.
from studio.exchange.renames import assistant_item_rename  # noqa: E402,F401
