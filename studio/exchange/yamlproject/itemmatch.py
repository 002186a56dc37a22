"""Which old list item or mapping key each new one continues, so an edit touches only those lines.

List items are matched by step `id`, then by content, then by kind (an edited step keeps its
place); mapping keys keep their order, and a key that replaces a vanished one is a rename.
"""

from __future__ import annotations

import json
from collections import defaultdict, deque
from difflib import SequenceMatcher
from typing import Any

# The keys that say what a step (or a branch) is: an edited step is matched to its old self by them.
_KIND_KEYS = ("action", "collect", "link", "call", "set_slots", "noop", "if", "else", "text")


def _item_key(value: Any) -> tuple:
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return ("id", value["id"])
    return ("value", json.dumps(value, sort_keys=True, default=str))


def _item_kind(value: Any) -> str:
    if isinstance(value, dict):
        return next((k for k in _KIND_KEYS if k in value), next(iter(value), ""))
    return type(value).__name__


def match_items(old: list, new: list) -> list[int | None]:
    """For each new item, the index of the old item it continues (None: a new item)."""
    old_keys, new_keys = [_item_key(v) for v in old], [_item_key(v) for v in new]
    opcodes = SequenceMatcher(None, old_keys, new_keys, autojunk=False).get_opcodes()
    plan: list[int | None] = [None] * len(new)
    used: set[int] = set()
    for tag, i1, i2, j1, _ in opcodes:
        if tag == "equal":
            for d in range(i2 - i1):
                plan[j1 + d] = i1 + d
                used.add(i1 + d)
    free: dict[tuple, deque] = defaultdict(deque)
    for i, key in enumerate(old_keys):
        if i not in used:
            free[key].append(i)
    for j, key in enumerate(new_keys):
        if plan[j] is None and free[key]:  # moved: same id or same content elsewhere
            plan[j] = free[key].popleft()
            used.add(plan[j])
    for tag, i1, i2, j1, j2 in opcodes:
        if tag != "replace":
            continue
        olds = [i for i in range(i1, i2) if i not in used]
        news = [j for j in range(j1, j2) if plan[j] is None]
        inner = SequenceMatcher(None, [_item_kind(old[i]) for i in olds], [_item_kind(new[j]) for j in news],
                                autojunk=False)
        for t, a1, a2, b1, b2 in inner.get_opcodes():
            if t == "equal" or (t == "replace" and a2 - a1 == b2 - b1):  # edited in place
                for d in range(a2 - a1):
                    plan[news[b1 + d]] = olds[a1 + d]
                    used.add(olds[a1 + d])
    return plan


def key_plan(keys: list[str], old: dict, new: dict) -> list[tuple]:
    """Old keys stay in their order; ("old", i, name) keeps or renames entry i, ("new", name) adds one."""
    new_keys = list(new)
    plan: list[tuple] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, keys, new_keys, autojunk=False).get_opcodes():
        fresh = [k for k in new_keys[j1:j2] if k not in old]
        for i in range(i1, i2):
            if keys[i] in new:
                plan.append(("old", i, keys[i]))
            elif tag == "replace" and fresh:
                plan.append(("old", i, fresh.pop(0)))  # a rename keeps its place
        plan.extend(("new", k) for k in fresh)
    return plan
