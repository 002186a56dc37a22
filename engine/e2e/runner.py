"""Playing e2e test cases against the engine and judging them the way `rasa test e2e` does.

Each test case is a fresh `Conversation`: the session starts, fixtures set slots, then every
`user` step is one message. With no command generator the text is read as the project's command
grammar, exactly as the conformance replays read it (engine/replay.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.actions import ActionFailed, ActionResult
from engine.assistant import Assistant
from engine.conversation import Conversation, Turn
from engine.e2e.coverage import frame_steps, reached_steps
from engine.e2e.assertions import CHECKS, SEES_PRIOR_EVENTS, SKIPPED_TYPES, bot_uttered, slot_was_not_set, slot_was_set
from engine.e2e.loader import TestCase, TestStep
from engine.executor import readable_name
from engine.validation import BUILTIN_ACTIONS
from engine.replay import stub_result
from engine.tracker import Tracker

ORDER_HINT = (" You have enabled assertion order, you should check the order in which the "
              "assertions are listed for this user step.")


def missing_stub_message(action: str) -> str:
    return (f"You are using custom action stubs, however action `{action}` has not been stubbed. "
            "Stub every custom action the tests run.")


@dataclass
class CaseResult:
    case: TestCase
    failures: list[str] = field(default_factory=list)  # printable blocks, first failure first
    skipped: list[str] = field(default_factory=list)  # assertions this runner cannot judge
    reached: set = field(default_factory=set)  # (flow_id, step_id) the case reached (coverage.py)

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass
class E2EStubs:
    """`stub_custom_actions` of one test case; in stub mode an unstubbed action fails (as in Rasa)."""

    stubs: dict
    strict: bool
    missing: list[str] = field(default_factory=list)
    seen: set = field(default_factory=set)  # (flow_id, step_id) of frames when an action ran

    def run(self, name: str, tracker: Tracker) -> ActionResult:
        self.seen |= frame_steps(tracker.stack.frames)
        if name in self.stubs:
            return stub_result(self.stubs[name])
        if self.strict:
            if name not in self.missing:
                self.missing.append(name)
            raise ActionFailed(missing_stub_message(name))
        return ActionResult()


def turn_events(turn: Turn, assistant: Assistant) -> list[dict]:
    """The turn's engine events in the shape the assertions read (see assertions.py)."""
    clarify = next((c for c in turn.commands if c.get("command") == "clarify"), None)
    flows = assistant.flows
    events: list[dict] = []
    for event in turn.events:
        kind = event.get("event", "")
        if kind.startswith("flow_"):
            item = {"event": "flow", "kind": kind[5:], "flow_id": event.get("flow_id")}
            if "step_id" in event:
                item["step_id"] = event["step_id"]
            if item["flow_id"] == "pattern_clarification" and clarify is not None:
                ids = [o for o in clarify.get("options") or [] if o in flows]
                item["clarification_ids"] = ids
                item["clarification_names"] = [readable_name(flows[o], o) for o in ids]
            events.append(item)
        elif kind == "slot_set":
            events.append({"event": "slot", "name": event.get("name"), "value": event.get("value")})
        elif kind == "action":
            events.append({"event": "action", "name": event.get("name")})
        elif kind == "bot":
            if event.get("response"):  # Rasa's ActionExecuted of the response's utter action
                events.append({"event": "action", "name": event["response"]})
            events.append({"event": "bot", "response": event.get("response"), "text": event.get("text"),
                           "buttons": event.get("buttons") or []})
    return events


def _short(text: Any, limit: int = 60) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_events(events: list[dict]) -> str:
    """What happened in a turn, in one line: flows, bot messages, slots, custom actions."""
    flows = [f"{e['kind']}:{e['flow_id']}" for e in events if e["event"] == "flow"]
    bots = [e["response"] or f'"{_short(e["text"])}"' for e in events if e["event"] == "bot"]
    slots = [f"{e['name']}={e['value']!r}" for e in events if e["event"] == "slot"]
    uttered = {e["response"] for e in events if e["event"] == "bot"}
    # Rasa's own actions (slot rejections, cancel flow...) run on most turns: naming them is noise.
    actions = [e["name"] for e in events if e["event"] == "action" and e["name"] not in uttered
               and e["name"] not in BUILTIN_ACTIONS]
    parts = [f"{label} {', '.join(items)}" for label, items in
             (("flows", flows), ("bot", bots), ("slots", slots), ("actions", actions)) if items]
    return "; ".join(parts) or "nothing (no flow events, bot messages, slots or actions)"


def _step_header(index: int, step: TestStep) -> str:
    line = f", line {step.line}" if step.line else ""
    return f"  step {index + 1}{line}, {step.describe()}"


def _failure(header: str, what: str, events: list[dict], turn: Turn | None) -> str:
    lines = [header, f"    {what}", f"    happened: {describe_events(events)}"]
    if turn is not None and turn.error:
        lines.append(f"    engine error: {turn.error}")
    for event in turn.events if turn is not None else []:
        if event.get("event") == "understanding" and event.get("error"):
            # Without this a missing API key would only show as "cannot handle".
            lines.append(f"    command generator error: {event['error']}")
    return "\n".join(lines)


