"""Flow definitions: frozen dataclasses in Rasa's own shape.

`Flow.from_dict` flattens nested `next` branches into one step list (pre-order, like Rasa's
`steps_in_tree`) and assigns Rasa's generated ids `<flow>_<index>_<kind postfix>`.
`to_dict` gives back the original mapping, unknown keys included.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

START = "START"
END = "END"
CONTINUE_PREFIX = "NEXT:"
STEP_KINDS = ("action", "collect", "set_slots", "link", "call", "noop")


class FlowShapeError(ValueError):
    """A flow mapping is not in the expected shape (reported as a Problem by the loader)."""

    def __init__(self, message: str, step_id: str | None = None):
        super().__init__(message)
        self.step_id = step_id


@dataclass(frozen=True)
class Link:
    """One entry of a step's `next`: kind is `static`, `if` or `else`."""

    kind: str
    target: str
    condition: str | None = None


@dataclass(frozen=True)
class Rejection:
    condition: str
    utter: str | None


@dataclass(frozen=True)
class Step:
    """One flow step. Kind-specific fields are empty for other kinds."""

    id: str
    kind: str
    flow_id: str
    links: tuple[Link, ...] = ()
    custom_id: bool = False
    description: str | None = None
    action: str | None = None
    collect: str | None = None
    utter: str | None = None
    collect_action: str | None = None
    ask_before_filling: bool = False
    reset_after_flow_ends: bool = True
    rejections: tuple[Rejection, ...] = ()
    slot_values: tuple[tuple[str, Any], ...] = ()
    target_flow: str | None = None
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    def to_dict(self) -> dict:
        return dict(self.raw)

    @property
    def mcp_server(self) -> str | None:
        """The server of a `call` step written as an MCP tool call (`mcp_server` + `mapping`)."""
        if self.kind == "call" and self.raw.get("mcp_server") is not None and self.raw.get("mapping") is not None:
            return str(self.raw["mcp_server"])
        return None


@dataclass(frozen=True)
class Flow:
    id: str
    steps: tuple[Step, ...]
    name: str | None = None
    description: str | None = None
    guard: Any = None
    persisted_slots: tuple[str, ...] = ()
    nlu_triggers: tuple[str, ...] = ()
    run_pattern_completed: bool = True
    raw: dict = field(default_factory=dict, compare=False, repr=False)
    shape_problems: tuple[tuple[str, str | None], ...] = field(default=(), compare=False, repr=False)

    @property
    def readable_name(self) -> str:
        return self.name or self.id

    def trigger_threshold(self, intent: str) -> float:
        """The `confidence_threshold` of this flow's nlu_trigger for `intent` (Rasa: 0.0)."""
        for trigger in self.raw.get("nlu_trigger") or []:
            value = trigger.get("intent") if isinstance(trigger, dict) else None
            if isinstance(value, dict) and value.get("name") == intent:
                threshold = value.get("confidence_threshold", 0.0)
                return float(threshold) if isinstance(threshold, (int, float)) else 0.0
        return 0.0

    @property
    def is_pattern(self) -> bool:
        return self.id.startswith("pattern_")

    @property
    def fingerprint(self) -> str:
        """A short hash of the definition; a stored conversation notices when its flows change."""
        cached = self.__dict__.get("_fingerprint")
        if cached is None:
            text = json.dumps(self.raw, sort_keys=True, default=str)
            cached = hashlib.blake2b(text.encode("utf-8"), digest_size=6).hexdigest()
            object.__setattr__(self, "_fingerprint", cached)
        return cached

    @property
    def first_step_id(self) -> str:
        return self.steps[0].id if self.steps else END

    def step(self, step_id: str) -> Step | None:
        return self._index.get(step_id)

    @property
    def _index(self) -> dict[str, Step]:
        index = self.__dict__.get("_step_index")
        if index is None:
            index = {step.id: step for step in self.steps}
            object.__setattr__(self, "_step_index", index)
        return index

    def collect_steps(self) -> list[Step]:
        return [step for step in self.steps if step.kind == "collect"]

    def to_dict(self) -> dict:
        return dict(self.raw)

    @classmethod
    def from_dict(cls, flow_id: str, data: dict) -> Flow:
        if not isinstance(data, dict):
            raise FlowShapeError("a flow must be a mapping")
        raw_steps = data.get("steps")
        if not isinstance(raw_steps, list):
            raise FlowShapeError("a flow needs a list of 'steps'")
        builder = _Builder(flow_id)
        builder.sequence(raw_steps, root=True)
        triggers = tuple(_trigger_intent(t) for t in data.get("nlu_trigger") or []
                         if isinstance(t, dict) and _trigger_intent(t))
        persisted = data.get("persisted_slots") or []
        return cls(
            id=flow_id,
            steps=tuple(builder.finish()),
            name=data.get("name"),
            description=data.get("description"),
            guard=data.get("if"),
            persisted_slots=tuple(persisted) if isinstance(persisted, list) else (),
            nlu_triggers=triggers,
            run_pattern_completed=bool(data.get("run_pattern_completed", True)),
            raw=dict(data),
            shape_problems=tuple(builder.problems),
        )


def _trigger_intent(trigger: dict) -> str | None:
    """`- intent: name` or `- intent: {name: ..., confidence_threshold: ...}`. Payload
    intents arrive with confidence 1.0, so the threshold never blocks them here."""
    intent = trigger.get("intent")
    if isinstance(intent, dict):
        intent = intent.get("name")
    return intent if isinstance(intent, str) and intent else None


