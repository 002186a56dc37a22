"""Replaying conformance conversation files (FORMAT.md §2) into normalized traces (§3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.error import YAMLError

from engine.actions import ActionResult
from engine.assistant import Assistant
from engine.conversation import Conversation
from engine.errors import EngineError
from engine.safe_input import load_yaml
from engine.tracker import Tracker

DEFAULT_SEARCH_ANSWER = "[oracle: scripted knowledge answer]"
_UNSET = object()


def stub_result(stub: Any) -> ActionResult:
    """A stub is a mapping with `events`/`responses`, or a bare list of events."""
    if isinstance(stub, list):
        return ActionResult(events=tuple(e for e in stub if isinstance(e, dict)))
    if not isinstance(stub, dict):
        return ActionResult()
    return ActionResult(
        responses=tuple(r for r in stub.get("responses") or [] if isinstance(r, dict)),
        events=tuple(e for e in stub.get("events") or [] if isinstance(e, dict)),
    )


@dataclass
class StubActions:
    """Custom actions answered from layered stubs: turn, then conversation, then file."""

    layers: list[dict] = field(default_factory=list)

    def run(self, name: str, tracker: Tracker) -> ActionResult:
        for layer in self.layers:
            if isinstance(layer, dict) and name in layer:
                return stub_result(layer[name])
        return ActionResult()


def _search_answer(*levels: Any) -> Any:
    for level in levels:
        if level is not _UNSET:
            return level
    return DEFAULT_SEARCH_ANSWER


def _turns(conversation: dict) -> list[dict]:
    turns = []
    for turn in conversation.get("turns") or []:
        if isinstance(turn, str):
            turns.append({"user": turn})
        elif isinstance(turn, dict) and isinstance(turn.get("user"), str):
            turns.append(turn)
        else:
            raise EngineError(f"conversation '{conversation.get('id')}': a turn must be a string "
                              f"or a mapping with a 'user' string, got {turn!r}")
    return turns


def replay_conversation(assistant: Assistant, conversation: dict, file_level: dict) -> list[dict]:
    file_stubs = file_level.get("stubs") or {}
    conv_stubs = conversation.get("stubs") or {}
    file_answer = file_level.get("search_answer", _UNSET)
    conv_answer = conversation.get("search_answer", _UNSET)
    chat = Conversation(assistant)
    stubs = StubActions([conv_stubs, file_stubs])
    answer = _search_answer(conv_answer, file_answer)
    trace = [chat.start_session(actions=stubs, search=lambda _t: answer).to_trace()]
    for turn in _turns(conversation):
        text = turn["user"].rstrip("\n")
        stubs = StubActions([turn.get("stubs") or {}, conv_stubs, file_stubs])
        answer = _search_answer(turn.get("search_answer", _UNSET), conv_answer, file_answer)
        trace.append(chat.handle(text, actions=stubs, search=lambda _t, a=answer: a).to_trace())
    return trace


def load_conversations(path: str | Path) -> tuple[list[dict], dict]:
    try:
        data = load_yaml(Path(path).read_text(encoding="utf-8"))
    except YAMLError as exc:
        raise EngineError(f"{path}: YAML error: {exc}") from exc
    if isinstance(data, list):
        return data, {}
    if not isinstance(data, dict) or not isinstance(data.get("conversations"), list):
        raise EngineError(f"{path}: expected a list of conversations or a 'conversations' key")
    return data["conversations"], data


def replay_file(assistant: Assistant, path: str | Path) -> dict[str, list[dict]]:
    conversations, file_level = load_conversations(path)
    result: dict[str, list[dict]] = {}
    for conversation in conversations:
        result[str(conversation.get("id"))] = replay_conversation(assistant, conversation, file_level)
    return result
