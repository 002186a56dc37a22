"""Usages inside the studio's content: flow steps, slot mappings and validations, response variations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterator

from .checks import default_step_id
from .content import ACTIONS, FLOWS, RESPONSES, SLOTS, ProjectContent
from .sites import Site, Usage, dropper, index_of, key_renamer, popper, setter, slot_text_renamer, text_site


def flow_steps(flow_id: str, steps: Any) -> Iterator[tuple[dict, list, str]]:
    """(step, the list holding it, step id) depth-first, ids numbered as Rasa numbers default ids."""
    counter = [0]

    def walk(seq: Any) -> Iterator[tuple[dict, list, str]]:
        for step in list(seq) if isinstance(seq, list) else []:
            index = counter[0]
            counter[0] += 1
            if not isinstance(step, dict):
                continue
            yield step, seq, str(step["id"]) if "id" in step else default_step_id(flow_id, index, step)
            for branch in step.get("next") if isinstance(step.get("next"), list) else []:
                if isinstance(branch, dict):
                    yield from walk(branch.get("then", branch.get("else")))
    yield from walk(steps)


def _step_remover(seq: list, step: dict, ids: dict[int, str], targets: set[str]) -> Callable[[], None]:
    """Take the step out; one that a `next` jumps to, or that jumps elsewhere itself, becomes a noop
    so the rest of the flow runs as before."""
    def run() -> None:
        i = index_of(seq, step)
        if i is None:
            return
        following = ids.get(id(seq[i + 1])) if i + 1 < len(seq) else None
        jumps = "next" in step and step["next"] != following
        if not jumps and str(step.get("id", "")) not in targets and len(seq) > 1:
            del seq[i]
            return
        keep = {"id": step["id"]} if "id" in step else {}
        nxt = step.get("next", following or "END")
        step.clear()
        step.update({**keep, "noop": True, "next": nxt})
    return run


def _jump_targets(walked: list[tuple[dict, list, str]]) -> set[str]:
    targets: set[str] = set()
    for step, _, _ in walked:
        nxt = step.get("next")
        branches = [b.get("then", b.get("else")) for b in nxt if isinstance(b, dict)] if isinstance(nxt, list) else []
        targets.update(t for t in [nxt, *branches] if isinstance(t, str))
    return targets


@dataclass
class _StepAt:
    path: str
    flow_id: str
    step: dict
    seq: list
    sid: str
    ids: dict[int, str]
    targets: set[str]

    def usage(self, what: str, removable: bool = False) -> Usage:
        return Usage(self.path, None, f"flow {self.flow_id}, step {self.sid}: {what}", removable, key=what,
                     flow_id=self.flow_id, step_id=str(self.step.get("id", "")))

    def removed(self) -> Callable[[], None]:
        return _step_remover(self.seq, self.step, self.ids, self.targets)


def _flow_step_sites(at: _StepAt, kind: str, name: str) -> Iterator[Site]:
    step = at.step
    for key in {FLOWS: ("link", "call"), SLOTS: ("collect",), RESPONSES: ("action",), ACTIONS: ("action",)}[kind]:
        if step.get(key) == name:
            yield Site(at.usage(key, True), setter(step, key), at.removed())
    if kind == SLOTS:
        yield from _step_slot_sites(at, name)
    elif kind == RESPONSES:
        if step.get("utter") == name:
            yield Site(at.usage("collect utter", True), setter(step, "utter"), popper(step, "utter"))
        elif "collect" in step and "utter" not in step and name == f"utter_ask_{step['collect']}":
            yield Site(at.usage(f"asks for slot {step['collect']}"), setter(step, "utter"))
        rejections = step.get("rejections") if isinstance(step.get("rejections"), list) else []
        for r in rejections:
            if isinstance(r, dict) and r.get("utter") == name:
                yield Site(at.usage("rejection utter", True), setter(r, "utter"),
                           dropper(rejections, r, popper(step, "rejections")))
    elif kind == ACTIONS and "collect" in step and name == f"action_ask_{step['collect']}":
        yield Site(at.usage(f"asks for slot {step['collect']}"))


def _step_slot_sites(at: _StepAt, name: str) -> Iterator[Site]:
    step, fix = at.step, slot_text_renamer(name)
    entries = step.get("set_slots") if isinstance(step.get("set_slots"), list) else []
    for entry in entries:
        if isinstance(entry, dict) and name in entry:
            yield Site(at.usage("set_slots", True), key_renamer(entry, name), dropper(entries, entry, at.removed()))
    for branch in step.get("next") if isinstance(step.get("next"), list) else []:
        if isinstance(branch, dict):
            yield from text_site(branch, "if", fix, at.usage("condition"))
    for r in step.get("rejections") if isinstance(step.get("rejections"), list) else []:
        if isinstance(r, dict):
            yield from text_site(r, "if", fix, at.usage("rejection condition"))
    exits = step.get("exit_if")
    for i in range(len(exits) if isinstance(exits, list) else 0):
        yield from text_site(exits, i, fix, at.usage("exit_if"))
    for node in _dicts(step.get("mapping")):
        if node.get("slot") == name:
            yield Site(at.usage("call mapping"), setter(node, "slot"))


def _dicts(node: Any) -> Iterator[dict]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _dicts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _dicts(value)


def _flow_sites(content: ProjectContent, kind: str, name: str) -> Iterator[Site]:
    for flow in content.flows.values():
        body = flow.body
        if not isinstance(body, dict):
            continue
        path = flow.source_path or f"data/flows/{flow.name}.yml"
        if kind == SLOTS:
            yield from text_site(body, "if", slot_text_renamer(name), Usage(path, None, f"flow {flow.name}: if"))
            persisted = body.get("persisted_slots") if isinstance(body.get("persisted_slots"), list) else []
            for i, slot in enumerate(persisted):
                if slot == name:
                    yield Site(Usage(path, None, f"flow {flow.name}: persisted_slots", True),
                               setter(persisted, i), dropper(persisted, name, popper(body, "persisted_slots")))
        walked = list(flow_steps(flow.name, body.get("steps")))
        ids, targets = {id(step): sid for step, _, sid in walked}, _jump_targets(walked)
        for step, seq, sid in walked:
            yield from _flow_step_sites(_StepAt(path, flow.name, step, seq, sid, ids, targets), kind, name)


def _slot_item_sites(content: ProjectContent, kind: str, name: str) -> Iterator[Site]:
    for slot in content.slots.values():
        body = slot.body if isinstance(slot.body, dict) else {}
        at = lambda what, removable=False, s=slot: Usage(s.source_path, None, f"slot {s.name}: {what}", removable)
        for mapping in body.get("mappings") if isinstance(body.get("mappings"), list) else []:
            if not isinstance(mapping, dict):
                continue
            for key in ("action", "run_action_every_turn") if kind == ACTIONS else ():
                if mapping.get(key) == name:
                    yield Site(at(f"mapping {key}"), setter(mapping, key))
            conditions = mapping.get("conditions") if isinstance(mapping.get("conditions"), list) else []
            key = {FLOWS: "active_flow", SLOTS: "requested_slot"}.get(kind)
            for c in conditions:
                if key and isinstance(c, dict) and c.get(key) == name:
                    yield Site(at(f"mapping condition {key}", True), setter(c, key),
                               dropper(conditions, c, popper(mapping, "conditions")))
        validation = body.get("validation") if isinstance(body.get("validation"), dict) else {}
        if kind == RESPONSES and validation.get("refill_utter") == name:
            yield Site(at("refill_utter", True), setter(validation, "refill_utter"), popper(validation, "refill_utter"))
        rejections = validation.get("rejections") if isinstance(validation.get("rejections"), list) else []
        for r in rejections:
            if not isinstance(r, dict):
                continue
            if kind == SLOTS:
                yield from text_site(r, "if", slot_text_renamer(name), at("validation condition"))
            if kind == RESPONSES and r.get("utter") == name:
                yield Site(at("validation rejection utter", True), setter(r, "utter"),
                           dropper(rejections, r, popper(validation, "rejections")))


def _response_item_sites(content: ProjectContent, name: str) -> Iterator[Site]:
    fix = slot_text_renamer(name)
    for response in content.responses.values():
        at = lambda what, r=response: Usage(r.source_path, None, f"response {r.name}: {what}")
        for variation in response.body if isinstance(response.body, list) else []:
            if not isinstance(variation, dict):
                continue
            condition = variation.get("condition")
            for c in condition if isinstance(condition, list) else []:
                if isinstance(c, dict) and c.get("name") == name:
                    yield Site(at("condition"), setter(c, "name"))
            yield from text_site(variation, "condition", fix, at("condition"))
            yield from text_site(variation, "text", fix, at("text"))
            for button in variation.get("buttons") if isinstance(variation.get("buttons"), list) else []:
                if isinstance(button, dict):
                    yield from text_site(button, "title", fix, at("button title"))
                    yield from text_site(button, "payload", fix, at("button payload"))


def content_sites(content: ProjectContent, kind: str, name: str) -> Iterator[Site]:
    yield from _flow_sites(content, kind, name)
    yield from _slot_item_sites(content, kind, name)
    if kind == SLOTS:
        yield from _response_item_sites(content, name)
