"""Usages in the files kept verbatim (training data, e2e tests, forms, config, endpoints) and in action code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from . import yamlio
from .content import ACTIONS, FLOWS, RESPONSES, SLOTS
from .files import KIND_CONFIG, KIND_DOMAIN, KIND_E2E, KIND_ENDPOINTS, KIND_TRAINING
from .sites import Site, Usage, dropper, key_renamer, popper, setter, slot_text_renamer, text_site


# Keys whose value names an item, in stories/rules and Rasa's e2e test format.
_VALUE_KEYS = {
    FLOWS: {"flow_started", "flow_id"},
    RESPONSES: {"utter", "utter_name", "action", "action_executed"},
    ACTIONS: {"action", "action_executed"},
    SLOTS: set(),
}
_LIST_KEYS = {FLOWS: {"pattern_clarification_contains", "flow_ids"}, SLOTS: {"required_slots"}}
_SLOT_LISTS = {"slot_was_set", "slot_was_not_set"}


@dataclass
class _Walk:
    path: str
    file_kind: str
    kind: str
    name: str
    fix: Callable[[str, str], str] | None

    def usage(self, chain: list, container: Any, key: Any, what: str, removable: bool) -> Usage:
        return Usage(self.path, yamlio.line_of(container, key), f"{_owner(self, chain)}: {what}", removable, key=what)


def _owner(w: _Walk, chain: list) -> str:
    for container, _ in chain:
        if isinstance(container, dict):
            for key, label in (("test_case", "test"), ("story", "story"), ("rule", "rule")):
                if isinstance(container.get(key), str):
                    return f"{label} {container[key]}"
    if w.file_kind == KIND_DOMAIN and len(chain) >= 2 and str(chain[0][1]) == "forms":
        return f"form {chain[1][1]}"
    if chain and str(chain[0][1]) == "stub_custom_actions":
        return "stub_custom_actions"
    if len(chain) >= 3 and str(chain[0][1]) == "fixtures":
        return f"fixture {chain[2][1]}"
    return w.path


def _remove_list_item(chain: list) -> Callable[[], None] | None:
    """Remove the innermost list item on the chain. A list left empty goes too: its key when the
    mapping holding it has others (`assertions:`), else that mapping's own list item (`- slot_was_set:`)."""
    at = max((n for n, (c, _) in enumerate(chain) if isinstance(c, list)), default=None)
    if at is None:
        return None
    seq, i = chain[at]
    item = seq[i]
    holder = chain[at - 1] if at > 0 and isinstance(chain[at - 1][0], dict) else None
    outer = _remove_list_item(chain[:at - 1]) if holder else None  # captured now: indices shift later

    def run() -> None:
        dropper(seq, item)()
        if seq or holder is None:
            return
        mapping, key = holder
        if len(mapping) > 1 or outer is None:
            mapping.pop(key, None)
        else:
            outer()
    return run


def _pop_then(mapping: dict, key: Any, then: Callable[[], None] | None) -> Callable[[], None]:
    """Pop `key`; `then` runs when that leaves `mapping` empty."""
    def run() -> None:
        mapping.pop(key, None)
        if not mapping and then is not None:
            then()
    return run


def file_sites(path: str, file_kind: str, doc: Any, kind: str, name: str) -> Iterator[Site]:
    fix = slot_text_renamer(name) if kind == SLOTS else None
    w = _Walk(path, file_kind, kind, name, fix)
    if file_kind in (KIND_CONFIG, KIND_ENDPOINTS):
        yield from _scalar_sites(w, doc, [])
    elif file_kind == KIND_DOMAIN:
        if isinstance(doc, dict) and kind == SLOTS and isinstance(doc.get("forms"), dict):
            yield from _tree_sites(w, doc["forms"], [(doc, "forms")])
    else:
        yield from _tree_sites(w, doc, [])


# config.yml/endpoints.yml keys whose values are never item names (a slot called `en` is not the language).
_SETTING_KEYS = {"name", "recipe", "language", "assistant_id", "model", "model_group", "provider", "type", "url",
                 "api_base", "id", "store_type", "actions_module"}


def _scalar_sites(w: _Walk, node: Any, chain: list) -> Iterator[Site]:
    for key, value in node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []:
        if value == w.name and isinstance(value, str) and key not in _SETTING_KEYS:
            dotted = ".".join(str(k) for _, k in chain + [(node, key)])
            yield Site(Usage(w.path, yamlio.line_of(node, key), f"{w.path}: {dotted}"), setter(node, key))
        else:
            yield from _scalar_sites(w, value, chain + [(node, key)])


