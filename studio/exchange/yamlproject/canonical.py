"""Key order for content the studio writes anew, whatever order the database gave back.

PostgreSQL's jsonb does not keep key order; existing YAML keeps its own order anyway, so
this only decides how new flows, steps, slots and responses read in the exported file.
"""

from __future__ import annotations

from typing import Any

from .content import FLOWS, RESPONSES, SLOTS

FLOW_ORDER = ("name", "description", "if", "nlu_trigger", "persisted_slots", "always_include_in_prompt",
              "run_pattern_completed", "translation", "metadata", "steps")
STEP_ORDER = ("id", "action", "collect", "link", "call", "set_slots", "noop", "description", "utter",
              "ask_before_filling", "reset_after_flow_ends", "force_slot_filling", "rejections",
              "silence_timeout", "dtmf", "mcp_server", "mapping", "exit_if", "metadata", "next")
BRANCH_ORDER = ("if", "then", "else")
REJECTION_ORDER = ("if", "utter")
SLOT_ORDER = ("type", "values", "min_value", "max_value", "initial_value", "influence_conversation",
              "mappings", "validation")
VARIATION_ORDER = ("text", "condition", "buttons", "button_type", "custom", "image", "channel", "id", "metadata")
BUTTON_ORDER = ("title", "payload")


def _ordered(value: Any, order: tuple[str, ...]) -> Any:
    if not isinstance(value, dict):
        return value
    rank = {key: i for i, key in enumerate(order)}
    return dict(sorted(value.items(), key=lambda kv: rank.get(kv[0], len(order))))


def _steps(steps: Any) -> Any:
    if not isinstance(steps, list):
        return steps
    out = []
    for step in steps:
        step = _ordered(step, STEP_ORDER)
        if isinstance(step, dict):
            if isinstance(step.get("next"), list):
                step["next"] = [_branch(b) for b in step["next"]]
            if isinstance(step.get("rejections"), list):
                step["rejections"] = [_ordered(r, REJECTION_ORDER) for r in step["rejections"]]
        out.append(step)
    return out


def _branch(branch: Any) -> Any:
    branch = _ordered(branch, BRANCH_ORDER)
    if isinstance(branch, dict):
        for key in ("then", "else"):
            if isinstance(branch.get(key), list):
                branch[key] = _steps(branch[key])
    return branch


def _variations(variations: Any) -> Any:
    if not isinstance(variations, list):
        return variations
    out = []
    for variation in variations:
        variation = _ordered(variation, VARIATION_ORDER)
        if isinstance(variation, dict) and isinstance(variation.get("buttons"), list):
            variation["buttons"] = [_ordered(b, BUTTON_ORDER) for b in variation["buttons"]]
        out.append(variation)
    return out


def canonical(kind: str, body: Any) -> Any:
    """The same body with keys in the order Rasa's docs write them (a copy, never in place)."""
    if kind == FLOWS:
        flow = _ordered(body, FLOW_ORDER)
        if isinstance(flow, dict) and "steps" in flow:
            flow["steps"] = _steps(flow["steps"])
        return flow
    if kind == SLOTS:
        return _ordered(body, SLOT_ORDER)
    if kind == RESPONSES:
        return _variations(body)
    return body