@dataclass
class _Played:
    assistant: Assistant
    prior: list[dict]  # session start and fixtures
    turns: dict[int, Turn]  # step index -> the turn its user message caused
    observed: set = field(default_factory=set)  # (flow_id, step_id) frames rested on (coverage.py)


def _play(assistant: Assistant, case: TestCase, generator: Any, stubs: E2EStubs) -> tuple[_Played, list[str]]:
    actions = stubs if (case.uses_stubs or case.stubs) else None
    chat = Conversation(assistant, generator=generator, actions=actions)
    prior = turn_events(chat.start_session(), assistant)
    problems = []
    for name, value in case.fixture_slots.items():
        if name not in chat.tracker.slots:
            problems.append(f"  fixtures\n    Fixture slot '{name}' is not a slot of the assistant.")
            continue
        chat.tracker.set_slot(name, value)
        # Rasa appends a SlotSet per fixture slot, even when the value does not change.
        prior.append({"event": "slot", "name": name, "value": chat.tracker.slots[name]})
    turns = {}
    observed = frame_steps(chat.tracker.stack.frames)
    for index, step in enumerate(case.steps):
        if step.kind == "user" and step.value:
            turns[index] = chat.handle(step.value)
            observed |= frame_steps(chat.tracker.stack.frames)
            observed |= {tuple(key.split("|", 1)) for key in chat.tracker.snapshots}
    return _Played(assistant, prior, turns, observed), problems


def _judge_assertions(case: TestCase, played: _Played, result: CaseResult) -> None:
    assistant = played.assistant
    for index, step in enumerate(case.steps):
        if not step.assertions:
            continue
        turn = played.turns.get(index)
        if turn is None:
            result.failures.append(f"{_step_header(index, step)}\n    The user step has no text, so it was not sent.")
            return
        events = turn_events(turn, assistant)
        for assertion in step.assertions:
            kind = assertion["type"]
            if kind in SKIPPED_TYPES:
                result.skipped.append(f"{case.title} step {index + 1}: '{kind}' is not checked "
                                      "(it needs an LLM judge or Rasa's agents)")
                continue
            prior = played.prior if index == 0 and kind in SEES_PRIOR_EVENTS else []
            seen = prior + events
            message, matched = CHECKS[kind](assertion["value"], seen)
            if message:
                where = f" (line {assertion['line']})" if assertion.get("line") else ""
                hint = ORDER_HINT if step.ordered else ""
                result.failures.append(_failure(_step_header(index, step), f"{kind}{where}: {message}{hint}",
                                                seen, turn))
                return  # Rasa stops a test case at its first failed assertion
            if step.ordered and matched is not None:
                # Rasa: later assertions only see the events after the match (not when it was last).
                position = matched - len(prior)
                if 0 <= position and position + 1 < len(events):
                    events = events[position + 1:]


def _classic_check(step: TestStep, events: list[dict]) -> list[str]:
    """Messages for one bot/utter/slot step checked against the events of its turn."""
    if step.kind == "bot":
        found = any(e["event"] == "bot" and e["text"] == step.value for e in events)
        return [] if found else [f'Bot did not utter the text "{step.value}".']
    if step.kind == "utter":
        message, _ = bot_uttered({"utter_name": step.value}, events)
        return [message] if message else []
    check = slot_was_set if step.kind == "slot_was_set" else slot_was_not_set
    items = step.value if isinstance(step.value, list) else [step.value]
    messages = []
    for item in items:
        asserted = ({"name": next(iter(item)), "value": next(iter(item.values()))} if isinstance(item, dict)
                    else {"name": item})
        message, _ = check([asserted], events)
        if message:
            messages.append(message)
    return messages


def _judge_classic(case: TestCase, played: _Played, result: CaseResult) -> None:
    events, turn = played.prior, None
    for index, step in enumerate(case.steps):
        if step.kind == "user":
            turn = played.turns.get(index)
            events = turn_events(turn, played.assistant) if turn else []
            continue
        for message in _classic_check(step, events):
            result.failures.append(_failure(_step_header(index, step), message, events, turn))


def run_case(assistant: Assistant, case: TestCase, generator: Any = None) -> CaseResult:
    stubs = E2EStubs(dict(case.stubs), strict=case.uses_stubs)
    played, problems = _play(assistant, case, generator, stubs)
    result = CaseResult(case, failures=list(problems))
    events = played.prior + [e for turn in played.turns.values() for e in turn_events(turn, assistant)]
    result.reached = reached_steps(assistant, played.observed | stubs.seen, events)
    for action in stubs.missing:
        result.failures.append(f"  custom action {action}\n    {missing_stub_message(action)}")
    if case.uses_assertions:
        _judge_assertions(case, played, result)
    else:
        _judge_classic(case, played, result)
    return result


def run_test_cases(assistant: Assistant, cases: list[TestCase], generator: Any = None) -> list[CaseResult]:
    return [run_case(assistant, case, generator) for case in cases]
