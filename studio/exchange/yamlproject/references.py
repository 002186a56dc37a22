"""Rename a flow, slot, response or action and every reference to it, in plain content."""

from __future__ import annotations

import copy
import re
from typing import Any, Callable

from .checks import walk_steps
from .content import ACTIONS, FLOWS, RESPONSES, SLOTS, Item, ProjectContent


def _steps(content: ProjectContent):
    for flow in content.flows.values():
        if isinstance(flow.body, dict):
            for s in walk_steps(flow.name, flow.body.get("steps")):
                if isinstance(s.step, dict):
                    yield flow, s.step


def _rename_key(items: dict[str, Item], old: str, new: str) -> dict[str, Item]:
    if old not in items:
        raise KeyError(old)
    if new in items:
        raise ValueError(f"'{new}' already exists")
    renamed = {}
    for name, item in items.items():
        if name == old:
            item.name = new
            renamed[new] = item
        else:
            renamed[name] = item
    return renamed


def _slot_pattern(old: str) -> re.Pattern:
    return re.compile(rf"(?<![\w.])slots\.{re.escape(old)}(?![\w-])")


def _map_predicates(value: Any, fn: Callable[[str], str]) -> Any:
    return fn(value) if isinstance(value, str) else value


def _rename_in_predicates(content: ProjectContent, old: str, new: str) -> None:
    pattern = _slot_pattern(old)

    def fix(text: str) -> str:
        return pattern.sub(f"slots.{new}", text)

    for flow in content.flows.values():
        if isinstance(flow.body, dict) and "if" in flow.body:
            flow.body["if"] = _map_predicates(flow.body["if"], fix)
    for _, step in _steps(content):
        for branch in step.get("next") if isinstance(step.get("next"), list) else []:
            if isinstance(branch, dict) and "if" in branch:
                branch["if"] = _map_predicates(branch["if"], fix)
        for rejection in step.get("rejections") or []:
            if isinstance(rejection, dict) and "if" in rejection:
                rejection["if"] = _map_predicates(rejection["if"], fix)
    for slot in content.slots.values():
        validation = slot.body.get("validation") if isinstance(slot.body, dict) else None
        for rejection in validation.get("rejections") or [] if isinstance(validation, dict) else []:
            if isinstance(rejection, dict) and "if" in rejection:
                rejection["if"] = _map_predicates(rejection["if"], fix)
    for response in content.responses.values():
        for variation in response.body if isinstance(response.body, list) else []:
            if not isinstance(variation, dict):
                continue
            condition = variation.get("condition")
            if isinstance(condition, str):
                variation["condition"] = fix(condition)
            elif isinstance(condition, list):
                for c in condition:
                    if isinstance(c, dict) and c.get("name") == old:
                        c["name"] = new
            _rename_slot_in_texts(variation, old, new)


def _rename_slot_in_texts(variation: dict, old: str, new: str) -> None:
    placeholder = re.compile(rf"\{{\s*{re.escape(old)}\s*\}}")
    jinja = re.compile(rf"(\{{\{{\s*){re.escape(old)}(?![\w])")
    payload = re.compile(rf"(/SetSlots\([^)]*?)(?<![\w]){re.escape(old)}(\s*=)")

    def fix(text: str) -> str:
        text = placeholder.sub("{" + new + "}", text) if "{{" not in text else jinja.sub(rf"\g<1>{new}", text)
        return payload.sub(rf"\g<1>{new}\g<2>", text)

    if isinstance(variation.get("text"), str):
        variation["text"] = fix(variation["text"])
    for button in variation.get("buttons") or []:
        if isinstance(button, dict):
            for key in ("title", "payload"):
                if isinstance(button.get(key), str):
                    button[key] = fix(button[key])


def _rename_slot(content: ProjectContent, old: str, new: str) -> None:
    for flow, step in _steps(content):
        if step.get("collect") == old:
            step["collect"] = new
            # The question came from the default name; keep asking with the same response.
            if "utter" not in step and f"utter_ask_{old}" in content.responses:
                step["utter"] = f"utter_ask_{old}"
        for entry in step.get("set_slots") or []:
            if isinstance(entry, dict) and old in entry:
                entry[new] = entry.pop(old)
    for flow in content.flows.values():
        if isinstance(flow.body, dict) and isinstance(flow.body.get("persisted_slots"), list):
            flow.body["persisted_slots"] = [new if s == old else s for s in flow.body["persisted_slots"]]
    _rename_in_predicates(content, old, new)


