"""Behaviours checked against the real Rasa Pro 3.21 (scratch oracle runs), inline assistants."""

from engine_kit import Chat, build

DOMAIN = """
intents: [order_stuff]
slots:
  color:
    type: categorical
    values: [Red, green]
  name: {type: text}
  items: {type: list}
  level:
    type: categorical
    values: [1, 2]
responses:
  utter_greet: [{text: "Welcome!"}]
  utter_ask_name: [{text: "Name?"}]
  utter_ask_level: [{text: "Level?"}]
  utter_color: [{text: "color {color}"}]
  utter_level: [{text: "level {level}"}]
  utter_a: [{text: "a ran"}]
  utter_nlu: [{text: "nlu flow ran"}]
actions:
  - action_set_color
"""

FLOWS = """
flows:
  painter:
    description: paints
    steps:
      - set_slots:
          - color: red
      - action: utter_color
      - collect: name
  leveler:
    description: categorical slot with numbers
    steps:
      - collect: level
      - action: utter_level
  alpha:
    description: a
    steps:
      - action: utter_a
  searcher:
    description: links to the search pattern
    steps:
      - action: utter_a
      - link: pattern_search
  by_intent:
    description: started by an intent with a confidence threshold
    nlu_trigger:
      - intent:
          name: order_stuff
          confidence_threshold: 0.8
    steps:
      - action: utter_nlu
"""

SEARCH_PATTERN = """
  pattern_search:
    description: search
    steps:
      - action: action_trigger_search
"""

GREETING_SESSION_START = """
  pattern_session_start:
    description: start
    nlu_trigger:
      - intent: session_start
    steps:
      - action: action_session_start
      - action: utter_greet
"""


def chat(extra_flows: str = "", **kwargs):
    return Chat(build(DOMAIN, FLOWS + extra_flows, **kwargs))


def test_set_slots_step_stores_a_categorical_value_in_its_declared_spelling():
    c = chat()
    turn = c.say("start flow painter")
    assert Chat.texts(turn) == ["color Red", "Name?"]
    assert turn.slots["color"] == "Red"


def test_categorical_values_written_as_numbers_accept_the_same_text():
    c = chat()
    c.say("start flow leveler")
    turn = c.say("set slot level 2")
    assert Chat.texts(turn)[0] == "level 2"


def test_a_custom_action_event_is_normalised_for_a_categorical_slot():
    from engine.actions import ActionResult

    class Actions:
        def run(self, name, tracker):
            return ActionResult(events=({"event": "slot", "name": "color", "value": "GREEN"},))

    c = Chat(build(DOMAIN, FLOWS + """
  stubbed:
    description: runs a custom action
    steps:
      - action: action_set_color
      - action: utter_color
"""), actions=Actions())
    turn = c.say("start flow stubbed")
    assert Chat.texts(turn)[0] == "color green"


def test_list_slot_set_by_a_step_holds_a_list():
    c = chat()
    c.conversation.tracker.set_slot("items", "apple")
    assert c.slots["items"] == ["apple"]


def test_nlu_trigger_with_a_confidence_threshold_starts_its_flow_from_an_intent_payload():
    c = chat()
    turn = c.say("/order_stuff")
    assert Chat.texts(turn) == ["nlu flow ran", "Is there anything else I can help you with?"]


def test_default_session_start_starts_and_completes_in_the_first_turn():
    c = chat()
    assert c.turns[0].flows == ["started:pattern_session_start", "completed:pattern_session_start"]
    assert c.turns[0].stack == []


def test_session_start_step_is_skipped_so_the_later_steps_run_in_the_first_turn():
    c = chat(GREETING_SESSION_START)
    assert Chat.texts(c.turns[0]) == ["Welcome!"]
    assert c.turns[0].flows == ["started:pattern_session_start", "completed:pattern_session_start"]


