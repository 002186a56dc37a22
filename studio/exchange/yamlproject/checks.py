"""The exchange's own checks: the shapes of the domain rows it stores, and warnings for suspicious content.

Every flow rule is the engine's (engine/validation.py, engine/flow_schema.py): the exchange asks it
through engine_check, so an import, the editor and a build judge a flow the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from collections.abc import Set
from typing import Any, Callable, Iterator

from . import yamlio
from .content import Item, ProjectContent
from .defaults import DEFAULT_RESPONSES, DEFAULT_SLOTS
from .problems import Problem

STEP_TYPES = ("action", "collect", "link", "call", "set_slots", "noop")
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
            mapping = step.get("mapping") if isinstance(step.get("mapping"), dict) else {}
            set_slots.update(str(o["slot"]) for o in mapping.get("output") or [] if isinstance(o, dict) and "slot" in o)
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


def _nowhere(name: str) -> bool:
    return False


def project_warnings(content: ProjectContent, used_elsewhere: Set[str] = frozenset(),
                     set_elsewhere: Set[str] = frozenset(), in_code: Callable[[str], bool] = _nowhere) -> list[Problem]:
    """Responses nothing uses and slots nothing sets. Besides flows, `used_elsewhere`/`set_elsewhere`
    are the names rules, stories, e2e tests and forms use or set, and `in_code` searches action code."""
    used, set_slots = _used_names(content)
    used, set_slots = used | used_elsewhere, set_slots | set_elsewhere
    has_custom_actions = bool(content.actions)
    warnings = []
    for response in content.responses.values():
        if response.name not in used and response.name not in DEFAULT_RESPONSES and not in_code(response.name):
            warnings.append(Problem(f"response '{response.name}' is never used by a flow",
                                    response.source_path, response.line))
    for slot in content.slots.values():
        if slot.name in set_slots or slot.name in DEFAULT_SLOTS or in_code(slot.name):
            continue
        by_actions = bool(_mapping_types(slot) - {"from_llm"}) and has_custom_actions
        if not by_actions:
            warnings.append(Problem(f"slot '{slot.name}' is never set: no flow collects or sets it",
                                    slot.source_path, slot.line))
    return warnings
