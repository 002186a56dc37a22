"""Rasa Pro 3.21 e2e assertions over the events of one user turn.

Events are plain dicts (see `runner.turn_events`): `flow` (kind, flow_id, clarification_ids),
`slot` (name, value), `action` (name) and `bot` (response, text, buttons). Each check returns
`(failure message or None, index of the matching event or None)`; the messages are Rasa's own
(rasa/e2e_test/assertions.py) so a failure reads the same as under `rasa test e2e`.
"""

from __future__ import annotations

import re
from typing import Any, Callable

Events = list[dict]
Result = tuple[str | None, int | None]

# Assertions that need an LLM judge or Rasa's agent runtime: recognised, reported as skipped.
SKIPPED_TYPES = frozenset({
    "generative_response_is_relevant", "generative_response_is_grounded",
    "skill_activated", "skill_completed", "skill_cancelled", "skill_interrupted", "skill_resumed",
    "memory_was_set", "memory_was_not_set", "memory_was_cleared", "tool_executed",
    "tools_within_one_turn", "ordered_block_started", "ordered_block_completed",
})
_NOT_DEFINED = object()


def _find(events: Events, match: Callable[[dict], bool]) -> int | None:
    return next((i for i, e in enumerate(events) if match(e)), None)


def _flow(kind: str, flow_id: str) -> Callable[[dict], bool]:
    return lambda e: e["event"] == "flow" and e["kind"] == kind and e["flow_id"] == flow_id


def _flow_ids(value: Any) -> tuple[str | None, list[str]]:
    """(operator, flow ids) of the preferred shape, or (None, [id]) for the deprecated string."""
    if isinstance(value, dict):
        return str(value.get("operator", "")).lower() or None, [str(f) for f in value.get("flow_ids") or []]
    return None, [str(value)]


def flow_started(value: Any, events: Events) -> Result:
    operator, ids = _flow_ids(value)
    if operator == "any":
        for flow_id in ids:
            index = _find(events, _flow("started", flow_id))
            if index is not None:
                return None, index
        return f"None of the flows with ids '{', '.join(ids)}' started.", None
    flow_id = ids[0] if ids else ""
    index = _find(events, _flow("started", flow_id))
    return (None, index) if index is not None else (f"Flow with id '{flow_id}' did not start.", None)


def _flow_ended(kind: str, verb: str, done: str) -> Callable[[Any, Events], Result]:
    def check(value: Any, events: Events) -> Result:
        value = value if isinstance(value, dict) else {"flow_id": value}
        flow_id, step_id = value.get("flow_id"), value.get("flow_step_id")
        index = _find(events, _flow(kind, flow_id))
        if index is None:
            return f"Flow with id '{flow_id}' {verb}.", None
        if step_id is not None and "step_id" not in events[index]:
            return (f"Flow with id '{flow_id}' {done}, "
                    "but this engine does not record the step id, so 'flow_step_id' cannot be checked."), None
        actual = events[index].get("step_id")
        if step_id is not None and actual != step_id:
            return (f"Flow with id '{flow_id}' {verb} "
                    f"at expected step id '{step_id}'. The actual step id was '{actual}'."), None
        return None, index
    return check


def pattern_clarification_contains(value: Any, events: Events) -> Result:
    index = _find(events, _flow("started", "pattern_clarification"))
    if index is None:
        return "'pattern_clarification' pattern did not trigger.", None
    event = events[index]
    if isinstance(value, list):  # deprecated: readable flow names
        if set(map(str, value)) != set(event.get("clarification_names") or []):
            return ("'pattern_clarification' pattern did not contain the expected options. "
                    f"Expected options: {set(map(str, value))}. "), None
        return None, index
    operator, ids = _flow_ids(value)
    actual = list(event.get("clarification_ids") or [])
    if operator == "any":
        if any(i in actual for i in ids):
            return None, index
        return ("'pattern_clarification' pattern did not contain any of the expected options "
                f"'{', '.join(ids)}'."), None
    if set(actual) != set(ids):
        return ("'pattern_clarification' pattern did not contain all of the expected options "
                f"'{', '.join(ids)}'. Actual options: '{', '.join(actual)}'."), None
    return None, index


def action_executed(value: Any, events: Events) -> Result:
    index = _find(events, lambda e: e["event"] == "action" and e["name"] == value)
    return (None, index) if index is not None else (f"Action '{value}' did not execute.", None)


def _slots(value: Any) -> list[tuple[str, Any]]:
    entries = value if isinstance(value, list) else [value]
    return [(str(s.get("name")), s.get("value", _NOT_DEFINED)) if isinstance(s, dict) else (str(s), _NOT_DEFINED)
            for s in entries]


def _slot_events(events: Events, name: str) -> list[int]:
    return [i for i, e in enumerate(events) if e["event"] == "slot" and e["name"] == name]


def slot_was_set(value: Any, events: Events) -> Result:
    matched = None
    for name, expected in _slots(value):
        found = _slot_events(events, name)
        if not found:
            return f"Slot '{name}' was not set.", None
        if expected is _NOT_DEFINED:
            matched = found[0]
            continue
        matched = next((i for i in found if events[i]["value"] == expected), None)
        if matched is None:
            return (f"Slot '{name}' was set to a different value '{_show(events[found[-1]]['value'])}' "
                    f"than the expected '{_show(expected)}' value."), None
    return None, matched