def test_a_later_session_start_skips_the_step_and_keeps_the_running_flow():
    c = chat(GREETING_SESSION_START)
    c.say("start flow painter")
    turn = c.say("/session_start")
    assert Chat.texts(turn) == ["Welcome!", "Name?"]
    assert turn.flows == ["started:pattern_session_start", "completed:pattern_session_start"]
    assert turn.stack == ["painter"]


def test_search_without_a_search_policy_leaves_a_search_frame_and_stays_silent():
    c = chat(SEARCH_PATTERN)
    turn = c.say("provide info")
    assert Chat.texts(turn) == []
    assert turn.flows == ["started:pattern_search"]
    assert turn.stack == ["pattern_search", "search"]


def test_a_flow_started_above_a_search_frame_completes_without_anything_else_question():
    c = chat(SEARCH_PATTERN)
    c.say("provide info")
    turn = c.say("start flow alpha")
    assert Chat.texts(turn) == ["a ran"]
    assert turn.flows == ["started:alpha", "completed:alpha"]
    assert turn.stack == ["pattern_search", "search"]


def test_search_inside_a_flow_without_a_search_policy_blocks_the_flow():
    c = chat(SEARCH_PATTERN)
    c.say("start flow painter")
    turn = c.say("provide info")
    assert turn.stack == ["painter", "pattern_search", "search"]
    turn = c.say("set slot name Ann")
    assert Chat.texts(turn) == []
    assert turn.stack == ["painter", "pattern_search", "search"]


def test_linking_to_the_search_pattern_without_a_search_policy_ends_in_a_search_frame():
    c = chat(SEARCH_PATTERN)
    turn = c.say("start flow searcher")
    assert turn.flows == ["started:searcher", "completed:searcher", "started:pattern_search"]
    assert turn.stack == ["pattern_search", "search"]


def test_cancel_with_a_search_frame_on_top_cannot_be_handled():
    c = chat(SEARCH_PATTERN)
    c.say("start flow painter")
    c.say("provide info")
    turn = c.say("cancel flow")
    assert turn.commands[0]["command"] == "cannot_handle"


def test_search_frames_survive_json_state():
    from engine import Conversation

    c = chat(SEARCH_PATTERN)
    c.say("provide info")
    restored = Conversation.from_json(c.conversation.assistant, c.conversation.to_json())
    turn = restored.handle("start flow alpha")
    assert turn.stack == ["pattern_search", "search"]


LOOPS = """
flows:
  fa:
    description: fa
    steps:
      - collect: a
      - action: utter_fa
  fb:
    description: fb
    steps:
      - collect: b
      - action: utter_fb
  fc:
    description: fc
    steps:
      - collect: c
      - action: utter_fc
  spin:
    description: loops forever
    steps:
      - id: again
        noop: true
        next: again
"""

LOOPS_DOMAIN = """
slots:
  a: {type: text}
  b: {type: text}
  c: {type: text}
responses:
  utter_ask_a: [{text: "A?"}]
  utter_ask_b: [{text: "B?"}]
  utter_ask_c: [{text: "C?"}]
  utter_fa: [{text: "fa done"}]
  utter_fb: [{text: "fb done"}]
  utter_fc: [{text: "fc done"}]
"""


def three_interrupted():
    c = Chat(build(LOOPS_DOMAIN, LOOPS))
    for text in ("start flow fa", "start flow fb", "start flow fc"):
        c.say(text)
    turn = c.say("set slot c x")
    assert Chat.texts(turn) == ["fc done", "Would you like to resume fa and fb?"]
    return c


def test_declining_several_interrupted_flows_cancels_them_oldest_first():
    c = three_interrupted()
    turn = c.say("set slot interrupted_flow_to_continue none")
    assert Chat.texts(turn) == ["Okay, stopping fa.", "Okay, stopping fb.",
                                "Is there anything else I can help you with?"]
    assert turn.flows == [
        "cancelled:fa", "cancelled:fb", "started:pattern_cancel_flow", "completed:pattern_cancel_flow",
        "started:pattern_cancel_flow", "completed:pattern_cancel_flow", "completed:pattern_continue_interrupted",
        "completed:fb", "completed:fa", "started:pattern_completed"]


