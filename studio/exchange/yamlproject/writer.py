"""Write a ProjectContent back over the original files, editing each file's text at the smallest scope.

Only the YAML nodes whose value changed are written again (textpatch): comments stay with
their steps, unchanged scalars keep their quoting and spelling, untouched flows and files
keep their bytes. When a change cannot be placed in the text, the file is edited as a ruamel
round-trip document instead (the older, coarser way), so a write never fails. A key that an
edit empties is taken out; a file left with nothing but `version` is left out of the export.

Layout for content without a file of its own (documented in studio/exchange/README.md):
flows go to `data/flows/<flow_id>.yml` (pattern overrides to `data/system/patterns/`); slots,
responses and actions go where the project keeps that kind of item: its `domain.yml` when it
has one (Rasa then reads no `domain/` folder), else the one `domain/` file that holds them,
else `domain/slots.yml`, `domain/responses.yml` and `domain/actions.yml`.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from . import textpatch, yamlio
from .canonical import canonical
from .content import ACTIONS, FLOWS, KINDS, RESPONSES, SLOTS, Item, ProjectContent, action_entry, read_content
from .files import KIND_DOMAIN, MODELLED_KINDS, ProjectFile, ProjectFiles

_ROOT_DOMAINS = ("domain.yml", "domain.yaml")
_DOMAIN_FILES = {SLOTS: "domain/slots.yml", RESPONSES: "domain/responses.yml", ACTIONS: "domain/actions.yml"}


def default_path(kind: str, name: str, single_domain: bool) -> str:
    if kind == FLOWS:
        # Pattern overrides go where Rasa's own templates keep them.
        folder = "data/system/patterns" if name.startswith("pattern_") else "data/flows"
        return f"{folder}/{name}.yml"
    return "domain.yml" if single_domain else _DOMAIN_FILES[kind]


def domain_homes(files: ProjectFiles | None, content: ProjectContent,
                 original: ProjectContent) -> dict[str, str]:
    """Where new slots, responses and actions go: where the project already keeps that kind of item.

    Read from the files and from the items' source paths (an assistant may have rows that name
    `domain.yml` without the file itself). Rasa reads `domain.yml` alone when it exists, so a
    project that has it never gets a `domain/` file from the studio.
    """
    paths = {f.path for f in files.of_kind(KIND_DOMAIN)} if files else set()
    for source in (content, original):
        for kind in _DOMAIN_FILES:
            paths.update(i.source_path for i in source.of(kind).values() if i.source_path)
    single = next((p for p in _ROOT_DOMAINS if p in paths), None)
    homes = {}
    for kind, default in _DOMAIN_FILES.items():
        kept = {i.source_path for source in (content, original) for i in source.of(kind).values()
                if i.source_path.startswith("domain/")}
        homes[kind] = single or (kept.pop() if len(kept) == 1 else default)
    return homes


def _home(kind: str, name: str, homes: dict[str, str]) -> str:
    return default_path(kind, name, False) if kind == FLOWS else homes[kind]


def _replaced(files: ProjectFiles | None, original: ProjectContent) -> list[Item]:
    """Responses that a data file's response of the same name replaced at import (Rasa lets the
    data file win over the domain, and the later data file over an earlier one). The studio models
    only the winner; the replaced entry stays in its file as it was, until the response is deleted
    or renamed."""
    kept = []
    # Only files that say `responses` are parsed: an export need not read every NLU file.
    for file in [f for f in files if f.kind in MODELLED_KINDS and b"responses" in f.raw] if files else []:
        doc = file.plain if file.error is None else None
        mapping = doc.get(RESPONSES) if isinstance(doc, dict) else None
        for position, (name, body) in enumerate(mapping.items() if isinstance(mapping, dict) else ()):
            winner = original.responses.get(str(name))
            if winner is not None and winner.source_path != file.path:
                kept.append(Item(str(name), body, file.path, position))
    return kept


def _group(items: dict[str, Item], kind: str, homes: dict[str, str],
           replaced: list[Item] = ()) -> dict[str, list[Item]]:
    groups: dict[str, list[Item]] = {}
    for item in [*items.values(), *(replaced if kind == RESPONSES else ())]:
        groups.setdefault(item.source_path or _home(kind, item.name, homes), []).append(item)
    for path_items in groups.values():
        # Items new to the file (no source path yet) follow the file's own items.
        path_items.sort(key=lambda i: (not i.source_path, i.position))
    return groups


def _new_doc(kind: str) -> CommentedMap:
    doc = CommentedMap()
    doc["version"] = DoubleQuotedScalarString("3.1")
    return doc


def _container(doc: CommentedMap, kind: str) -> Any:
    existing = doc.get(kind)
    wanted = CommentedSeq if kind == ACTIONS else CommentedMap
    if not isinstance(existing, wanted):
        doc[kind] = wanted()
    return doc[kind]


def _sync_mapping(container: CommentedMap, wanted: list[tuple[str, Any]]) -> None:
    names = [name for name, _ in wanted]
    removed = {}
    for index, key in reversed(list(enumerate(container))):
        if str(key) not in names:
            removed[index] = container.pop(key)
    for index, (name, body) in enumerate(wanted):
        if name in container:
            container[name] = yamlio.sync_node(container[name], body)
            if list(container).index(name) != index:
                value = container.pop(name)
                container.insert(index, name, value)
        elif index in removed:
            # A rename: the entry keeps its place and the formatting of the old one.
            container.insert(index, name, yamlio.sync_node(removed.pop(index), body))
        else:
            container.insert(index, name, yamlio.to_node(body))


def _sync_actions(container: CommentedSeq, wanted: list[tuple[str, Any]]) -> None:
    existing = {}
    for entry in container:
        parsed = action_entry(entry)
        if parsed is not None:
            existing.setdefault(parsed[0], entry)
    new = []
    for name, options in wanted:
        entry = existing.get(name)
        if entry is not None and action_entry(entry) == (name, options):
            new.append(entry)
        else:
            new.append(name if options is None else yamlio.to_node({name: options}))
    container[:] = new


def _wanted(kind: str, items: list[Item]) -> Any:
    """What the file's `kind` key must read as: new content in Rasa's key order."""
    if kind == ACTIONS:
        return [i.name if i.body is None else {i.name: i.body} for i in items]
    return {i.name: canonical(kind, i.body) for i in items}


def _rewrite(text: str, kinds: dict[str, list[Item]]) -> str:
    """The coarse way: sync a ruamel round-trip document and dump it whole in the file's style."""
    doc = yamlio.load(text)
    for kind, items in kinds.items():
        if not items:
            doc.pop(kind, None)
            continue
        container = _container(doc, kind)
        pairs = [(i.name, canonical(kind, i.body)) for i in items]
        if kind == ACTIONS:
            _sync_actions(container, pairs)
        else:
            _sync_mapping(container, pairs)
    return yamlio.dump(doc, yamlio.guess_style(text, doc))


