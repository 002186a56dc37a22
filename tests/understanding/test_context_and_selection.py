"""Building contexts from Rasa-shaped dicts, checking commands, choosing a generator."""

from __future__ import annotations

import pytest
from ruamel.yaml import YAML

from engine.commands import Clarify, SetSlot, StartFlow
from engine.understanding import (
    GeneratorConfigError, LLMGenerator, OfflineGenerator, ScriptedGenerator, check_commands,
    context_from_dicts, generator_for, settings_problems,
)
from engine.understanding.llm import LLMConfigError, LLMSettings, PromptBuilder, Retrieval

FLOWS = YAML(typ="safe").load(
    """
book_trip:
  description: Book a trip.
  nlu_trigger:
    - intent: book
  steps:
    - collect: destination
      description: where to
    - collect: travel_class
      next:
        - if: slots.travel_class == "business"
          then:
            - collect: lounge_access
              ask_before_filling: true
        - else: END
cancel_trip:
  description: Cancel a booked trip.
  if: slots.has_trip
  steps:
    - collect: trip_id
pattern_chitchat:
  steps:
    - action: utter_chitchat
"""
)
DOMAIN = {"slots": {
    "destination": {"type": "text"},
    "travel_class": {"type": "categorical", "values": ["economy", "business"]},
    "lounge_access": {"type": "bool"},
    "has_trip": {"type": "bool", "initial_value": False},
    "trip_id": {"type": "text"},
    "price": {"type": "float", "mappings": [{"type": "controlled"}]},
}}
SEARCH_READY = {"pipeline": [{"name": "SearchReadyLLMCommandGenerator"}], "policies": [{"name": "EnterpriseSearchPolicy"}]}


def test_collects_inside_branches_are_found_in_document_order():
    context = context_from_dicts(FLOWS, DOMAIN, None, None)
    book = context.flow("book_trip")
    assert book.slot_names == ("destination", "travel_class", "lounge_access")
    assert book.collect("lounge_access").ask_before_filling
    assert book.nlu_intents == ("book",)
    assert context.flow("pattern_chitchat").is_pattern


def test_guards_use_the_slot_values_of_the_state():
    assert not context_from_dicts(FLOWS, DOMAIN, None, None).flow("cancel_trip").startable
    assert context_from_dicts(FLOWS, DOMAIN, {"slots": {"has_trip": True}}, None).flow("cancel_trip").startable


def test_the_config_decides_syntax_and_search():
    context = context_from_dicts(FLOWS, DOMAIN, None, SEARCH_READY)
    assert (context.syntax, context.search_enabled) == ("v3", True)
    assert context_from_dicts(FLOWS, DOMAIN, None, {}).syntax == "v2"


def test_checks_drop_patterns_guarded_flows_and_controlled_slots_and_reduce_clarifications():
    context = context_from_dicts(FLOWS, DOMAIN, None, None)
    result = check_commands([
        StartFlow("pattern_chitchat"), StartFlow("cancel_trip"), SetSlot("price", "3"),
        SetSlot("nope", "1"), Clarify(("book_trip", "cancel_trip")), SetSlot("destination", "Rome"),
    ], context)
    assert result.accepted == [StartFlow("book_trip"), SetSlot("destination", "Rome")]
    assert [r.reason for r in result.rejected] == [
        "flow 'pattern_chitchat' is a pattern and cannot be started by the user",
        "flow 'cancel_trip' cannot be started now (its `if` guard is false)",
        "slot 'price' is controlled and cannot be set from user input",
        "unknown slot 'nope'",
        "dropped clarification options cancel_trip",
    ]


def test_generator_choice_follows_settings_then_config():
    config = {"pipeline": [{"name": "CompactLLMCommandGenerator"}]}
    assert isinstance(generator_for(config, {"generator": "scripted"}), ScriptedGenerator)
    assert isinstance(generator_for(config, {}), OfflineGenerator)  # no endpoint configured
    assert isinstance(generator_for(config, {"llm": {"base_url": "http://127.0.0.1:1/v1"}}), LLMGenerator)
    assert isinstance(generator_for({"pipeline": [{"name": "NLUCommandAdapter"}]}, {}), OfflineGenerator)
    with pytest.raises(GeneratorConfigError, match="settings 'generator' must be one of llm, offline, scripted"):
        generator_for(config, {"generator": "magic"})