def test_an_invalid_flow_to_resume_sends_no_bot_message_and_asks_again_later():
    c = three_interrupted()
    turn = c.say("set slot interrupted_flow_to_continue nonsense")
    assert not any(m["text"].startswith("You haven't selected") for m in turn.messages)
    assert any(e["event"] == "direct_message" for e in turn.events)


def test_a_looping_flow_trips_the_circuit_breaker_and_reports_the_error_twice():
    c = Chat(build(LOOPS_DOMAIN, LOOPS))
    turn = c.say("start flow spin")
    error = "Sorry, I am having trouble with that. Please try again in a few minutes."
    assert Chat.texts(turn) == [error, error, "Is there anything else I can help you with?"]
    assert turn.flows == ["started:pattern_internal_error", "started:pattern_internal_error",
                          "completed:pattern_internal_error", "completed:pattern_internal_error",
                          "completed:spin", "started:pattern_completed"]


def test_a_knowledge_question_with_a_new_flow_runs_after_the_flow_is_pushed():
    c = Chat(build(LOOPS_DOMAIN, LOOPS + """
  pattern_search:
    description: search
    steps:
      - action: action_trigger_search
"""))
    c.say("start flow fa")
    turn = c.say("start flow fb\nprovide info")
    assert turn.stack == ["fa", "fb", "pattern_search", "search"]


def test_a_resumed_flow_becomes_an_interrupt_so_cancelling_it_offers_the_flow_below():
    c = Chat(build(LOOPS_DOMAIN, LOOPS))
    c.say("start flow fa")
    c.say("start flow fb")
    turn = c.say("start flow fa")  # fa is on the stack: resumed, and re-typed as in Rasa
    assert turn.flows == ["resumed:fa", "interrupted:fb"]
    turn = c.say("cancel flow")
    assert Chat.texts(turn) == ["Okay, stopping fa.", "Would you like to continue with fb?"]
    assert turn.stack == ["fb", "pattern_continue_interrupted"]


GUARDED = """
flows:
  fa:
    description: fa
    steps:
      - collect: a
      - action: utter_fa
  guarded:
    description: guarded, but reachable by intent
    if: slots.vip
    nlu_trigger:
      - intent: go_guarded
    steps:
      - action: utter_fb
"""

def test_an_intent_trigger_starts_a_flow_even_when_its_guard_is_false():
    domain = "intents: [go_guarded]\n" + LOOPS_DOMAIN.replace("slots:", "slots:\n  vip: {type: bool, initial_value: false}")
    c = Chat(build(domain, GUARDED))
    turn = c.say("/go_guarded")
    assert Chat.texts(turn) == ["fb done", "Is there anything else I can help you with?"]
    assert c.say("start flow guarded").commands[0]["command"] == "cannot_handle"


def test_a_bare_slash_is_an_empty_message():
    c = Chat(build(LOOPS_DOMAIN, LOOPS))
    turn = c.say("/")
    assert Chat.texts(turn) == ["I see an empty message. What can I assist you with?"]


def test_hanging_up_on_silence_ends_the_conversation_and_later_messages_are_ignored():
    c = Chat(build(LOOPS_DOMAIN, LOOPS))
    c.say("start flow fa")
    assert Chat.texts(c.say("/silence_timeout")) == ["A?"]
    assert Chat.texts(c.say("/silence_timeout")) == ["Hello, are you still there?", "A?"]
    turn = c.say("/silence_timeout")
    assert Chat.texts(turn) == ["I haven’t heard from you, so I’ll end our conversation shortly."]
    assert turn.stack == ["fa", "pattern_user_silence"]
    later = c.say("set slot a x")
    assert (later.messages, later.slots, later.flows) == ([], {}, [])
    from engine import Conversation
    restored = Conversation.from_json(c.conversation.assistant, c.conversation.to_json())
    assert restored.handle("start flow fb").messages == []


