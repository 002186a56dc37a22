"""Rasa's flow schema rules, judged by the engine (they moved here from the exchange's checks)."""

import pytest

from engine_kit import build
from engine import DefinitionError

DOMAIN = """
slots:
  a: {type: text}
responses:
  utter_ask_a: [{text: "A?"}]
  utter_done: [{text: "Done."}]
intents: [greet]
"""


def problems_of(flows_yaml: str) -> list[str]:
    with pytest.raises(DefinitionError) as info:
        build(DOMAIN, flows_yaml)
    return [str(p) for p in info.value.problems]


def test_a_flow_without_description_is_refused():
    assert problems_of("""
flows:
  f:
    steps:
      - action: utter_done
""") == ["flow 'f': flow has no 'description' (required by Rasa Pro)"]


def test_an_unknown_flow_key_is_refused():
    assert problems_of("""
flows:
  f:
    description: f
    colour: blue
    steps:
      - action: utter_done
""") == ["flow 'f': unknown flow key 'colour'"]


def test_unknown_keys_on_action_collect_and_call_steps_are_refused():
    assert problems_of("""
flows:
  f:
    description: f
    steps:
      - collect: a
        ask_confirm: true
      - action: utter_done
        description: says done
      - call: g
        bogus: 1
  g:
    description: g
    steps:
      - action: utter_done
""") == [
        "flow 'f', step 'f_0_collect_a': unknown key 'ask_confirm' on a collect step",
        "flow 'f', step 'f_1_utter_done': unknown key 'description' on a action step",
        "flow 'f', step 'f_2_call_g': unknown key 'bogus' on a call step",
    ]


def test_a_step_with_two_kinds_is_refused():
    assert problems_of("""
flows:
  f:
    description: f
    steps:
      - action: utter_done
        collect: a
""") == ["flow 'f', step 'f_0_utter_done': a step needs exactly one of action, collect, set_slots, link, call, noop "
         "(found: action, collect)",
         "flow 'f', step 'f_0_utter_done': unknown key 'collect' on a action step"]


def test_a_noop_without_next_is_refused_but_an_empty_next_is_no_next():
    # Rasa 3.21 accepts `next: []` (verdict: rasa_verdicts/empty_next); the step goes on to the next one.
    assert problems_of("""
flows:
  f:
    description: f
    steps:
      - action: utter_done
        next: []
      - noop: true
""") == ["flow 'f', step 'f_1_noop': a noop step needs 'next'"]


def test_a_step_id_with_the_continue_prefix_is_reserved():
    assert problems_of("""
flows:
  f:
    description: f
    steps:
      - id: "NEXT:x"
        action: utter_done
""") == ["flow 'f', step 'NEXT:x': 'NEXT:x' is a reserved step id"]


def test_two_flows_may_not_share_a_trigger_intent_or_a_default_name():
    assert problems_of("""
flows:
  say_hi:
    description: one
    nlu_trigger:
      - intent: greet
    steps:
      - action: utter_done
  other:
    name: say hi
    description: two
    nlu_trigger:
      - intent: {name: greet, confidence_threshold: 0.5}
    steps:
      - action: utter_done
""") == ["flow 'other': flow name 'say hi' is also used by 'say_hi'",
         "flow 'other': nlu_trigger intent 'greet' is also used by 'say_hi'"]


def test_a_flow_linking_to_itself_loads_with_a_warning_and_calling_itself_is_refused():
    from engine import Assistant, DefinitionError

    domain = {"responses": {"utter_again": [{"text": "Again!"}]}}
    looping = {"again": {"description": "say it again", "steps": [{"action": "utter_again"}, {"link": "again"}]}}
    assistant = Assistant.from_dicts(config={}, domain=domain, flows=looping, endpoints={})
    assert [(w.flow_id, w.message) for w in assistant.warnings] == [
        ("again", "the flow links to itself, so it starts over from its first step; Rasa accepts this, "
                  "but make sure a conversation can leave the loop")]
    recursive = {"again": {"description": "say it again", "steps": [{"action": "utter_again"}, {"call": "again"}]}}
    with pytest.raises(DefinitionError, match="a flow cannot call itself"):
        Assistant.from_dicts(config={}, domain=domain, flows=recursive, endpoints={})
