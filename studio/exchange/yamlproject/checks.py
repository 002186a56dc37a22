"""Checks the file-level and cross-reference rules Rasa Pro enforces, plus warnings for suspicious content."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from typing import Any, Iterator

from . import yamlio
from .content import Item, ProjectContent
from .defaults import DEFAULT_ACTIONS, DEFAULT_PATTERNS, DEFAULT_RESPONSES, DEFAULT_SLOTS, LINKABLE_PATTERNS
from .problems import Problem

FLOW_KEYS = frozenset({
    "name", "description", "translation", "if", "always_include_in_prompt", "nlu_trigger",
    "file_path", "steps", "persisted_slots", "run_pattern_completed", "on_activate", "metadata",
})
STEP_TYPES = ("action", "collect", "link", "call", "set_slots", "noop")
# Rasa's schema closes these step types; link, set_slots and noop steps accept extra keys.
CLOSED_STEP_KEYS = {
    "action": {"id", "next", "action", "metadata"},
    "collect": {"collect", "id", "next", "metadata", "description", "ask_before_filling",
                "reset_after_flow_ends", "utter", "force_slot_filling", "rejections",
                "silence_timeout", "collect-tool-binding", "dtmf"},
    "call": {"call", "id", "next", "metadata", "description", "mcp_server", "mapping", "exit_if"},
}
RESERVED_IDS = {"START", "END"}
# Rasa passes slot keys to the slot class as arguments: anything else makes it crash.
SLOT_KEYS = {"type", "allow_llm_set", "mappings", "initial_value", "value_reset_delay", "influence_conversation",
             "shared_for_coexistence", "filled_by", "validation"}
SLOT_TYPE_KEYS = {"float": {"min_value", "max_value"}, "categorical": {"values"}}
_SETSLOTS_PAYLOAD = re.compile(r"/SetSlots\(([^)]*)\)")


def step_type(step: dict) -> str | None:
    return next((t for t in STEP_TYPES if t in step), None)


def default_step_id(flow_id: str, index: int, step: dict) -> str:
    kind = step_type(step)
    postfix = {
        "collect": lambda: f"collect_{step['collect']}",
        "action": lambda: str(step["action"]),
        "link": lambda: f"link_{step['link']}",
        "call": lambda: f"call_{step['call']}",
        "set_slots": lambda: "set_slots",
        "noop": lambda: "noop",
    }.get(kind, lambda: "step")()
    return f"{flow_id}_{index}_{postfix}"


@dataclass
class _Step:
    step: Any
    step_id: str
    line: int | None
    nested_last: bool  # last step of a then/else list: needs an explicit next


def walk_steps(flow_id: str, steps: Any) -> Iterator[_Step]:
    """Depth-first over every step, nested branch steps included, in Rasa's default-id order."""
    counter = [0]

    def walk(seq: Any, nested: bool) -> Iterator[_Step]:
        if not isinstance(seq, list):
            return
        for i, step in enumerate(seq):
            index = counter[0]
            counter[0] += 1
            line = yamlio.line_of(seq, i)
            if not isinstance(step, dict):
                yield _Step(step, f"{flow_id}_{index}_step", line, False)
                continue
            sid = str(step["id"]) if "id" in step else default_step_id(flow_id, index, step)
            yield _Step(step, sid, line, nested and i == len(seq) - 1)
            for branch in _branches(step.get("next")):
                target = branch.get("then", branch.get("else"))
                if isinstance(target, list):
                    yield from walk(target, True)

    yield from walk(steps, False)


def _branches(next_value: Any) -> list[dict]:
    return [b for b in next_value if isinstance(b, dict)] if isinstance(next_value, list) else []


@dataclass
class _Ctx:
    content: ProjectContent
    flow: Item
    problems: list[Problem] = field(default_factory=list)

    def add(self, message: str, line: int | None = None, step_id: str = "") -> None:
        self.problems.append(Problem(message, self.flow.source_path, line or self.flow.line,
                                     self.flow.name, step_id))


