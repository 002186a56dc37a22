"""Action mocks: what a custom action answers in try-it and tests when no action server does.

A mock is one entry of Rasa Pro's e2e `stub_custom_actions` (`{events: [...], responses: [...]}`),
or `{variants: [...]}`: such entries, each with an optional `condition` (a flow predicate over the
slots, parsed and evaluated by the engine's predicate code). The first variant whose condition
holds answers; a variant without a condition always does, so only the last may go without one.
"""
from __future__ import annotations

import json
import re
from typing import Any, Callable, Mapping

from engine.actions import ActionFailed, ActionResult
from engine.action_server import ActionServerUnreachable, HttpActions
from engine.model.domain import Slot as EngineSlot
from engine.predicates import evaluate_predicate, predicate_problem
from engine.replay import stub_result
from engine.tracker import Tracker
from studio.core.exceptions import Problem, ValidationFailed

MAX_MOCK_BYTES = 65_536
MAX_VARIANTS = 20
MAX_ITEMS = 50  # events or responses per variant
MAX_TEXT = 2000
EVENT_KINDS = ("slot", "reset_slots")  # what the engine applies from an action's reply
RESPONSE_KEYS = ("text", "response", "buttons", "image", "custom")
_SLOT_REFERENCE = re.compile(r"\bslots\.([A-Za-z_][A-Za-z0-9_]*)")
COULD_NOT_RUN = "could not run"


# --- shape -------------------------------------------------------------------------------
def mock_variants(mock: Any) -> list[dict]:
    """The mock's variants in order; a plain stub entry is one variant without a condition."""
    if not isinstance(mock, dict):
        return []
    if "variants" in mock:
        return [v for v in mock.get("variants") or [] if isinstance(v, dict)]
    return [mock]


def mock_stub(mock: Any, slots: Mapping[str, Any]) -> dict | None:
    """The `stub_custom_actions` entry the mock answers with for these slots (None: no variant holds)."""
    for variant in mock_variants(mock):
        condition = variant.get("condition")
        if condition is None or evaluate_predicate(str(condition), dict(slots)):
            return {"events": list(variant.get("events") or []), "responses": list(variant.get("responses") or [])}
    return None


def mock_clean(mock: Any, *, slots: Mapping[str, dict], responses: set[str]) -> dict | None:
    """The mock as stored (a plain entry when there is one unconditional variant), or ValidationFailed.

    `slots` maps slot names to their Rasa definitions; `responses` are the names a mock may utter.
    """
    if mock is None:
        return None
    problems: list[Problem] = []
    if not isinstance(mock, dict):
        raise ValidationFailed.one("mock", msg="must be a mapping with `events` and `responses`, or `variants`")
    size = len(json.dumps(mock, default=str).encode())
    if size > MAX_MOCK_BYTES:
        raise ValidationFailed.one("mock", msg=f"is too large ({size:,} bytes; at most {MAX_MOCK_BYTES:,})")
    if "variants" in mock:
        unknown = sorted(set(mock) - {"variants"})
        if unknown:
            problems.append(Problem(("mock", unknown[0]), "is not allowed next to `variants`"))
        raw = mock["variants"]
        if not isinstance(raw, list) or not raw:
            raise ValidationFailed([*problems, Problem(("mock", "variants"), "must be a non-empty list")])
        if len(raw) > MAX_VARIANTS:
            problems.append(Problem(("mock", "variants"), f"has {len(raw)} variants; at most {MAX_VARIANTS}"))
        variants = [_variant(v, ("mock", "variants", i), slots, responses, problems, last=i == len(raw) - 1)
                    for i, v in enumerate(raw[:MAX_VARIANTS])]
    else:
        variants = [_variant(mock, ("mock",), slots, responses, problems, last=True, conditional=False)]
    if problems:
        raise ValidationFailed(problems)
    if len(variants) == 1 and "condition" not in variants[0]:
        return variants[0]
    return {"variants": variants}


