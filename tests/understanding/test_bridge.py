"""Generators plugged into the engine's Conversation through the bridge."""

from __future__ import annotations

from ruamel.yaml import YAML

from engine.assistant import Assistant
from engine.conversation import Conversation
from engine.understanding import OfflineGenerator
from engine.understanding.bridge import AssistantView, EngineGenerator, context_from_conversation, make_generator

PROJECT = YAML(typ="safe").load(
    """
config:
  pipeline: [{name: CompactLLMCommandGenerator}]
flows:
  order_coffee:
    description: Order a coffee to take away.
    steps:
      - collect: coffee_size
      - collect: customer_name
        description: the name to call out
      - action: utter_done
  vip_lounge:
    description: Book the VIP lounge.
    if: slots.is_vip
    steps:
      - action: utter_done
domain:
  slots:
    coffee_size: {type: categorical, values: [small, large]}
    customer_name: {type: text}
    is_vip: {type: bool, initial_value: false}
  responses:
    utter_ask_coffee_size: [{text: "Which size?"}]
    utter_ask_customer_name: [{text: "Your name?"}]
    utter_done: [{text: "Done, {customer_name}!"}]
"""
)


def assistant() -> Assistant:
    return Assistant.from_dicts(config=PROJECT["config"], domain=PROJECT["domain"], flows=PROJECT["flows"])


def test_an_offline_conversation_runs_end_to_end_through_the_engine():
    bot = assistant()
    generator = EngineGenerator(OfflineGenerator(), bot)
    conversation = Conversation(bot, generator=generator)
    conversation.start_session()
    assert [m["text"] for m in conversation.handle("I'd like to order a large coffee").messages] == ["Your name?"]
    assert [m["text"] for m in conversation.handle("Sam").messages][0] == "Done, Sam!"
    assert generator.last.generator == "offline"


def test_the_context_follows_the_conversation_state():
    bot = assistant()
    conversation = Conversation(bot)
    conversation.start_session()
    conversation.handle("start flow order_coffee")
    context = context_from_conversation(bot, conversation)
    assert (context.active_flow, context.collecting_slot) == ("order_coffee", "coffee_size")
    assert context.syntax == "v2"
    assert context.flow("pattern_chitchat").is_pattern  # default patterns are known too
    assert context.slot("continue_interrupted_flow_confirmation").type == "bool"


def test_guards_are_evaluated_per_turn_and_the_flow_tuple_is_reused():
    view = AssistantView(assistant())
    plain, vip = view.flows_for({"is_vip": False}), view.flows_for({"is_vip": True})
    assert not next(f for f in plain if f.id == "vip_lounge").startable
    assert next(f for f in vip if f.id == "vip_lounge").startable
    assert view.flows_for({"is_vip": False}) is plain


def test_make_generator_builds_the_named_generator_for_the_engine():
    bot = assistant()
    assert make_generator("offline", bot, environ={}).name == "offline"
    assert make_generator("scripted", bot, environ={}).name == "scripted"
    assert make_generator(None, bot, environ={}).name == "offline"  # no endpoint configured
    assert make_generator(None, bot, environ={"OPENAI_BASE_URL": "http://127.0.0.1:1/v1"}).name == "llm"


def test_each_turn_tells_the_inspector_what_the_generator_understood():
    bot = assistant()
    conversation = Conversation(bot, generator=EngineGenerator(OfflineGenerator(), bot))
    conversation.start_session()
    turn = conversation.handle("I'd like to order a large coffee")
    [record] = [e for e in turn.events if e["event"] == "understanding"]
    assert record["generator"] == "offline"
    assert record["commands"] == ["start flow order_coffee", "set slot coffee_size large"]
    assert record["error"] is None