def test_any_other_message_resets_the_silence_counter():
    c = Chat(build(LOOPS_DOMAIN, LOOPS))
    c.say("start flow fa")
    c.say("/silence_timeout")
    c.say("start flow fa")
    assert Chat.texts(c.say("/silence_timeout")) == ["A?"]  # a first silence again: repeat


def test_force_slot_filling_with_a_from_text_slot_takes_the_whole_message():
    domain = """
slots:
  note:
    type: text
    mappings: [{type: from_text}]
responses:
  utter_ask_note: [{text: "Note?"}]
  utter_note: [{text: "noted: {note}"}]
"""
    flows = """
flows:
  take_note:
    description: takes a note
    steps:
      - collect: note
        force_slot_filling: true
      - action: utter_note
"""
    # An NLU mapping needs the NLUCommandAdapter in the pipeline (rasa_verdicts/nlu_mapping_without_adapter).
    config = {"pipeline": [{"name": "NLUCommandAdapter"}, {"name": "CompactLLMCommandGenerator"}],
              "policies": [{"name": "FlowPolicy"}]}
    c = Chat(build(domain, flows, config=config))
    c.say("start flow take_note")
    turn = c.say("/SetSlots(x=1) cancel flow")
    assert Chat.texts(turn)[0] == "noted: /SetSlots(x=1) cancel flow"


PAYLOAD_DOMAIN = "intents: [thanks, go_fb, go_low]\n" + LOOPS_DOMAIN
PAYLOAD_FLOWS = LOOPS.replace("""  fb:
    description: fb
    steps:""", """  fb:
    description: fb
    nlu_trigger:
      - intent: go_fb
      - intent: undeclared_go
      - intent:
          name: go_low
          confidence_threshold: 0.7
    steps:""")


def payload_chat():
    return Chat(build(PAYLOAD_DOMAIN, PAYLOAD_FLOWS))


def test_a_domain_intent_that_triggers_nothing_just_lets_the_dialogue_go_on():
    c = payload_chat()
    c.say("start flow fa")
    turn = c.say("/thanks")
    assert Chat.texts(turn) == ["A?"] and turn.flows == []


def test_an_intent_missing_from_the_domain_is_text_for_the_command_generator():
    c = payload_chat()
    assert Chat.texts(c.say("/undeclared_go"))[0].startswith("I’m sorry I am unable")
    assert c.say("/go_fb").flows == ["started:fb"]


def test_an_intent_payload_below_the_confidence_threshold_triggers_nothing():
    c = payload_chat()
    assert c.say("/go_low@0.5").flows == []
    assert c.say("/go_low@0.9").flows == ["started:fb"]


def test_payloads_that_rasa_cannot_read_are_parsed_as_command_text():
    c = payload_chat()
    assert c.say("/go_fb\nstart flow fa").flows == ["started:fa"]
    assert c.say("/SetSlots(zzz=1)\nstart flow fc").flows == ["interrupted:fa", "started:fc"]
    turn = c.say("/SetSlots(c=9)\nset slot c 8")  # the payload wins; the text line is ignored
    assert Chat.texts(turn)[0] == "fc done"
    assert [e["value"] for e in turn.events if e["event"] == "slot_set" and e["name"] == "c"][0] == "9"


