"""What try-it's chat says where Rasa's default wording would show internals.

Only the try-it presentation changes: the engine (and so the exported project and the
conformance traces) keeps Rasa's behaviour. After a turn, its bot messages are reworded in place,
together with the copies the engine keeps (recent history, the last bot block), so a reload or
a "repeat that" shows the same words:

- "Okay, stopping pattern_collect_information." names the flow the user was in. Rasa names the
  pattern on top of the stack when an action fails, and a flow's id when it cancels interrupted
  flows; try-it says the flow's name (or its id made readable).
- "Sorry, I am having trouble with that." after a custom action that could not run (no server,
  no mock) becomes the plain explanation the action runner gave (studio/tryit/mocks.py).
"""
from __future__ import annotations

import re
from typing import Any

import engine
from engine.executor import readable_name
from studio.tryit.mocks import COULD_NOT_RUN

CANCELLED = "utter_flow_cancelled_rasa"
INTERNAL_ERROR = "utter_internal_error_rasa"
_WORD = re.compile(r"[A-Za-z0-9_\-]+")
_PATTERN_ID = re.compile(r"\bpattern_[a-z0-9_]+\b")


def humane_turn(turn: engine.Turn, chat: engine.Conversation) -> None:
    """Reword the turn's bot messages (and the engine's copies of them) for people."""
    flows = chat.assistant.flows
    bot_events = [(i, e) for i, e in enumerate(turn.events) if e.get("event") == "bot"]
    if len(bot_events) != len(turn.messages):
        return  # not the shape this pass understands; better Rasa's words than wrong ones
    failure: str | None = None
    new_texts: dict[int, str] = {}
    bot_index = 0
    for position, event in enumerate(turn.events):
        kind = event.get("event")
        if kind == "action_failed" and COULD_NOT_RUN in str(event.get("error") or ""):
            failure = str(event["error"])
        elif kind == "bot":
            text = _reworded(event, turn.events[position + 1:], flows, failure)
            if event.get("response") == INTERNAL_ERROR:
                failure = None
            if text is not None and text != turn.messages[bot_index].get("text"):
                new_texts[bot_index] = text
            bot_index += 1
    if new_texts:
        _apply(turn, chat, new_texts)


def _reworded(event: dict, after: list[dict], flows: dict[str, Any], failure: str | None) -> str | None:
    text = event.get("text")
    if not isinstance(text, str):
        return None
    response = event.get("response")
    if response == INTERNAL_ERROR and failure:
        return failure
    if response == CANCELLED:
        stopped = _stopped_flow(after, flows)
        return _WORD.sub(lambda m: _flow_name(m.group(0), flows, stopped), text)
    return _PATTERN_ID.sub(lambda m: _flow_name(m.group(0), flows, None), text)


def _stopped_flow(after: list[dict], flows: dict[str, Any]) -> str | None:
    """The outermost user flow that ends right after the cancel message (the one the user was in)."""
    stopped = None
    for event in after:
        kind, flow_id = event.get("event"), event.get("flow_id")
        if kind in ("bot", "flow_started"):
            break
        if kind == "flow_completed" and flow_id in flows and not flow_id.startswith("pattern_"):
            stopped = flow_id
    return stopped


def _flow_name(word: str, flows: dict[str, Any], stopped: str | None) -> str:
    if word not in flows:
        return word
    if word.startswith("pattern_"):
        if stopped is not None:
            return readable_name(flows.get(stopped), stopped)
        return readable_name(None, word.removeprefix("pattern_"))
    return readable_name(flows.get(word), word)


def _apply(turn: engine.Turn, chat: engine.Conversation, new_texts: dict[int, str]) -> None:
    tracker = chat.tracker
    for index, text in new_texts.items():
        turn.messages[index]["text"] = text
    # The engine appended this turn's messages to its history and kept copies as the last bot block.
    bots = [i for i, (role, _) in enumerate(tracker.history) if role == "bot"][-len(turn.messages):]
    offset = len(turn.messages) - len(bots)
    for index, text in new_texts.items():
        if index >= offset:
            tracker.history[bots[index - offset]] = ("bot", text)
    if len(tracker.previous_bot_block) == len(turn.messages):
        for index, text in new_texts.items():
            tracker.previous_bot_block[index]["text"] = text