def check_domain(content: ProjectContent) -> list[Problem]:
    """Shapes the studio stores as rows: a slot is a mapping with a type, a response a list of variations."""
    problems = []
    for slot in content.slots.values():
        if not isinstance(slot.body, dict) or not slot.body.get("type"):
            problems.append(Problem(f"slot '{slot.name}' must be a mapping with a 'type'", slot.source_path, slot.line))
            continue
        slot_type = str(slot.body["type"])
        extra = sorted(set(slot.body) - SLOT_KEYS - SLOT_TYPE_KEYS.get(slot_type, set()))
        if extra and "." not in slot_type:  # a custom slot class (dotted path) takes its own keys
            problems.append(Problem(f"slot '{slot.name}' has keys a {slot_type} slot does not take: "
                                    f"{', '.join(extra)}", slot.source_path, slot.line))
    for response in content.responses.values():
        body = response.body
        if not isinstance(body, list) or not body or not all(isinstance(v, dict) for v in body):
            problems.append(Problem(f"response '{response.name}' must be a non-empty list of variations "
                                    "(mappings with 'text' or 'custom')", response.source_path, response.line))
    for action in content.actions.values():
        if action.body is not None and not isinstance(action.body, dict):
            problems.append(Problem(f"options of action '{action.name}' must be a mapping",
                                    action.source_path, action.line))
    return problems


_PUNCTUATION = str.maketrans({c: "" for c in string.punctuation})


def check_unique_flows(content: ProjectContent) -> list[Problem]:
    """Rasa's validator wants distinct flow names and descriptions, and one flow per trigger intent."""
    problems, seen = [], {}
    for flow in content.flows.values():
        body = flow.body if isinstance(flow.body, dict) else {}
        name = str(body.get("name") or flow.name.replace("_", " ").replace("-", " "))
        keys = [("name", name, name)]
        if isinstance(body.get("description"), str):
            keys.append(("description", body["description"].translate(_PUNCTUATION), body["description"]))
        for trigger in body.get("nlu_trigger") or []:
            intent = trigger.get("intent") if isinstance(trigger, dict) else None
            intent = intent.get("name") if isinstance(intent, dict) else intent
            if intent:
                keys.append(("nlu_trigger intent", str(intent), str(intent)))
        for what, key, shown in keys:
            other = seen.setdefault((what, key), flow.name)
            if other != flow.name:
                problems.append(Problem(f"{what} '{shown}' is also used by flow '{other}'; Rasa requires it "
                                        "to be unique", flow.source_path, flow.line, flow.name))
    return problems


def check_project(content: ProjectContent) -> list[Problem]:
    problems: list[Problem] = check_domain(content) + check_unique_flows(content)
    for flow in content.flows.values():
        ctx = _Ctx(content, flow)
        _check_flow(ctx)
        problems += ctx.problems
    return problems


def _check_flow(ctx: _Ctx) -> None:
    body = ctx.flow.node if ctx.flow.node is not None else ctx.flow.body
    if not isinstance(body, dict):
        ctx.add("a flow must be a mapping with 'description' and 'steps'")
        return
    for key in body:
        if str(key) not in FLOW_KEYS:
            ctx.add(f"unknown flow key '{key}'", yamlio.line_of(body, key))
    if "description" not in body:
        ctx.add("flow has no 'description' (required by Rasa Pro)")
    steps = body.get("steps")
    if steps is not None and not isinstance(steps, list):
        ctx.add("'steps' must be a list of steps", yamlio.line_of(body, "steps"))
        return
    if not steps:
        ctx.add("flow has no steps", yamlio.line_of(body, "steps"))
        return
    walked = list(walk_steps(ctx.flow.name, steps))
    targets = {"END"} | {s.step_id for s in walked}
    seen: dict[str, int | None] = {}
    for s in walked:
        _check_step(ctx, s, targets, seen)
    for slot in body.get("persisted_slots") or []:
        if str(slot) not in ctx.content.slots:
            ctx.add(f"persisted slot '{slot}' is not defined in the domain", yamlio.line_of(body, "persisted_slots"))