def _edit(text: str, old: dict, new: dict, kinds: dict[str, list[Item]]) -> str:
    try:
        return textpatch.patch_text(text, old, new)
    except textpatch.Unpatchable:
        return _rewrite(text, kinds)


def _write_file(file: ProjectFile | None, path: str, kinds: dict[str, list[Item]]) -> bytes | None:
    """The file's new bytes; None when the edit left it holding nothing (it is then left out)."""
    if file is None or file.text is None or file.error is not None or not isinstance(file.plain, dict):
        doc = _new_doc("")
        for kind, items in kinds.items():
            if items:
                doc[kind] = yamlio.to_node(_wanted(kind, items))
        return None if _holds_nothing(doc, path) else yamlio.dump(doc).encode("utf-8")
    new = dict(file.plain)
    for kind, items in kinds.items():
        if items:
            new[kind] = _wanted(kind, items)
        else:
            new.pop(kind, None)  # a key the edit emptied goes, rather than stay as `flows: {}`
    if _holds_nothing(new, path):
        return None
    # Edited as LF text (ruamel keeps a CR inside comments otherwise); a Windows file keeps CRLF.
    crlf = "\r\n" in file.text
    text = file.text.replace("\r\n", "\n") if crlf else file.text
    out = _edit(text, file.plain, new, kinds)
    return (out.replace("\n", "\r\n") if crlf else out).encode("utf-8")


def _changed_paths(kind: str, before: dict[str, list[Item]], after: dict[str, list[Item]]) -> set[str]:
    changed = set()
    for path in set(before) | set(after):
        old = [(i.name, i.body) for i in before.get(path, [])]
        new = [(i.name, i.body) for i in after.get(path, [])]
        if old != new:
            changed.add(path)
    return changed


def _holds_nothing(doc: dict, path: str) -> bool:
    """Nothing but `version` and empty keys. A root domain file stays: without it Rasa would read
    the `domain/` folder instead (files are otherwise found by content, so a missing one is fine)."""
    if path in _ROOT_DOMAINS:
        return False
    return all(str(key) == "version" or value in (None, {}, []) for key, value in doc.items())


def write_project(files: ProjectFiles | None, content: ProjectContent,
                  replace: dict[str, bytes | None] | None = None,
                  original: ProjectContent | None = None) -> dict[str, bytes]:
    """Return {path: bytes} for the whole project; files with no change keep their exact bytes.

    `replace` sets (bytes) or removes (None) whole files, e.g. config.yml edited in the studio.
    `original` is what `files` contain, when the caller knows it (saves re-reading every file).
    """
    out = files.raw_by_path() if files else {}
    if original is None:
        original = read_content(files)[0] if files else ProjectContent()
    homes = domain_homes(files, content, original)
    replaced = _replaced(files, original)
    still_replaced = [i for i in replaced if i.name in content.responses]
    changed: dict[str, dict[str, list[Item]]] = {}
    for kind in KINDS:
        before = _group(original.of(kind), kind, homes, replaced)
        after = _group(content.of(kind), kind, homes, still_replaced)
        for path in sorted(_changed_paths(kind, before, after)):
            changed.setdefault(path, {})[kind] = after.get(path, [])
    for path, kinds in changed.items():
        data = _write_file(files.get(path) if files else None, path, kinds)
        if data is None:
            out.pop(path, None)  # the edit left the file holding nothing
        else:
            out[path] = data
    for path, data in (replace or {}).items():
        if data is None:
            out.pop(path, None)
        else:
            out[path] = data
    return dict(sorted(out.items()))
