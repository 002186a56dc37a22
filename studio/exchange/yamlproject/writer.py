"""Write a ProjectContent back over the original files, editing ruamel documents in place.

Layout for content without a file of its own (documented in studio/exchange/README.md):
flows go to `data/flows/<flow_id>.yml` (pattern overrides to `data/system/patterns/`); slots, responses and actions go into `domain.yml`
when the project has that single domain file, otherwise to `domain/slots.yml`,
`domain/responses.yml` and `domain/actions.yml`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from . import yamlio
from .canonical import canonical
from .content import ACTIONS, FLOWS, KINDS, RESPONSES, SLOTS, Item, ProjectContent, action_entry, read_content
from .files import KIND_DOMAIN, KIND_FLOWS, ProjectFiles

_DOMAIN_FILES = {SLOTS: "domain/slots.yml", RESPONSES: "domain/responses.yml", ACTIONS: "domain/actions.yml"}


def default_path(kind: str, name: str, single_domain: bool) -> str:
    if kind == FLOWS:
        # Pattern overrides go where Rasa's own templates keep them.
        folder = "data/system/patterns" if name.startswith("pattern_") else "data/flows"
        return f"{folder}/{name}.yml"
    return "domain.yml" if single_domain else _DOMAIN_FILES[kind]


@dataclass
class _Doc:
    doc: Any
    style: yamlio.Style
    created: bool = False
    crlf: bool = False


def _entries(items: list[Item], kind: str) -> list[tuple[str, Any]]:
    return [(i.name, i.body) for i in items]


def _group(items: dict[str, Item], kind: str, single_domain: bool) -> dict[str, list[Item]]:
    groups: dict[str, list[Item]] = {}
    for item in items.values():
        path = item.source_path or default_path(kind, item.name, single_domain)
        groups.setdefault(path, []).append(item)
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


class _Writer:
    def __init__(self, files: ProjectFiles | None):
        self.files = files
        self.docs: dict[str, _Doc] = {}

    def doc(self, path: str, kind: str) -> _Doc:
        if path not in self.docs:
            file = self.files.get(path) if self.files else None
            if file is not None and file.text is not None and file.error is None and isinstance(file.plain, dict):
                # Re-load (the shared ProjectFile stays as read), from LF text: ruamel keeps a
                # CR inside comments otherwise.
                crlf = "\r\n" in file.text
                text = file.text.replace("\r\n", "\n") if crlf else file.text
                doc = yamlio.load(text)
                self.docs[path] = _Doc(doc, yamlio.guess_style(text, doc), crlf=crlf)
            else:
                self.docs[path] = _Doc(_new_doc(kind), yamlio.DEFAULT_STYLE, created=True)
        return self.docs[path]

    def apply(self, kind: str, path: str, wanted: list[Item]) -> None:
        target = self.doc(path, kind)
        container = _container(target.doc, kind)
        pairs = [(name, canonical(kind, body)) for name, body in _entries(wanted, kind)]
        if kind == ACTIONS:
            _sync_actions(container, pairs)
        else:
            _sync_mapping(container, pairs)


def _changed_paths(kind: str, before: dict[str, list[Item]], after: dict[str, list[Item]]) -> set[str]:
    changed = set()
    for path in set(before) | set(after):
        old = [(i.name, i.body) for i in before.get(path, [])]
        new = [(i.name, i.body) for i in after.get(path, [])]
        if old != new:
            changed.add(path)
    return changed


def _is_empty_flows_file(doc: Any) -> bool:
    return isinstance(doc, dict) and not doc.get(FLOWS) and set(map(str, doc)) <= {FLOWS, "version"}


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
    single_domain = bool(files) and files.get("domain.yml") is not None and not files.has_domain_folder
    writer = _Writer(files)
    for kind in KINDS:
        before = _group(original.of(kind), kind, single_domain)
        after = _group(content.of(kind), kind, single_domain)
        for path in sorted(_changed_paths(kind, before, after)):
            writer.apply(kind, path, after.get(path, []))
    for path, target in writer.docs.items():
        one_flow_file = path.startswith(("data/flows/", "data/system/patterns/"))
        if _is_empty_flows_file(target.doc) and (target.created or one_flow_file):
            out.pop(path, None)  # the file only held flows that were deleted
            continue
        text = yamlio.dump(target.doc, target.style)
        # A file written on Windows keeps its line endings.
        out[path] = (text.replace("\n", "\r\n") if target.crlf else text).encode("utf-8")
    for path, data in (replace or {}).items():
        if data is None:
            out.pop(path, None)
        else:
            out[path] = data
    return dict(sorted(out.items()))
