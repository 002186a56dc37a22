"""One place that names an item (`Usage`) and how to edit it there (`Site`), over plain or ruamel trees."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from .content import ACTIONS, FLOWS, RESPONSES, SLOTS

WHAT = {FLOWS: "flow", SLOTS: "slot", RESPONSES: "response", ACTIONS: "action"}


@dataclass(frozen=True)
class Usage:
    path: str
    line: int | None
    where: str
    removable: bool = False  # "delete and remove the references" can take it out
    code: bool = False  # custom action code: listed, never edited
    key: str = ""  # what names it: "collect", "link", "flow_started", ...
    flow_id: str = ""  # for a flow step: its flow and its explicit id ("" when it has none)
    step_id: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.path, "line": self.line, "where": self.where,
                "removable": self.removable, "code": self.code}


@dataclass
class Site:
    usage: Usage
    rename: Callable[[str], None] | None = None
    remove: Callable[[], None] | None = None


# ---- edits on plain and round-trip trees ----------------------------------------------------------

def index_of(seq: list, item: Any) -> int | None:
    return next((i for i, x in enumerate(seq) if x is item or (isinstance(item, str) and x == item)), None)


def setter(container: Any, key: Any) -> Callable[[str], None]:
    def run(new: str) -> None:
        container[key] = new
    return run


def dropper(seq: list, item: Any, then: Callable[[], None] | None = None) -> Callable[[], None]:
    """Remove `item` from `seq`; `then` runs when that leaves `seq` empty."""
    def run() -> None:
        i = index_of(seq, item)
        if i is not None:
            del seq[i]
        if not seq and then is not None:
            then()
    return run


def key_renamer(mapping: dict, old: str) -> Callable[[str], None]:
    def run(new: str) -> None:
        if old not in mapping:
            return
        if hasattr(mapping, "insert"):  # a CommentedMap: the key keeps its place and comment
            mapping.insert(list(mapping).index(old), new, mapping.pop(old))
            return
        items = [(new if k == old else k, v) for k, v in mapping.items()]
        mapping.clear()
        mapping.update(items)
    return run


def popper(mapping: dict, key: Any) -> Callable[[], None]:
    return lambda: mapping.pop(key, None)


# ---- text inside strings: predicates, interpolations, payloads -------------------------------------

def slot_text_renamer(old: str) -> Callable[[str, str], str]:
    """(text, new) -> text with slot `old` renamed in predicates, {placeholders} and /SetSlots payloads."""
    o = re.escape(old)
    predicate = re.compile(rf"(?<![\w.])slots\.{o}(?![\w-])")
    placeholder = re.compile(rf"\{{\s*{o}\s*\}}")
    jinja = re.compile(rf"(\{{\{{\s*){o}(?![\w])")
    payload = re.compile(rf"(/SetSlots\([^)]*?)(?<![\w]){o}(\s*=)")

    def fix(text: str, new: str) -> str:
        text = predicate.sub(f"slots.{new}", text)
        text = placeholder.sub("{" + new + "}", text) if "{{" not in text else jinja.sub(rf"\g<1>{new}", text)
        return payload.sub(rf"\g<1>{new}\g<2>", text)
    return fix


def text_site(container: Any, key: Any, fix: Callable[[str, str], str], usage: Usage) -> Iterator[Site]:
    text = container.get(key) if isinstance(container, dict) else container[key]
    if isinstance(text, str) and fix(text, "\x00") != text:
        yield Site(usage, lambda new: container.__setitem__(key, fix(container[key], new)))