def _variant(raw: Any, loc: tuple, slots: Mapping[str, dict], responses: set[str], problems: list[Problem],
             *, last: bool, conditional: bool = True) -> dict:
    if not isinstance(raw, dict):
        problems.append(Problem(loc, "must be a mapping with `events` and `responses`"))
        return {}
    allowed = {"events", "responses", "condition"} if conditional else {"events", "responses"}
    for key in sorted(set(raw) - allowed):
        hint = ("conditions go on variants: `variants: [{condition, events, responses}, ...]`"
                if key == "condition" else f"is not a mock key; use {', '.join(sorted(allowed))}")
        problems.append(Problem((*loc, key), hint))
    variant: dict = {}
    if conditional and raw.get("condition") is not None:
        variant["condition"] = _condition(raw["condition"], (*loc, "condition"), slots, problems)
    elif conditional and not last:
        problems.append(Problem((*loc, "condition"), "is required on every variant but the last "
                                                     "(a variant without one always answers)"))
    variant["events"] = [_event(e, (*loc, "events", i), slots, problems)
                         for i, e in enumerate(_items(raw.get("events"), (*loc, "events"), problems))]
    variant["responses"] = [_response(r, (*loc, "responses", i), responses, problems)
                            for i, r in enumerate(_items(raw.get("responses"), (*loc, "responses"), problems))]
    return variant


def _items(raw: Any, loc: tuple, problems: list[Problem]) -> list:
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.append(Problem(loc, "must be a list"))
        return []
    if len(raw) > MAX_ITEMS:
        problems.append(Problem(loc, f"has {len(raw)} items; at most {MAX_ITEMS}"))
    return raw[:MAX_ITEMS]


def _condition(raw: Any, loc: tuple, slots: Mapping[str, dict], problems: list[Problem]) -> str:
    text = raw if isinstance(raw, str) else ""
    problem = predicate_problem(text) if text else "must be a predicate over slots, e.g. slots.size = 'large'"
    if problem:
        problems.append(Problem(loc, problem))
    for name in _SLOT_REFERENCE.findall(text):
        if name not in slots:
            problems.append(Problem(loc, f"uses the slot '{name}', which this assistant does not have"))
    return text


def _event(raw: Any, loc: tuple, slots: Mapping[str, dict], problems: list[Problem]) -> dict:
    kind = raw.get("event") if isinstance(raw, dict) else None
    if kind not in EVENT_KINDS:
        problems.append(Problem((*loc, "event"), "must be `slot` (set a slot) or `reset_slots`"))
        return {}
    if kind == "reset_slots":
        return {"event": "reset_slots"}
    name, value = raw.get("name"), raw.get("value")
    if name not in slots:
        problems.append(Problem((*loc, "name"), f"'{name}' is not a slot of this assistant"))
    elif not EngineSlot.from_dict(name, slots[name]).is_valid(value):
        kind_text = slots[name].get("type", "text")
        problems.append(Problem((*loc, "value"), f"{value!r} is not a valid value of the {kind_text} slot '{name}'"))
    return {"event": "slot", "name": name, "value": value}


def _response(raw: Any, loc: tuple, responses: set[str], problems: list[Problem]) -> dict:
    if not isinstance(raw, dict):
        problems.append(Problem(loc, "must be a mapping with `text` or `response`"))
        return {}
    for key in sorted(set(raw) - set(RESPONSE_KEYS)):
        problems.append(Problem((*loc, key), f"is not a response key; use {', '.join(RESPONSE_KEYS)}"))
    text, name = raw.get("text"), raw.get("response")
    if (text is None) == (name is None):
        problems.append(Problem(loc, "needs exactly one of `text` (a message) or `response` (a response name)"))
    if text is not None and (not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT):
        problems.append(Problem((*loc, "text"), f"must be a non-empty string of at most {MAX_TEXT} characters"))
    if name is not None and name not in responses:
        problems.append(Problem((*loc, "response"), f"'{name}' is not a response of this assistant"))
    buttons = raw.get("buttons")
    if buttons is not None and (not isinstance(buttons, list) or not all(
            isinstance(b, dict) and isinstance(b.get("title"), str) and isinstance(b.get("payload"), str)
            for b in buttons)):
        problems.append(Problem((*loc, "buttons"), "must be a list of {title, payload} strings"))
    return {key: raw[key] for key in RESPONSE_KEYS if raw.get(key) is not None}


