"""Conversation state: JSON round trips, size, the state view, and the import boundary."""

import ast
import json
from pathlib import Path

import pytest

from engine_kit import Chat, build
from engine import Conversation, EngineError
from engine.replay import StubActions, load_conversations

CONFORMANCE = Path(__file__).resolve().parent / "conformance"
ENGINE = Path(__file__).resolve().parents[2] / "engine"

DOMAIN = """
slots:
  city: {type: text}
  nights: {type: float}
responses:
  utter_ask_city: [{text: "Which city?"}]
  utter_ask_nights: [{text: "How many nights in {city}?"}]
  utter_booked: [{text: "Booked {nights} nights in {city}."}]
"""
FLOWS = """
flows:
  book:
    description: book a room
    steps:
      - collect: city
      - collect: nights
      - action: utter_booked
"""

SCRIPT = ["start flow book", "set slot city Rome", "set slot city Oslo", "set slot nights 2",
          "set slot continue_conversation true", "start flow book\nset slot city Bern", "cancel flow"]


def _traces(turns):
    return [t.to_trace() for t in turns]


def test_a_conversation_resumed_from_json_continues_exactly_like_an_uninterrupted_one():
    assistant = build(DOMAIN, FLOWS)
    straight = Chat(assistant)
    for text in SCRIPT:
        straight.say(text)
    conversation = Conversation(assistant)
    turns = [conversation.start_session()]
    for text in SCRIPT:
        state = json.loads(json.dumps(conversation.to_json()))
        conversation = Conversation.from_json(assistant, state)
        turns.append(conversation.handle(text))
    assert _traces(turns) == _traces(straight.turns)


def test_a_state_in_an_unknown_format_is_refused_clearly():
    with pytest.raises(EngineError, match="unknown format or version"):
        Conversation.from_json(build(DOMAIN, FLOWS), {"v": 99})


def test_twenty_turns_of_state_fit_in_sixteen_kilobytes():
    from engine import load_project
    assistant = load_project(CONFORMANCE / "utility_account" / "project")
    conversations, file_level = load_conversations(CONFORMANCE / "utility_account" / "conversations.yml")
    texts = [t if isinstance(t, str) else t["user"] for c in conversations for t in c["turns"]]
    conversation = Conversation(assistant)
    conversation.start_session(actions=StubActions([file_level.get("stubs") or {}]))
    for text in texts[:20]:
        conversation.handle(text.rstrip("\n"), actions=StubActions([file_level.get("stubs") or {}]))
    assert len(json.dumps(conversation.to_json())) <= 16 * 1024


def test_state_view_tells_a_generator_what_is_being_asked():
    chat = Chat(build(DOMAIN, FLOWS))
    chat.say("start flow book\nset slot city Rome")
    view = chat.conversation.state_view()
    assert (view.active_flow, view.collecting_slot) == ("book", "nights")
    assert view.slots["city"] == "Rome"
    assert view.recent_turns[-2:] == [("user", "start flow book\nset slot city Rome"),
                                      ("bot", "How many nights in Rome?")]


def test_a_pluggable_generator_supplies_the_commands():
    from engine.commands import StartFlow
    from engine.conversation import Understanding

    class Keyword:
        def generate(self, message, context):
            return Understanding(commands=[StartFlow("book")] if "room" in message else [])

    conversation = Conversation(build(DOMAIN, FLOWS), generator=Keyword())
    conversation.start_session()
    assert conversation.handle("I need a room").messages[0]["text"] == "Which city?"


def test_turns_carry_inspector_events_in_order():
    chat = Chat(build(DOMAIN, FLOWS))
    turn = chat.say("start flow book\nset slot city Rome")
    kinds = [e["event"] for e in turn.events]
    assert kinds[0] == "user" and kinds[1] == "commands" and kinds[-1] == "stack"
    assert {"event": "slot_set", "name": "city", "value": "Rome"} in turn.events
    assert {"event": "flow_started", "flow_id": "book"} in turn.events
    assert turn.commands == [{"command": "start_flow", "flow": "book"},
                             {"command": "set_slot", "name": "city", "value": "Rome", "extractor": "LLM"}]


def _imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_nothing_under_engine_imports_django_or_the_studio():
    offenders = [f"{path.relative_to(ENGINE.parent)} imports {module}"
                 for path in ENGINE.rglob("*.py") for module in _imported_modules(path)
                 if module.split(".")[0] in ("django", "studio")]
    assert offenders == []


def test_a_damaged_state_is_refused_clearly():
    with pytest.raises(EngineError, match="conversation state is damaged"):
        Conversation.from_json(build(DOMAIN, FLOWS), {"v": 1, "stack": [{"nope": 1}]})


def test_a_stored_conversation_whose_flow_changed_is_wrapped_up_politely():
    chat = Chat(build(DOMAIN, FLOWS))
    chat.say("start flow book\nset slot city Rome")
    state = json.loads(json.dumps(chat.conversation.to_json()))
    changed = build(DOMAIN, FLOWS.replace("      - collect: nights\n", ""))
    turn = Conversation.from_json(changed, state).handle("set slot nights 3")
    assert Chat.texts(turn)[0] == ("There has been an update to my code. I need to wrap up our running "
                                   "dialogue and start from scratch.")
    assert "started:pattern_code_change" in turn.flows
    assert "book" not in turn.stack
