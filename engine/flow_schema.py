"""Rasa's flows JSON schema rules that the flow model does not enforce while building.

`Flow.from_dict` already refuses what it cannot build (a step that is not a mapping, a `next`
of the wrong shape); these are the schema's remaining rules: closed key sets, a required
description, exactly one step kind, a `next` on every noop. `rasa data validate` refuses each.
"""

from __future__ import annotations

from typing import Iterable

from engine.model.flows import CONTINUE_PREFIX, STEP_KINDS, Flow, Step

# `additionalProperties: false` at flow level.
FLOW_KEYS = frozenset({
    "name", "description", "translation", "if", "always_include_in_prompt", "nlu_trigger",
    "file_path", "steps", "persisted_slots", "run_pattern_completed", "on_activate", "metadata",
})
# The schema closes these step kinds; link, set_slots and noop steps accept extra keys.
CLOSED_STEP_KEYS = {
    "action": frozenset({"id", "next", "action", "metadata"}),
    "collect": frozenset({"collect", "id", "next", "metadata", "description", "ask_before_filling",
                          "reset_after_flow_ends", "utter", "force_slot_filling", "rejections",
                          "silence_timeout", "collect-tool-binding", "dtmf"}),
    "call": frozenset({"call", "id", "next", "metadata", "description", "mcp_server", "mapping", "exit_if"}),
}


def schema_problems(flow: Flow) -> Iterable[tuple[str, str | None]]:
    """(message, step id or None) for every schema rule the flow breaks."""
    for key in flow.raw:
        if str(key) not in FLOW_KEYS:
            yield f"unknown flow key '{key}'", None
    if "description" not in flow.raw:
        yield "flow has no 'description' (required by Rasa Pro)", None
    # A step of no known kind was already reported by the builder (and stands in as a noop).
    unknown_kind = {step_id for message, step_id in flow.shape_problems if message.startswith("unknown step kind")}
    for step in flow.steps:
        if step.id not in unknown_kind:
            yield from ((message, step.id) for message in _step_schema_problems(step))


def _step_schema_problems(step: Step) -> Iterable[str]:
    kinds = [kind for kind in STEP_KINDS if kind in step.raw]
    if len(kinds) > 1:
        yield f"a step needs exactly one of {', '.join(STEP_KINDS)} (found: {', '.join(kinds)})"
    for key in step.raw:
        if step.kind in CLOSED_STEP_KEYS and str(key) not in CLOSED_STEP_KEYS[step.kind]:
            yield f"unknown key '{key}' on a {step.kind} step"
    if step.custom_id and step.id.startswith(CONTINUE_PREFIX):
        yield f"'{step.id}' is a reserved step id"
    if step.kind == "noop" and step.raw.get("next") is None:
        yield "a noop step needs 'next'"
    # `next: []` is allowed and means no `next` (tests/exchange/rasa_verdicts/empty_next).