def _tree_sites(w: _Walk, node: Any, chain: list) -> Iterator[Site]:
    parent = str(chain[-1][1]) if chain and isinstance(chain[-1][0], dict) else (
        str(chain[-2][1]) if len(chain) > 1 else "")
    if isinstance(node, dict):
        yield from _mapping_sites(w, node, chain, parent)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            here = chain + [(node, i)]
            if value == w.name and (parent in _LIST_KEYS.get(w.kind, ()) or (w.kind == SLOTS and parent in _SLOT_LISTS)):
                yield Site(w.usage(chain, node, i, parent, True), setter(node, i), _remove_list_item(here))
            elif isinstance(value, str) and w.fix:
                yield from text_site(node, i, w.fix, w.usage(chain, node, i, "text", False))
            else:
                yield from _tree_sites(w, value, here)


def _mapping_sites(w: _Walk, node: dict, chain: list, parent: str) -> Iterator[Site]:
    in_fixture = len(chain) == 4 and chain[0][1] == "fixtures"  # fixtures: [{name: [{slot: value}]}]
    if w.kind == SLOTS and (parent in _SLOT_LISTS or in_fixture) and w.name in node:
        yield Site(w.usage(chain, node, w.name, "slot" if in_fixture else parent, True), key_renamer(node, w.name),
                   _remove_list_item(chain) if len(node) == 1 else popper(node, w.name))
    if w.kind == ACTIONS and parent == "stub_custom_actions":
        for key in [k for k in node if k == w.name or str(k).endswith(f"::{w.name}")]:
            drop_all = popper(chain[-1][0], chain[-1][1]) if chain and isinstance(chain[-1][0], dict) else None
            yield Site(w.usage(chain, node, key, "stub", True), _stub_renamer(node, str(key)),
                       _pop_then(node, key, drop_all))
    for key in list(node):
        value, here = node[key], chain + [(node, key)]
        named = key in _VALUE_KEYS[w.kind] or (w.kind == SLOTS and key == "name" and parent in _SLOT_LISTS)
        if named and value == w.name:
            yield Site(w.usage(chain, node, key, str(key), True), setter(node, key), _remove_list_item(here))
        elif isinstance(value, str) and w.fix:
            yield from text_site(node, key, w.fix, w.usage(chain, node, key, str(key), False))
        elif not isinstance(value, str):
            yield from _tree_sites(w, value, here)


def _stub_renamer(node: dict, key: str) -> Callable[[str], None]:
    def run(new: str) -> None:
        prefix = key.rsplit("::", 1)[0] + "::" if "::" in key else ""
        key_renamer(node, key)(prefix + new)
    return run


# ---- custom action code ----------------------------------------------------------------------------

def code_sites(path: str, text: str, name: str) -> list[Site]:
    word = re.compile(rf"(?<![\w]){re.escape(name)}(?![\w])")
    return [Site(Usage(path, number, line.strip()[:120], code=True, key="code"))
            for number, line in enumerate(text.splitlines(), 1) if word.search(line)]


def code_search(texts: dict[str, tuple[str, str]]) -> Callable[[str], bool]:
    """name -> whether the project's Python code names it (a whole word, or anywhere for odd names)."""
    code = [text for path, (_, text) in texts.items() if path.endswith(".py")]
    words = set().union(*(re.findall(r"\w+", text) for text in code)) if code else set()
    return lambda name: name in words if re.fullmatch(r"\w+", name) else any(name in text for text in code)


_SETSLOTS = re.compile(r"/SetSlots\(([^)]*)\)")


def names_used_in_files(docs: list[tuple[str, Any]]) -> tuple[set[str], set[str]]:
    """(actions/responses run, slots set) by training data, e2e tests and forms: [(file kind, plain doc)]."""
    used: set[str] = set()
    slots: set[str] = set()

    def walk(node: Any, parent: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                key = str(key)
                if key in _VALUE_KEYS[RESPONSES] and isinstance(value, str):
                    used.add(value)
                elif parent in _SLOT_LISTS and key != "value":
                    slots.add(str(value) if key == "name" else key)
                elif key == "stub_custom_actions" and isinstance(value, dict):
                    used.update(str(k).rsplit("::", 1)[-1] for k in value)
                walk(value, key if key != "name" else parent)
        elif isinstance(node, list):
            for value in node:
                if isinstance(value, str) and parent in _SLOT_LISTS | {"required_slots"}:
                    slots.add(value)
                walk(value, parent)
        elif isinstance(node, str) and "/SetSlots(" in node:
            for payload in _SETSLOTS.findall(node):
                slots.update(p.split("=", 1)[0].strip() for p in payload.split(","))

    for file_kind, doc in docs:
        if file_kind == KIND_DOMAIN:
            walk(doc.get("forms") if isinstance(doc, dict) else None, "")
        elif file_kind in (KIND_TRAINING, KIND_E2E):
            walk(doc, "")
    return used, slots
