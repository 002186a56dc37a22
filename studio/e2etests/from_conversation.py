"""A try-it conversation as a Rasa Pro e2e test case (assertion format, custom actions stubbed).

Django-free: takes the ordered turn dicts try-it's services return and stores (`user`, `events`
with the engine's inspector events) and the engine Assistant they ran on. Each user message
becomes a step whose assertions are what the engine did in that turn (generate.py's rules), and
every custom action that ran is stubbed with the slots it set and the messages it sent, so the
test replays without an action server.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from engine.assistant import Assistant
from engine.e2e.runner import turn_events
from studio.e2etests.generate import _assertions, _internal_slots

SESSION_START = "/session_start"


class _TurnView:
    """The two fields of an engine Turn that `turn_events` reads."""

    def __init__(self, turn: dict) -> None:
        self.events = list(turn.get("events") or [])
        self.commands = list(turn.get("commands") or [])


def case_name(text: str) -> str:
    """Rasa's case-scoped stubs need `[a-zA-Z_][a-zA-Z0-9_]*` names."""
    name = re.sub(r"[^a-zA-Z0-9_]+", "_", text.strip().lower()).strip("_")
    return name if name and not name[0].isdigit() else f"conversation_{name}".rstrip("_")


def _stubs(turns: Iterable[dict], assistant: Assistant) -> dict[str, dict]:
    """{action: stub} from what each custom action did the first time it ran."""
    stubs: dict[str, dict] = {}
    for turn in turns:
        current: dict | None = None
        for event in turn.get("events") or []:
            kind = event.get("event")
            if kind == "action":
                name = event.get("name")
                current = None
                if assistant.is_custom_action(name or "") and name not in stubs:
                    current = stubs[name] = {"events": [], "responses": []}
            elif kind == "action_failed" and event.get("name") in stubs:
                # Left unstubbed, the action fails in the test as it did here (Rasa's stub mode).
                stubs.pop(event["name"])
                current = None
            elif current is None:
                continue
            elif kind == "slot_set":
                current["events"].append({"event": "slot", "name": event["name"], "value": event.get("value")})
            elif kind == "bot" and not event.get("response"):
                current["responses"].append({"text": event.get("text") or ""})
            elif kind == "bot" or kind.startswith("flow_"):
                current = None  # the flow went on: what follows is not the action's doing
    return stubs


def conversation_test(turns: list[dict], *, name: str, assistant: Assistant) -> dict:
    """The data of one e2e test file holding the conversation as test case `name`."""
    name = case_name(name)
    internal = _internal_slots()
    steps = []
    for turn in turns:
        text = turn.get("user_text", turn.get("user")) or ""
        if not text or text == SESSION_START or turn.get("kind") in ("start", "slots"):
            continue
        step: dict[str, Any] = {"user": text}
        assertions = _assertions(turn_events(_TurnView(turn), assistant), assistant, internal)
        if assertions:
            step["assertions"] = assertions
        steps.append(step)
    data: dict[str, Any] = {}
    stubs = _stubs(turns, assistant)
    if stubs:
        data["stub_custom_actions"] = {f"{name}::{action}": stub for action, stub in stubs.items()}
    data["test_cases"] = [{"test_case": name, "steps": steps}]
    return data