def test_llm_settings_come_from_the_model_group_then_the_studio_settings():
    component = {"name": "CompactLLMCommandGenerator", "llm": {"model_group": "cmd"}}
    endpoints = {"model_groups": [{"id": "cmd", "models": [
        {"provider": "openai", "model": "gpt-x", "timeout": 9, "api_base": "http://llm.local/v1",
         "api_key": "${LLM_KEY}"}]}]}
    settings = LLMSettings.resolve(component, endpoints, {"temperature": 0.2}, {"LLM_KEY": "secret"})
    assert settings == LLMSettings(model="gpt-x", base_url="http://llm.local/v1", api_key="secret",
                                   temperature=0.2, timeout=9.0)
    with pytest.raises(LLMConfigError, match="model_groups has no group with id 'missing'"):
        LLMSettings.resolve({"llm": {"model_group": "missing"}}, endpoints, None)
    with pytest.raises(LLMConfigError, match="llm setting 'timeout' must be a number"):
        LLMSettings.resolve({}, None, {"timeout": "soon"})


def test_operator_defaults_fill_only_what_the_assistant_leaves_open():
    component = {"name": "CompactLLMCommandGenerator", "llm": {"model_group": "cmd"}}
    endpoints = {"model_groups": [{"id": "cmd", "models": [
        {"provider": "openai", "model": "gpt-x", "api_key": "${OPENAI_API_KEY}"}]}]}
    operator = {"base_url": "http://gateway.local/v1", "api_key": "operator-key", "model": "small"}
    settings = LLMSettings.resolve(component, endpoints, {"temperature": 0.3}, {}, defaults=operator)
    # The model group names the model; its key reference is unset here, so the operator's key counts.
    assert (settings.model, settings.base_url, settings.api_key, settings.temperature) == (
        "gpt-x", "http://gateway.local/v1", "operator-key", 0.3)


def test_retrieval_keeps_the_most_relevant_flows_plus_always_included_and_active_ones():
    words = ("apples bananas cherries dates figs grapes kiwis lemons mangoes nectarines olives "
             "papayas quinces raspberries strawberries tomatoes").split()
    flows = {f"about_{w}": {"description": f"Questions about {w}.", "steps": [{"action": "utter_x"}]} for w in words}
    flows["about_figs"]["always_include_in_prompt"] = True
    context = context_from_dicts(flows, {}, {"active_flow": "about_kiwis"}, None)
    builder = PromptBuilder(retrieval=Retrieval(active=True, num_flows=3))
    kept = [f.id for f in builder.relevant_flows("I have a question about mangoes", context)]
    assert {"about_figs", "about_kiwis", "about_mangoes"} <= set(kept)
    assert len(kept) == 5
    all_flows = PromptBuilder(retrieval=Retrieval(active=False)).relevant_flows("x", context)
    assert len(all_flows) == len(words)


def test_retrieval_finds_a_flow_the_message_means_in_other_words():
    words = "apples bananas cherries dates figs grapes kiwis lemons mangoes nectarines".split()
    flows = {f"about_{w}": {"description": f"Questions about {w}.", "steps": [{"action": "utter_x"}]} for w in words}
    flows["file_claim"] = {"description": "Report damage to an insured home or car and file an insurance claim.",
                           "steps": [{"action": "utter_x"}]}
    context = context_from_dicts(flows, {}, None, None)
    builder = PromptBuilder(retrieval=Retrieval(active=True, num_flows=3))
    # No word of file_claim's own: by words alone every flow ties and the first three by name win.
    kept = [f.id for f in builder.relevant_flows("a tree fell on my house in the storm, who pays to fix it", context)]
    assert "file_claim" in kept and len(kept) == 3


def test_settings_problems_name_the_bad_setting():
    config = {"pipeline": [{"name": "CompactLLMCommandGenerator", "llm": {"model_group": "cmd"}}]}
    assert settings_problems(config, {"generator": "offline"}) == []
    assert settings_problems(config, {"generator": "llm"}) == [
        "endpoints.yml: model_groups has no group with id 'cmd' and a model"
    ]
    assert settings_problems({}, {"generator": "llm"}) == ["the llm generator needs a base URL or an API key"]
    assert settings_problems({}, {"generator": "llm", "llm": {"api_key": "k"}, "prompt_template": "{% if %}"}) == [
        "prompt template line 1: Expected an expression, got 'end of statement block'"
    ]
    assert settings_problems({}, {"generator": "llm", "llm": {"api_key": "k"}, "prompt_template": "{{ 1/0 }}"}) == [
        "prompt template failed: ZeroDivisionError: division by zero"
    ]
