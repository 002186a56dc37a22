"""Responses as a spreadsheet: one row per text or button title, one column per language.

Export is for translators and copy editors; an edited file comes back as a preview of every changed
cell, then is applied in one transaction through response_save (writer role, revision check), so
the exchange's writer changes only the edited lines on the next export.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction

from studio.accounts.permissions import CAN_EDIT_RESPONSES, CAN_READ, require_role
from studio.assistants import services
from studio.assistants.models import Assistant, Response
from studio.assistants.translations import Cell, Languages, Place, assistant_languages, response_cells, variations_with
from studio.core.exceptions import RevisionConflict, ValidationFailed

FIXED = ("response", "variation", "part", "when")
# Spreadsheets run a cell starting with these as a formula (OWASP "CSV injection"); a leading
# apostrophe makes it text. Import strips exactly the apostrophe export added.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _neutralised(value: str) -> str:
    return "'" + value if value.lstrip("'").startswith(_FORMULA_START) else value


def _restored(value: str) -> str:
    return value[1:] if value.startswith("'") and value.lstrip("'").startswith(_FORMULA_START) else value


def _part(cell: Cell) -> str:
    return "text" if cell.button is None else f"button {cell.button + 1}"


def _when(variation: dict[str, Any]) -> str:
    """Which situations the variation serves, for the reader; import ignores this column."""
    bits = []
    if variation.get("condition") not in (None, "", []):
        condition = variation["condition"]
        bits.append(f"if {condition}" if isinstance(condition, str) else "if (slot conditions)")
    if variation.get("channel"):
        bits.append(f"channel {variation['channel']}")
    return "; ".join(bits)


def responses_csv_export(*, user, assistant: Assistant) -> str:
    """Every response text and button title with its translations, as CSV text (viewer and up)."""
    require_role(user, assistant, *CAN_READ)
    languages = assistant_languages(assistant)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*FIXED, *languages.all])
    for response in Response.objects.filter(assistant=assistant).ordered():
        for cell in response_cells(response.variations):
            row = [response.name, str(cell.variation + 1), _part(cell), _when(response.variations[cell.variation]),
                   cell.source, *(cell.translated(lang) for lang in languages.additional)]
            writer.writerow([_neutralised(value) for value in row])
    return out.getvalue()


# --- import ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellChange:
    row: int
    response: str
    place: Place
    language: str
    default: bool
    old: str
    new: str

    @property
    def status(self) -> str:
        return "added" if not self.old else "removed" if not self.new else "changed"

    @property
    def label(self) -> str:
        vi, bi = self.place
        return f"variation {vi + 1}" + ("" if bi is None else f", button {bi + 1}")


@dataclass
class CsvPreview:
    changes: list[CellChange] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # The revision of each changed response as the preview saw it; apply refuses (409) if one moved.
    revisions: dict[str, int] = field(default_factory=dict)

    @property
    def responses(self) -> list[str]:
        return list(dict.fromkeys(c.response for c in self.changes))


def _column(index: int, header: str) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return f"column {letters} ({header})" if header else f"column {letters}"


def _decode(data: bytes) -> str:
    limit = settings.UPLOAD_MAX_BYTES
    if len(data) > limit:
        raise ValidationFailed.one("file", msg=f"The file is too large ({len(data) / 1048576:.1f} MB; "
                                               f"at most {limit / 1048576:.0f} MB)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed.one("file", msg=(
            f"The file is not UTF-8 text (byte {data[exc.start]:#04x} at position {exc.start}): "
            f"save it as “CSV UTF-8” and upload it again")) from None
    if "\x00" in text:
        raise ValidationFailed.one("file", msg="The file is not a CSV file: it holds NUL characters")
    return text


def _read_rows(text: str) -> list[list[str]]:
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ValidationFailed.one("file", msg=f"The file is not valid CSV: {exc}") from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ValidationFailed.one("file", msg="The file is empty: export the responses first and edit that file")
    return rows


def _header(header: list[str], languages: Languages, problems: list[str]) -> dict[str, int]:
    """{column name: index} for the known columns; unknown ones become problems."""
    columns: dict[str, int] = {}
    for index, raw in enumerate(header):
        name = raw.strip()
        if name in columns:
            problems.append(f"row 1, {_column(index, name)}: the column appears twice")
        elif name in FIXED or name in languages.all:
            columns[name] = index
        elif name:
            problems.append(f"row 1, {_column(index, name)}: not a column of a responses export; the columns are "
                            f"{', '.join((*FIXED, *languages.all))} (add a language to additional_languages first)")
    for required in FIXED[:3]:
        if required not in columns:
            problems.append(f"row 1: the column {required!r} is missing")
    return columns


def _place(cells: dict[str, dict[Place, Cell]], row: list[str], columns: dict[str, int], number: int,
           problems: list[str]) -> tuple[str, Cell] | None:
    def value(name: str) -> str:
        index = columns[name]
        return _restored(row[index]).strip() if index < len(row) else ""

    name = value("response")
    if name not in cells:
        problems.append(f"row {number}, {_column(columns['response'], 'response')}: no response named {name!r}")
        return None
    variation, part = value("variation"), value("part")
    if not variation.isdigit() or int(variation) < 1:
        problems.append(f"row {number}, {_column(columns['variation'], 'variation')}: {variation!r} is not a "
                        f"variation number (1, 2, …)")
        return None
    vi = int(variation) - 1
    words = part.split()
    if part == "text":
        place: Place = (vi, None)
    elif len(words) == 2 and words[0] == "button" and words[1].isdigit() and int(words[1]) >= 1:
        place = (vi, int(words[1]) - 1)
    else:
        problems.append(f"row {number}, {_column(columns['part'], 'part')}: {part!r} is not “text” or “button N”")
        return None
    cell = cells[name].get(place)
    if cell is None:
        problems.append(f"row {number}, {_column(columns['part'], 'part')}: {name} has no {part} in variation {vi + 1}")
        return None
    return name, cell


def _row_changes(name: str, cell: Cell, row: list[str], columns: dict[str, int], number: int,
                 languages: Languages, problems: list[str]) -> list[CellChange]:
    changes = []
    for language in languages.all:
        index = columns.get(language)
        if index is None:
            continue  # a file without this language's column leaves it as it is
        new = _restored(row[index]).replace("\r\n", "\n") if index < len(row) else ""
        default = language == languages.default
        old = cell.source if default else cell.translated(language)
        if new == old:
            continue
        if default and not new.strip():
            problems.append(f"row {number}, {_column(index, language)}: the {language} text cannot be empty; "
                            f"remove a variation or button in the response editor")
            continue
        changes.append(CellChange(number, name, cell.place, language, default, old, new))
    return changes


def _compare(assistant: Assistant, data: bytes) -> tuple[CsvPreview, dict[str, Response]]:
    languages = assistant_languages(assistant)
    rows = _read_rows(_decode(data))
    preview = CsvPreview()
    columns = _header(rows[0], languages, preview.problems)
    responses = {r.name: r for r in Response.objects.filter(assistant=assistant)}
    if any(required not in columns for required in FIXED[:3]):
        return preview, responses
    cells = {name: {c.place: c for c in response_cells(r.variations)} for name, r in responses.items()}
    seen: dict[tuple[str, Place], int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(value.strip() for value in row):
            continue
        found = _place(cells, row, columns, number, preview.problems)
        if found is None:
            continue
        name, cell = found
        if (name, cell.place) in seen:
            preview.problems.append(f"row {number}: {name} {_part(cell)} of variation {cell.variation + 1} "
                                    f"is already on row {seen[(name, cell.place)]}")
            continue
        seen[(name, cell.place)] = number
        preview.changes += _row_changes(name, cell, row, columns, number, languages, preview.problems)
    preview.revisions = {name: responses[name].revision for name in preview.responses}
    return preview, responses


def responses_csv_preview(*, user, assistant: Assistant, data: bytes) -> CsvPreview:
    """Every cell an edited export would change, and every row or column it cannot use (writer and up)."""
    require_role(user, assistant, *CAN_EDIT_RESPONSES)
    return _compare(assistant, data)[0]


@transaction.atomic
def responses_csv_apply(*, user, assistant: Assistant, data: bytes,
                        revisions: dict[str, int] | None = None) -> CsvPreview:
    """Apply an edited export all at once, or nothing: any problem refuses it (422), and with the
    preview's `revisions` a response saved since the preview is a conflict (409)."""
    require_role(user, assistant, *CAN_EDIT_RESPONSES)
    preview, responses = _compare(assistant, data)
    if preview.problems:
        raise ValidationFailed.one("file", msg="; ".join(preview.problems))
    for name in preview.responses:
        response = responses[name]
        if revisions is not None and revisions.get(name) != response.revision:
            raise RevisionConflict(response, f"{name} was changed by someone else since the preview; "
                                             f"upload the file again to see the changes against their version")
        edits = {(c.place, None if c.default else c.language): c.new for c in preview.changes if c.response == name}
        services.response_save(user=user, assistant=assistant, name=name,
                               variations=variations_with(response.variations, edits), revision=response.revision)
    return preview