def slot_was_not_set(value: Any, events: Events) -> Result:
    matched = None
    for name, expected in _slots(value):
        found = _slot_events(events, name)
        if not found:
            continue
        matched = found[-1]  # the final value of the slot in this turn
        actual = events[matched]["value"]
        if expected is _NOT_DEFINED and actual is not None:
            return f"Slot '{name}' was set to '{_show(actual)}' but it should not have been set.", None
        if expected is not _NOT_DEFINED and actual == expected:
            return f"Slot '{name}' was set to '{_show(expected)}' but it should not have been set.", None
    return None, matched


def _show(value: Any) -> str:
    """Python's str() of a value, as Rasa's f-strings print it."""
    return str(value)


def _bots(events: Events) -> list[int]:
    return [i for i, e in enumerate(events) if e["event"] == "bot"]


def _buttons_match(event: dict, expected: list) -> bool:
    actual = event.get("buttons") or []
    if not actual:
        return False
    return all(a.get("title") == e.get("title") and a.get("payload") == e.get("payload")
               for a, e in zip(actual, expected))


def _bot_matchers(value: dict) -> list[tuple[str, Callable[[dict], bool]]]:
    matchers = []
    if value.get("utter_name") is not None:
        matchers.append(("utter_name", lambda e: e.get("response") == value["utter_name"]))
    if value.get("text_matches") is not None:
        pattern = re.compile(str(value["text_matches"]))
        matchers.append(("text_matches", lambda e: bool(pattern.search(e.get("text") or ""))))
    if value.get("buttons"):
        buttons = [b for b in value["buttons"] if isinstance(b, dict)]
        matchers.append(("buttons", lambda e: _buttons_match(e, buttons)))
    return matchers


_UTTER_FAILURES = {
    "utter_name": "Bot did not utter '{utter_name}' response.",
    "text_matches": "Bot did not utter any response which matches the provided text pattern '{text_matches}'.",
    "buttons": "Bot did not utter any response with the expected buttons.",
}
_FORBIDDEN = {
    "utter_name": "Bot uttered a forbidden utterance '{utter_name}'.",
    "text_matches": "Bot uttered a forbidden message matching the pattern '{text_matches}'.",
    "buttons": "Bot uttered a forbidden response with specified buttons.",
}


def bot_uttered(value: Any, events: Events) -> Result:
    value = value if isinstance(value, dict) else {}
    bots, matched, errors = _bots(events), None, []
    for key, match in _bot_matchers(value):
        index = next((i for i in bots if match(events[i])), None)
        if index is None:
            errors.append(_UTTER_FAILURES[key].format(**value))
        else:
            matched = index
    return (" ".join(errors), None) if errors else (None, matched)


def bot_did_not_utter(value: Any, events: Events) -> Result:
    value = value if isinstance(value, dict) else {}
    matchers = _bot_matchers(value)
    for index in _bots(events):
        errors = [_FORBIDDEN[key].format(**value) for key, match in matchers if match(events[index])]
        if errors:
            return " ".join(errors), None
    return None, None


CHECKS: dict[str, Callable[[Any, Events], Result]] = {
    "flow_started": flow_started,
    "flow_completed": _flow_ended("completed", "did not complete", "completed"),
    "flow_cancelled": _flow_ended("cancelled", "was not cancelled", "was cancelled"),
    "pattern_clarification_contains": pattern_clarification_contains,
    "action_executed": action_executed,
    "slot_was_set": slot_was_set,
    "slot_was_not_set": slot_was_not_set,
    "bot_uttered": bot_uttered,
    "bot_did_not_utter": bot_did_not_utter,
}
# Rasa adds the events before the first user message (session start, fixtures) to the first
# step's turn for these assertions only (`_get_turn_events_based_on_step_index`).
SEES_PRIOR_EVENTS = frozenset({"action_executed", "slot_was_set", "slot_was_not_set", "bot_uttered",
                               "bot_did_not_utter"})
ASSERTION_TYPES = frozenset(CHECKS) | SKIPPED_TYPES


def assertion_problem(kind: str, value: Any) -> str | None:
    """What makes an assertion unusable before anything runs (Rasa refuses these at load)."""
    if kind in ("bot_uttered", "bot_did_not_utter"):
        if not isinstance(value, dict) or not _bot_matchers(value):
            return (f"A '{kind}' assertion is empty, it should contain at least one of the allowed "
                    "properties: 'utter_name', 'text_matches', 'buttons'.")
    if kind in ("flow_started", "pattern_clarification_contains") and isinstance(value, dict):
        operator, ids = _flow_ids(value)
        if operator not in ("all", "any"):
            return f"Invalid operator '{operator}' for '{kind}' assertion. Supported operators are 'any' and 'all'."
        if kind == "flow_started" and operator == "all" and len(ids) != 1:
            return "A 'flow_started' assertion with operator 'all' needs exactly one flow id."
    return None