def test_starting_a_flow_that_is_only_linked_on_the_stack_moves_nothing():
    flows = LOOPS + """
  linker:
    description: links to fb
    steps:
      - link: fb
"""
    c = Chat(build(LOOPS_DOMAIN, flows))
    assert c.say("start flow linker").stack == ["fb"]
    assert c.say("start flow fc").stack == ["fb", "fc"]
    assert c.say("provide info").stack == ["fb", "fc", "pattern_continue_interrupted"]
    turn = c.say("start flow fb")  # fb is there only as a link frame: Rasa finds nothing to resume
    # ... and writes no stack update, so the continue pattern it reports as completed stays
    assert turn.flows == ["completed:pattern_continue_interrupted", "interrupted:fc"]
    assert turn.stack == ["fb", "fc", "pattern_continue_interrupted"]
    assert Chat.texts(turn) == ["Would you like to continue with fc?"]


def test_agent_commands_parse_but_do_nothing_without_sub_agents():
    from engine.commands import ContinueAgent, RestartAgent, parse_commands
    assert parse_commands("continue agent\nrestart agent foo") == [ContinueAgent(), RestartAgent("foo")]
    c = Chat(build(LOOPS_DOMAIN, LOOPS))
    for text in ("continue agent", "restart agent foo"):
        turn = c.say(text)
        assert (turn.messages, turn.flows, turn.stack) == ([], [], [])


RENDER_DOMAIN = """
slots:
  n: {type: float}
  a: {type: text}
responses:
  utter_ask_n: [{text: "N?"}]
  utter_ask_a: [{text: "A?"}]
  utter_brace: [{text: "Noted :-} {n}"}]
  utter_ratio:
    - text: "{{ 100 / n }} each"
      metadata: {template: jinja}
  utter_missing: [{text: "hi {nobody}"}]
  utter_ok: [{text: "ok"}]
"""

RENDER_FLOWS = """
flows:
  braces:
    description: a response with a lone brace
    steps:
      - collect: n
      - action: utter_missing
      - action: utter_brace
      - action: utter_ok
  ratio:
    description: a jinja response that divides by the slot
    steps:
      - collect: n
      - action: utter_ratio
"""


def test_a_lone_brace_in_a_response_fails_the_action_like_rasa():
    c = Chat(build(RENDER_DOMAIN, RENDER_FLOWS))
    c.say("start flow braces")
    turn = c.say("set slot n 2")
    assert Chat.texts(turn) == [
        "hi {nobody}",  # a missing variable only leaves the text as it is (KeyError)
        "Sorry, I am having trouble with that. Please try again in a few minutes.",
        "Okay, stopping braces.",  # the top frame before the failing prediction was `braces`
        "Is there anything else I can help you with?"]
    assert turn.flows == ["started:pattern_internal_error", "completed:pattern_internal_error",
                          "started:pattern_cancel_flow", "completed:pattern_cancel_flow",
                          "completed:braces", "started:pattern_completed"]


def test_a_jinja_error_right_after_an_answer_names_the_collect_pattern():
    c = Chat(build(RENDER_DOMAIN, RENDER_FLOWS))
    c.say("start flow ratio")
    turn = c.say("set slot n 0")
    assert Chat.texts(turn)[:2] == ["Sorry, I am having trouble with that. Please try again in a few minutes.",
                                    "Okay, stopping pattern_collect_information."]
    assert turn.stack == ["pattern_completed"]


def test_a_linked_pattern_search_ending_offers_no_second_continue_question():
    config = {"pipeline": [{"name": "SearchReadyLLMCommandGenerator"}],
              "policies": [{"name": "FlowPolicy"}, {"name": "EnterpriseSearchPolicy"}]}
    flows = LOOPS.replace("""      - action: utter_fb
""", """      - action: utter_fb
      - link: pattern_search
""") + """
  pattern_search:
    description: search
    steps:
      - action: action_trigger_search
"""
    c = Chat(build(LOOPS_DOMAIN, flows, config=config))
    c.say("start flow fa")
    c.say("start flow fb")
    turn = c.say("set slot b 2", search=lambda _t: "An answer")
    assert Chat.texts(turn) == ["fb done", "An answer", "Would you like to continue with fa?"]
    assert turn.stack == ["fa", "pattern_continue_interrupted"]
