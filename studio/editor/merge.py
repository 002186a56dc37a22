"""Three-way merge of a flow body or a response's variations (pure: no Django, no I/O).

`base` is what the saver loaded, `theirs` what was saved since, `mine` what the saver sends.
A flow is merged as records: one for the flow's own settings (name, description, if, ...) and one
per step, keyed by step id; a step's nested branch steps are records of their own and its `next`
keeps only their keys, so an edit inside a branch never clashes with an edit of the branching step.
Steps without an explicit id are keyed by what Rasa's default id ends with plus an occurrence
number (`auto:collect_amount#1`): positional default ids shift whenever a step is inserted above.
A record changed on one side only takes that side; a field changed on both sides to different
values is a conflict, decided by `resolutions` ({conflict id: "mine" | "theirs"}) or reported.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

FLOW = "(flow)"  # the record key of the flow's own settings
ORDER = "(order)"  # the field holding a step list's order
DELETED = "(deleted)"  # the field of a conflict where one side deleted what the other changed
_ABSENT = object()
_STEP_KINDS = ("action", "collect", "link", "call", "set_slots", "noop")  # Rasa's order of precedence
MINE, THEIRS = "mine", "theirs"


@dataclass
class MergeConflict:
    """One place both sides changed differently: a step (or FLOW, or a variation index) and a field."""

    key: str
    field: str
    base: Any
    theirs: Any
    mine: Any
    label: str = ""  # the step id the user sees (Rasa's default id for a step without one)

    @property
    def id(self) -> str:
        return f"{self.key}:{self.field}"

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "step_id": self.label or self.key, "field": self.field,
                "base": _shown(self.base), "theirs": _shown(self.theirs), "mine": _shown(self.mine)}


@dataclass
class MergeResult:
    merged: Any
    conflicts: list[MergeConflict] = field(default_factory=list)
    theirs_changed: list[str] = field(default_factory=list)  # record keys changed by the other saver
    mine_changed: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # record key -> the step id the user sees

    def label(self, key: str) -> str:
        return self.labels.get(key, key)

    @property
    def clean(self) -> bool:
        return not self.conflicts


def _shown(value: Any) -> Any:
    return None if value is _ABSENT else value


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True, default=repr) == json.dumps(b, sort_keys=True, default=repr)


# --- flows: body <-> records ------------------------------------------------------------------------


def _auto_postfix(step: dict[str, Any]) -> str:
    kind = next((k for k in _STEP_KINDS if k in step), "step")
    return kind if kind in ("set_slots", "noop", "step") else (
        str(step[kind]) if kind == "action" else f"{kind}_{step[kind]}")


@dataclass
class _Keys:
    """Keys of one body's steps, in Rasa's depth-first order, and the ids Rasa shows for them."""

    flow_id: str
    counts: dict[str, int] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)

    def key(self, step: dict[str, Any]) -> str:
        index = sum(self.counts.values())
        if isinstance(step.get("id"), str) and step["id"]:
            self.counts[""] = self.counts.get("", 0) + 1
            self.labels[step["id"]] = step["id"]
            return step["id"]
        postfix = _auto_postfix(step)
        self.counts[postfix] = self.counts.get(postfix, 0) + 1
        key = f"auto:{postfix}#{self.counts[postfix]}"
        self.labels[key] = f"{self.flow_id}_{index}_{postfix}"
        return key


def _flatten(steps: Any, records: dict[str, dict[str, Any]], counts: _Keys) -> list[str]:
    """Records of every step in `steps` (nested ones too); returns the keys of this list in order."""
    keys: list[str] = []
    for step in steps if isinstance(steps, list) else []:
        if not isinstance(step, dict):
            continue  # the engine's validation reports malformed steps; a merge only keeps what it can key
        key = counts.key(step)
        record = {k: v for k, v in step.items() if k != "next"}
        if "next" in step:
            record["next"] = _flatten_next(step["next"], records, counts)
        records[key] = record
        keys.append(key)
    return keys


def _flatten_next(nxt: Any, records: dict[str, dict[str, Any]], counts: _Keys) -> Any:
    if not isinstance(nxt, list):
        return nxt
    out = []
    for branch in nxt:
        if not isinstance(branch, dict):
            out.append(branch)
            continue
        target = "else" if "else" in branch else "then"
        entry = dict(branch)
        if isinstance(branch.get(target), list):
            entry[target] = {"steps": _flatten(branch[target], records, counts)}
        out.append(entry)
    return out


def _flow_records(body: dict[str, Any], keys: _Keys) -> dict[str, dict[str, Any]]:
    records: dict[str, dict[str, Any]] = {}
    order = _flatten(body.get("steps"), records, keys)
    records[FLOW] = {**{k: v for k, v in body.items() if k != "steps"}, ORDER: order}
    return records


def _build_steps(keys: list[str], records: dict[str, dict[str, Any]], seen: set[str]) -> list[dict[str, Any]]:
    steps = []
    for key in keys:
        if key in seen or key not in records:
            continue  # a key placed twice (each side moved it) is kept once, where it comes first
        seen.add(key)
        step = {k: v for k, v in records[key].items() if k != "next"}
        if "next" in records[key]:
            step["next"] = _build_next(records[key]["next"], records, seen)
        steps.append(step)
    return steps


def _build_next(nxt: Any, records: dict[str, dict[str, Any]], seen: set[str]) -> Any:
    if not isinstance(nxt, list):
        return nxt
    out = []
    for branch in nxt:
        entry = dict(branch) if isinstance(branch, dict) else branch
        if isinstance(entry, dict):
            for target in ("then", "else"):
                if isinstance(entry.get(target), dict) and "steps" in entry[target]:
                    entry[target] = _build_steps(entry[target]["steps"], records, seen)
        out.append(entry)
    return out


# --- the generic record merge -----------------------------------------------------------------------


def merge_order(base: list[str], theirs: list[str], mine: list[str],
                survivors: set[str] | None = None) -> list[str] | None:
    """A three-way merge of a list of unique keys; None when both sides reordered kept keys differently.

    A key one side dropped stays when it is in `survivors` (its deletion lost a resolved conflict).
    """
    removed = ((set(base) - set(theirs)) | (set(base) - set(mine))) - (survivors or set())
    kept = [k for k in base if k not in removed]
    kept_set = set(kept)
    theirs_kept, mine_kept = [k for k in theirs if k in kept_set], [k for k in mine if k in kept_set]
    if theirs_kept != kept and mine_kept != kept and theirs_kept != mine_kept:
        return None
    primary, other = (mine, theirs) if mine_kept != kept else (theirs, mine)
    result = [k for k in primary if k not in removed]
    # The other side's additions (and survivors the primary side dropped) go after the key they
    # follow there, or first.
    for i, key in enumerate(other):
        if key in result or key in removed:
            continue
        before = next((k for k in reversed(other[:i]) if k in result), None)
        result.insert(result.index(before) + 1 if before is not None else 0, key)
    return result


@dataclass
class _Merge:
    resolutions: dict[str, str]
    survivors: set[str] | None = None
    conflicts: list[MergeConflict] = field(default_factory=list)

    def value(self, key: str, name: str, b: Any, t: Any, m: Any) -> Any:
        if _same(t, m):
            return m
        # Step lists merge structurally even when one side left them alone: a step whose
        # deletion lost a resolved conflict must stay in the list that side dropped it from.
        if name in (ORDER, "next"):
            merged = self.nested(b, t, m) if name == "next" else merge_order(
                *(v if isinstance(v, list) else [] for v in (b, t, m)), survivors=self.survivors)
            if merged is not None:
                return merged
        if _same(t, b):
            return m
        if _same(m, b):
            return t
        conflict = MergeConflict(key, name, b, t, m)
        choice = self.resolutions.get(conflict.id)
        if choice in (MINE, THEIRS):
            return m if choice == MINE else t
        self.conflicts.append(conflict)
        return t

    def nested(self, b: Any, t: Any, m: Any) -> Any:
        """`next` lists whose branches differ only in the steps inside them: merge those step lists."""
        shapes = []
        for value in (b, t, m):
            if not isinstance(value, list):
                return None
            shapes.append([{k: (None if isinstance(v, dict) and "steps" in v else v) for k, v in br.items()}
                           if isinstance(br, dict) else br for br in value])
        if not (_same(shapes[0], shapes[1]) and _same(shapes[0], shapes[2])):
            return None
        out = []
        for bb, tb, mb in zip(b, t, m):
            entry = dict(tb) if isinstance(tb, dict) else tb
            for target in ("then", "else"):
                if isinstance(tb, dict) and isinstance(tb.get(target), dict) and "steps" in tb[target]:
                    order = merge_order(bb[target]["steps"], tb[target]["steps"], mb[target]["steps"],
                                        survivors=self.survivors)
                    if order is None:
                        return None
                    entry[target] = {"steps": order}
            out.append(entry)
        return out

    def fields(self, key: str, b: dict, t: dict, m: dict) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for name in list(dict.fromkeys([*t, *m, *b])):
            value = self.value(key, name, b.get(name, _ABSENT), t.get(name, _ABSENT), m.get(name, _ABSENT))
            if value is not _ABSENT:
                merged[name] = value
        return merged


def merge_records(base: dict[str, dict[str, Any]], theirs: dict[str, dict[str, Any]],
                  mine: dict[str, dict[str, Any]], resolutions: dict[str, str] | None = None,
                  survivors: set[str] | None = None) -> MergeResult:
    """Merge keyed records field by field; a record deleted on one side and changed on the other conflicts."""
    merge = _Merge(resolutions or {}, survivors)
    result = MergeResult(merged={}, conflicts=merge.conflicts)
    for key in list(dict.fromkeys([*theirs, *mine, *base])):
        b, t, m = base.get(key, _ABSENT), theirs.get(key, _ABSENT), mine.get(key, _ABSENT)
        if not _same(_shown(t), _shown(b)):
            result.theirs_changed.append(key)
        if not _same(_shown(m), _shown(b)):
            result.mine_changed.append(key)
        if _ABSENT in (t, m):  # deleted on one side (or added on one side): the record as a whole
            value = merge.value(key, DELETED, _shown(b), _shown(t), _shown(m))
        elif b is _ABSENT:  # added on both sides: merge the two additions field by field
            value = merge.fields(key, {}, t, m)
        else:
            value = merge.fields(key, b, t, m)
        if value is not None:
            result.merged[key] = value
    return result


# --- entry points ------------------------------------------------------------------------------------


def merge_flow(base: dict[str, Any], theirs: dict[str, Any], mine: dict[str, Any],
               resolutions: dict[str, str] | None = None, flow_id: str = "flow") -> MergeResult:
    """Merge three Rasa flow bodies; `merged` is a flow body (theirs where a conflict is unresolved)."""
    keys = [_Keys(flow_id) for _ in range(3)]
    records = [_flow_records(body, k) for body, k in zip((base, theirs, mine), keys)]
    # Which steps survive decides the step lists: a step kept by a resolved delete/edit conflict
    # stays in place even though one side's list dropped it.
    survivors = set(merge_records(*records, resolutions).merged)
    result = merge_records(*records, resolutions, survivors=survivors)
    result.labels = {**keys[0].labels, **keys[1].labels, **keys[2].labels}  # mine's ids win: the saver's view
    for conflict in result.conflicts:
        conflict.label = result.label(conflict.key)
    records = result.merged
    settings = records.pop(FLOW, {ORDER: []})
    order = settings.pop(ORDER, [])
    result.merged = {**settings, "steps": _build_steps(order, records, set())}
    return result


def merge_variations(base: list[Any], theirs: list[Any], mine: list[Any],
                     resolutions: dict[str, str] | None = None) -> MergeResult:
    """Merge a response's variations by index, each variation field by field."""
    def records(variations: list[Any]) -> dict[str, dict[str, Any]]:
        return {str(i): (v if isinstance(v, dict) else {"text": v}) for i, v in enumerate(variations or [])}

    result = merge_records(records(base), records(theirs), records(mine), resolutions)
    result.merged = [result.merged[k] for k in sorted(result.merged, key=int)]
    return result