# --- running actions in try-it -------------------------------------------------------------
def could_not_run_message(name: str, endpoint_url: str | None, mock_page: str) -> str:
    """What try-it says instead of Rasa's "Sorry, I am having trouble…" when an action cannot run."""
    if endpoint_url:
        why, fix = f"no action server answered at {endpoint_url}", "Start your action server or define a mock"
    else:
        why = "endpoints.yml configures no action server (action_endpoint)"
        fix = "Add an action_endpoint to endpoints.yml or define a mock"
    return f"The action '{name}' {COULD_NOT_RUN}: {why}. {fix} on the action's page: {mock_page}"


class TryItActions:
    """Custom actions in try-it: the action server when it answers, else the action's mock, else a
    plain failure naming the action and the fix.

    Shared by every conversation on one build (turns run in threads; it keeps no per-turn state).
    Mocks are read when needed (`mock_for`), so a mock saved a moment ago answers the next call,
    on a pinned version too (runtime.Runtime.actions caches them per mock revision).
    """

    def __init__(self, endpoint_url: str | None, *, mock_for: Callable[[str], Any],
                 mock_page: Callable[[str], str], server: HttpActions | None = None) -> None:
        self.endpoint_url = endpoint_url
        self.server = server or (HttpActions(endpoint_url) if endpoint_url else None)
        self.mock_for = mock_for
        self.mock_page = mock_page

    def with_mocks(self, mock_for: Callable[[str], Any]) -> TryItActions:
        """The same server client, reading mocks through `mock_for` (a turn's: it knows the revisions
        the turn read, so it can answer from a cache)."""
        return TryItActions(self.endpoint_url, mock_for=mock_for, mock_page=self.mock_page, server=self.server)

    def run(self, name: str, tracker: Tracker) -> ActionResult:
        if self.server is not None:
            try:
                return self.server.run(name, tracker)
            except ActionServerUnreachable:
                pass  # a server that answered badly is a real failure; only a missing one falls back
        mock = self.mock_for(name)
        if mock is None:
            raise ActionFailed(could_not_run_message(name, self.endpoint_url, self.mock_page(name)))
        stub = mock_stub(mock, tracker.slots)
        if stub is None:
            raise ActionFailed(f"The action '{name}' {COULD_NOT_RUN}: none of its mock's conditions holds for "
                               f"the current slots. Add a variant without a condition on the action's page: "
                               f"{self.mock_page(name)}")
        where = f"no action server answered at {self.endpoint_url}" if self.endpoint_url else \
            "endpoints.yml configures no action_endpoint"
        tracker.event("action_stubbed", name=name, reason=f"mocked: {where}, so the action's mock ran")
        return stub_result(stub)


# --- reading a mock in plain words ---------------------------------------------------------
def mock_summary(mock: Any) -> list[dict[str, Any]]:
    """Each variant as the mock page lists it: when it answers, and what it does."""
    variants = mock_variants(mock)
    rows = []
    for index, variant in enumerate(variants):
        condition = variant.get("condition")
        when = f"when {condition}" if condition else ("otherwise" if index else "always")
        does = [_event_words(e) for e in variant.get("events") or []]
        does += [_response_words(r) for r in variant.get("responses") or []]
        rows.append({"when": when, "does": does or ["does nothing (the flow goes on)"]})
    return rows


def _event_words(event: dict) -> str:
    if event.get("event") == "reset_slots":
        return "resets every slot"
    return f"sets {event.get('name')} to {json.dumps(event.get('value'), ensure_ascii=False)}"


def _response_words(response: dict) -> str:
    if response.get("response"):
        return f"sends the response {response['response']}"
    return f"says “{response.get('text')}”"