def _check_step(ctx: _Ctx, s: _Step, targets: set[str], seen: dict) -> None:
    step, sid, line = s.step, s.step_id, s.line
    if not isinstance(step, dict):
        ctx.add("a step must be a mapping", line, sid)
        return
    kinds = [t for t in STEP_TYPES if t in step]
    if len(kinds) != 1:
        found = ", ".join(kinds) if kinds else "none"
        ctx.add(f"a step needs exactly one of {', '.join(STEP_TYPES)} (found: {found})", line, sid)
        return
    kind = kinds[0]
    for key in step:
        if kind in CLOSED_STEP_KEYS and str(key) not in CLOSED_STEP_KEYS[kind]:
            ctx.add(f"unknown key '{key}' on a {kind} step", yamlio.line_of(step, key) or line, sid)
    if "id" in step:
        if sid in RESERVED_IDS or sid.startswith("NEXT:"):
            ctx.add(f"step id '{sid}' is reserved", line, sid)
        elif sid in seen:
            ctx.add(f"duplicate step id '{sid}' in this flow", line, sid)
        seen[sid] = line
    _check_next(ctx, s, kind, targets)
    _check_references(ctx, step, kind, line, sid)


def _check_next(ctx: _Ctx, s: _Step, kind: str, targets: set[str]) -> None:
    step, sid, line = s.step, s.step_id, s.line
    nxt = step.get("next")
    if kind == "link" and nxt is not None:
        ctx.add("a link step must be the last step: it cannot have 'next'", line, sid)
    if kind == "noop" and nxt is None:
        ctx.add("a noop step needs 'next'", line, sid)
    if s.nested_last and nxt is None and kind != "link":
        ctx.add("the last step of a then/else branch needs an explicit 'next'", line, sid)
    if nxt is None:
        return
    if isinstance(nxt, str):
        if nxt not in targets:
            ctx.add(f"'next' points to missing step id '{nxt}'", yamlio.line_of(step, "next") or line, sid)
        return
    if not isinstance(nxt, list) or not nxt:
        ctx.add("'next' must be a step id or a non-empty list of if/then/else branches", line, sid)
        return
    has_if = has_else = False
    for branch in nxt:
        if not isinstance(branch, dict) or not (("if" in branch and "then" in branch) or "else" in branch):
            ctx.add("each branch of 'next' needs 'if' and 'then', or 'else'", line, sid)
            continue
        has_if |= "if" in branch
        has_else |= "else" in branch
        target = branch.get("then", branch.get("else"))
        if isinstance(target, str) and target not in targets:
            ctx.add(f"'next' points to missing step id '{target}'", yamlio.line_of(branch, "then" if "then" in branch else "else") or line, sid)
        elif isinstance(target, list) and not target:
            ctx.add("a then/else branch must not be an empty list", line, sid)
    if has_if and not has_else:
        ctx.add("branches in 'next' need an 'else'", line, sid)


def _action_known(content: ProjectContent, name: str) -> bool:
    return (name in content.responses or name in content.actions or name in DEFAULT_ACTIONS
            or name in DEFAULT_RESPONSES or "{{" in name or name.startswith("flow_"))


def _check_references(ctx: _Ctx, step: dict, kind: str, line: int | None, sid: str) -> None:
    content, flow_id = ctx.content, ctx.flow.name
    target = str(step.get(kind))
    if kind == "action" and not _action_known(content, target):
        ctx.add(f"action '{target}' is not a response, a domain action or a Rasa default action", line, sid)
    elif kind in ("link", "call") and target not in content.flows:
        allowed = target in DEFAULT_PATTERNS and (
            kind == "link" and (target in LINKABLE_PATTERNS or flow_id.startswith("pattern_")))
        if not allowed:
            ctx.add(f"{kind} to unknown flow '{target}'", line, sid)
    elif kind == "call" and target.startswith("pattern_"):
        ctx.add(f"patterns cannot be called ('{target}')", line, sid)
    elif kind == "collect":
        _check_collect(ctx, step, line, sid)
    elif kind == "set_slots":
        for entry in step.get("set_slots") or []:
            for slot in entry if isinstance(entry, dict) else []:
                if str(slot) not in content.slots and str(slot) not in DEFAULT_SLOTS:
                    ctx.add(f"set_slots names unknown slot '{slot}'", line, sid)
                elif _is_list_slot(content, str(slot)):
                    ctx.add(f"slot '{slot}' is a list slot; Rasa does not allow list slots in set_slots", line, sid)


def _is_list_slot(content: ProjectContent, name: str) -> bool:
    slot = content.slots.get(name)
    return slot is not None and isinstance(slot.body, dict) and slot.body.get("type") == "list"