def _rename_response(content: ProjectContent, old: str, new: str) -> None:
    for _, step in _steps(content):
        if step.get("action") == old:
            step["action"] = new
        if step.get("utter") == old:
            step["utter"] = new
        elif "collect" in step and "utter" not in step and old == f"utter_ask_{step['collect']}":
            step["utter"] = new
        for rejection in step.get("rejections") or []:
            if isinstance(rejection, dict) and rejection.get("utter") == old:
                rejection["utter"] = new
    for slot in content.slots.values():
        validation = slot.body.get("validation") if isinstance(slot.body, dict) else None
        if isinstance(validation, dict):
            if validation.get("refill_utter") == old:
                validation["refill_utter"] = new
            for rejection in validation.get("rejections") or []:
                if isinstance(rejection, dict) and rejection.get("utter") == old:
                    rejection["utter"] = new


def _rename_flow(content: ProjectContent, old: str, new: str) -> None:
    for _, step in _steps(content):
        for kind in ("link", "call"):
            if step.get(kind) == old:
                step[kind] = new


def _rename_action(content: ProjectContent, old: str, new: str) -> None:
    for _, step in _steps(content):
        if step.get("action") == old:
            step["action"] = new


_RENAMERS = {FLOWS: _rename_flow, SLOTS: _rename_slot, RESPONSES: _rename_response, ACTIONS: _rename_action}


def rename(content: ProjectContent, kind: str, old: str, new: str) -> ProjectContent:
    """Return a copy of `content` with `old` renamed to `new` wherever it is referenced."""
    result = copy.deepcopy(content)
    setattr(result, kind, _rename_key(result.of(kind), old, new))
    _RENAMERS[kind](result, old, new)
    return result


# ---- e2e test files -------------------------------------------------------------------------

# Keys whose value (or list items) name an item of that kind, in Rasa's e2e test format.
_TEST_VALUE_KEYS = {
    FLOWS: {"flow_started", "flow_id", "flow_ids"},
    RESPONSES: {"utter", "utter_name"},
    ACTIONS: {"action_executed"},
    SLOTS: set(),
}
# Mappings whose keys name an item: slot_was_set entries (`- amount: 50`), action stubs.
_TEST_KEYED_PARENTS = {SLOTS: {"slot_was_set", "slot_was_not_set"}, ACTIONS: {"stub_custom_actions"}}
_SLOT_ASSERTIONS = {"slot_was_set", "slot_was_not_set"}


def _rename_value(node: Any, old: str, new: str) -> bool:
    if isinstance(node, list):
        hits = [i for i, v in enumerate(node) if v == old]
        for i in hits:
            node[i] = new
        return bool(hits)
    return False


def _rename_in_tree(node: Any, kind: str, old: str, new: str, parent: str = "") -> bool:
    changed = False
    if isinstance(node, dict):
        if parent in _TEST_KEYED_PARENTS.get(kind, ()) and old in node:
            node.insert(list(node).index(old), new, node.pop(old))  # keeps its place (a CommentedMap)
            changed = True
        for key in list(node):
            value = node[key]
            named = key in _TEST_VALUE_KEYS[kind] or (kind == SLOTS and key == "name" and parent in _SLOT_ASSERTIONS)
            if named and value == old:
                node[key] = new
                changed = True
            elif named and _rename_value(value, old, new):
                changed = True
            else:
                changed |= _rename_in_tree(value, kind, old, new, str(key))
    elif isinstance(node, list):
        for item in node:
            changed |= _rename_in_tree(item, kind, old, new, parent)
    return changed


def rename_in_test_file(text: str, kind: str, old: str, new: str) -> str | None:
    """The e2e test file with the item renamed (edited in place), or None when it does not mention it."""
    from . import yamlio

    if old not in text:
        return None
    crlf = "\r\n" in text
    text = text.replace("\r\n", "\n")
    doc = yamlio.load(text)
    style = yamlio.guess_style(text, doc)
    if not _rename_in_tree(doc, kind, old, new):
        return None
    out = yamlio.dump(doc, style)
    return out.replace("\n", "\r\n") if crlf else out