def _step_kind(data: dict) -> str | None:
    for kind in STEP_KINDS:
        if kind in data:
            return kind
    return None


def _postfix(kind: str, data: dict) -> str:
    value = data.get(kind)
    return {
        "action": str(value), "collect": f"collect_{value}", "link": f"link_{value}",
        "call": f"call_{value}", "set_slots": "set_slots", "noop": "noop",
    }[kind]


class _Builder:
    """Flattens nested step sequences and resolves ids and default `next` links."""

    def __init__(self, flow_id: str):
        self.flow_id = flow_id
        self.entries: list[dict] = []  # pre-order: {"data", "id", "links", "kind"}
        self.problems: list[tuple[str, str | None]] = []  # reported, the rest is still built

    def sequence(self, raw_steps: list, root: bool) -> list[dict]:
        entries = []
        for position, data in enumerate(raw_steps):
            if not isinstance(data, dict):
                raise FlowShapeError(f"step {position + 1} must be a mapping")
            entries.append(self._step(data))
        self._default_next(entries, root)
        return entries

    def _step(self, data: dict) -> dict:
        kind = _step_kind(data)
        index = len(self.entries)
        if kind is None:
            step_id = str(data.get("id") or f"{self.flow_id}_{index}_step")
            self.problems.append((
                f"unknown step kind (keys: {', '.join(map(str, data)) or 'none'}); expected one of "
                f"{', '.join(STEP_KINDS)}", step_id))
            # A placeholder keeps the id in the problem, so the rest of the flow is still checked.
            data, kind = {**data, "noop": True, "id": step_id}, "noop"
        step_id = data.get("id") or f"{self.flow_id}_{index}_{_postfix(kind, data)}"
        entry = {"data": data, "id": str(step_id), "kind": kind, "links": []}
        self.entries.append(entry)
        if kind == "link" and data.get("next") is not None:
            self.problems.append(("a link step ends the flow and cannot have a 'next'", entry["id"]))
        entry["links"] = self._links(data.get("next"), entry["id"])
        return entry

    def _links(self, raw_next: Any, step_id: str) -> list[Link]:
        if raw_next is None:
            return []
        if isinstance(raw_next, str):
            return [Link("static", raw_next)]
        if not isinstance(raw_next, list):
            raise FlowShapeError("'next' must be a step id, END or a list of if/then/else", step_id)
        links = []
        for branch in raw_next:
            if not isinstance(branch, dict) or not ({"if", "else"} & set(branch)):
                raise FlowShapeError("each 'next' entry needs 'if' (with 'then') or 'else'", step_id)
            if "if" in branch:
                links.append(Link("if", self._target(branch.get("then"), step_id), branch["if"]))
            else:
                links.append(Link("else", self._target(branch["else"], step_id)))
        return links

    def _target(self, target: Any, step_id: str) -> str:
        if isinstance(target, str):
            return target
        if isinstance(target, list) and target:
            return self.sequence(target, root=False)[0]["id"]
        raise FlowShapeError("a branch target must be a step id or a non-empty list of steps", step_id)

    def _default_next(self, entries: list[dict], root: bool) -> None:
        for position, entry in enumerate(entries):
            if entry["links"] or entry["kind"] == "link":
                continue
            if position + 1 < len(entries):
                entry["links"] = [Link("static", entries[position + 1]["id"])]
            elif root:
                entry["links"] = [Link("static", END)]
            else:
                self.problems.append(("the last step of a branch needs a 'next' (a step id or END)",
                                      entry["id"]))

    def finish(self) -> list[Step]:
        return [self._make(entry) for entry in self.entries]

    def _make(self, entry: dict) -> Step:
        data, kind = entry["data"], entry["kind"]
        common = dict(id=entry["id"], kind=kind, flow_id=self.flow_id, links=tuple(entry["links"]),
                      custom_id="id" in data, description=data.get("description"), raw=dict(data))
        if kind == "action":
            return Step(action=str(data["action"]), **common)
        if kind == "collect":
            slot = str(data["collect"])
            rejections = tuple(
                Rejection(str(r.get("if", "")), r.get("utter"))
                for r in data.get("rejections") or [] if isinstance(r, dict)
            )
            return Step(collect=slot, utter=data.get("utter", f"utter_ask_{slot}"),
                        collect_action=f"action_ask_{slot}",
                        ask_before_filling=bool(data.get("ask_before_filling", False)),
                        reset_after_flow_ends=bool(data.get("reset_after_flow_ends", True)),
                        rejections=rejections, **common)
        if kind == "set_slots":
            return Step(slot_values=_slot_values(data.get("set_slots"), entry["id"]), **common)
        if kind in ("link", "call"):
            return Step(target_flow=str(data[kind]), **common)
        return Step(**common)


def _slot_values(raw: Any, step_id: str) -> tuple[tuple[str, Any], ...]:
    if not isinstance(raw, list):
        raise FlowShapeError("'set_slots' must be a list of single-key mappings", step_id)
    pairs = []
    for item in raw:
        if not isinstance(item, dict) or len(item) != 1:
            raise FlowShapeError("each 'set_slots' entry must be a single-key mapping", step_id)
        (name, value), = item.items()
        pairs.append((str(name), value))
    return tuple(pairs)