def _check_collect(ctx: _Ctx, step: dict, line: int | None, sid: str) -> None:
    content, slot = ctx.content, str(step.get("collect"))
    slot_item = content.slots.get(slot)
    if slot_item is None and slot not in DEFAULT_SLOTS:
        ctx.add(f"collect names unknown slot '{slot}'", line, sid)
    elif slot_item is not None and isinstance(slot_item.body, dict) and slot_item.body.get("type") == "list":
        ctx.add(f"slot '{slot}' is a list slot; Rasa does not allow list slots in collect steps", line, sid)
    utter = step.get("utter")
    if utter is not None:
        if not _action_known(content, str(utter)):
            ctx.add(f"collect utter '{utter}' is not a response", line, sid)
    elif slot_item is not None:
        has_utter = f"utter_ask_{slot}" in content.responses or f"utter_ask_{slot}" in DEFAULT_RESPONSES
        has_action = f"action_ask_{slot}" in content.actions
        has_initial = isinstance(slot_item.body, dict) and slot_item.body.get("initial_value") is not None
        if has_utter and has_action:
            ctx.add(f"both utter_ask_{slot} and action_ask_{slot} exist; Rasa allows only one", line, sid)
        elif not (has_utter or has_action) and not (has_initial and not step.get("ask_before_filling")):
            ctx.add(f"nothing asks for slot '{slot}': define response utter_ask_{slot} or action action_ask_{slot}", line, sid)
    for rejection in step.get("rejections") or []:
        if isinstance(rejection, dict) and rejection.get("utter") and not _action_known(content, str(rejection["utter"])):
            ctx.add(f"rejection utter '{rejection['utter']}' is not a response", line, sid)


# ---- warnings -------------------------------------------------------------------------------

def _used_names(content: ProjectContent) -> tuple[set[str], set[str]]:
    """(names used as actions/utterances, slots set by a flow or a button) across the project."""
    used, set_slots = set(), set()
    for flow in content.flows.values():
        steps = flow.body.get("steps") if isinstance(flow.body, dict) else None
        for s in walk_steps(flow.name, steps):
            step = s.step if isinstance(s.step, dict) else {}
            if "action" in step:
                used.add(str(step["action"]))
            if "collect" in step:
                slot = str(step["collect"])
                set_slots.add(slot)
                used.add(str(step.get("utter") or f"utter_ask_{slot}"))
            for r in step.get("rejections") or []:
                if isinstance(r, dict):
                    used.add(str(r.get("utter")))
            for entry in step.get("set_slots") or []:
                set_slots.update(str(k) for k in (entry if isinstance(entry, dict) else []))
    for slot in content.slots.values():
        validation = slot.body.get("validation") if isinstance(slot.body, dict) else None
        if isinstance(validation, dict):
            used.add(str(validation.get("refill_utter") or f"utter_ask_{slot.name}"))
            used.update(str(r.get("utter")) for r in validation.get("rejections") or [] if isinstance(r, dict))
    for response in content.responses.values():
        for payload in _SETSLOTS_PAYLOAD.findall(repr(response.body)):
            set_slots.update(p.split("=", 1)[0].strip() for p in payload.split(","))
    return used, set_slots


def _mapping_types(slot: Item) -> set[str]:
    mappings = slot.body.get("mappings") if isinstance(slot.body, dict) else None
    return {str(m.get("type")) for m in mappings or [] if isinstance(m, dict)} or {"from_llm"}


def project_warnings(content: ProjectContent) -> list[Problem]:
    used, set_slots = _used_names(content)
    has_custom_actions = bool(content.actions)
    warnings = []
    for response in content.responses.values():
        if response.name not in used and response.name not in DEFAULT_RESPONSES:
            warnings.append(Problem(f"response '{response.name}' is never used by a flow",
                                    response.source_path, response.line))
    for slot in content.slots.values():
        if slot.name in set_slots or slot.name in DEFAULT_SLOTS:
            continue
        by_actions = bool(_mapping_types(slot) - {"from_llm"}) and has_custom_actions
        if not by_actions:
            warnings.append(Problem(f"slot '{slot.name}' is never set: no flow collects or sets it",
                                    slot.source_path, slot.line))
    return warnings
