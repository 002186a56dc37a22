"""Rasa's conversation-repair patterns, on a small assistant written inline."""

from engine_kit import Chat, build

DOMAIN = """
slots:
  city: {type: text}
  nights: {type: float}
  card: {type: text}
  member: {type: bool, initial_value: false}
responses:
  utter_ask_city: [{text: "Which city?"}]
  utter_ask_nights: [{text: "How many nights in {city}?"}]
  utter_ask_card: [{text: "Card number?"}]
  utter_booked: [{text: "Booked {nights} nights in {city}."}]
  utter_card_blocked: [{text: "Card blocked."}]
  utter_welcome: [{text: "Welcome!"}]
actions:
  - check_room
"""

FLOWS = """
flows:
  book_hotel:
    name: book a hotel
    description: book a hotel room
    steps:
      - collect: city
      - collect: nights
      - action: check_room
      - action: utter_booked
  block_card:
    name: block a card
    description: block a lost card
    steps:
      - collect: card
      - action: utter_card_blocked
  members_only:
    description: only for members
    if: slots.member
    steps:
      - action: utter_card_blocked
"""


def chat(**kwargs):
    return Chat(build(DOMAIN, FLOWS, **kwargs))


def test_cancel_stops_the_flow_with_its_readable_name():
    c = chat()
    c.say("start flow book_hotel")
    turn = c.say("cancel flow")
    assert Chat.texts(turn) == ["Okay, stopping book a hotel.", "Is there anything else I can help you with?"]
    assert turn.flows == ["cancelled:book_hotel", "started:pattern_cancel_flow", "completed:pattern_cancel_flow",
                          "completed:book_hotel", "started:pattern_completed"]


def test_cancel_without_any_flow_cannot_be_handled():
    c = chat()
    turn = c.say("cancel flow")
    assert Chat.texts(turn) == ["I’m sorry I am unable to understand you, could you please rephrase?"]


def test_starting_another_flow_interrupts_and_then_offers_to_continue():
    c = chat()
    c.say("start flow book_hotel")
    turn = c.say("start flow block_card")
    assert turn.flows == ["interrupted:book_hotel", "started:block_card"]
    turn = c.say("set slot card 1234")
    assert Chat.texts(turn) == ["Card blocked.", "Would you like to continue with book a hotel?"]
    assert turn.stack == ["book_hotel", "pattern_continue_interrupted"]
    turn = c.say("set slot continue_interrupted_flow_confirmation true")
    assert Chat.texts(turn) == ["Which city?"]
    assert "resumed:book_hotel" in turn.flows


def test_declining_to_continue_cancels_the_interrupted_flow_by_its_id():
    c = chat()
    c.say("start flow book_hotel")
    c.say("start flow block_card")
    c.say("set slot card 1234")
    turn = c.say("set slot continue_interrupted_flow_confirmation false")
    assert "Okay, stopping book_hotel." in Chat.texts(turn)
    assert turn.stack == ["pattern_completed"]


def test_correcting_an_earlier_slot_rewinds_and_says_so_with_the_raw_value():
    c = chat()
    c.say("start flow book_hotel\nset slot city Rome")
    turn = c.say("set slot city Paris")
    assert Chat.texts(turn) == ["Ok, I am updating city to Paris.", "How many nights in Paris?"]
    assert turn.flows == ["started:pattern_correction", "completed:pattern_correction"]
    assert turn.slots == {"city": "Paris"}


def test_clarification_lists_readable_names_sorted_by_flow_id():
    c = chat()
    turn = c.say("disambiguate flows book_hotel block_card")
    assert Chat.texts(turn) == [
        "I can help, but I need more information. Which of these would you like to do: "
        "block a card or book a hotel?"]


def test_chitchat_replies_with_the_cannot_handle_message_by_default():
    c = chat()
    turn = c.say("offtopic reply")
    assert Chat.texts(turn) == ["I'm sorry, I'm not trained to help with that."]
    assert turn.flows == ["started:pattern_chitchat", "completed:pattern_chitchat"]


def test_knowledge_question_without_search_policy_says_there_is_no_knowledge_base():
    c = chat()
    turn = c.say("provide info")
    assert Chat.texts(turn)[0].startswith("I am afraid, I don't know the answer.")


def test_knowledge_answer_with_search_policy_uses_the_search_callback():
    config = {"pipeline": [{"name": "SearchReadyLLMCommandGenerator"}],
              "policies": [{"name": "FlowPolicy"}, {"name": "EnterpriseSearchPolicy"}]}
    flows = FLOWS + """
  pattern_search:
    description: search
    steps:
      - action: action_trigger_search
"""
    c = Chat(build(DOMAIN, flows, config=config))
    turn = c.say("search and reply", search=lambda tracker: "Breakfast is at 8.")
    assert turn.messages[0] == {"response": None, "text": "Breakfast is at 8."}
    turn = c.say("search and reply", search=lambda tracker: None)
    assert Chat.texts(turn)[0] == "I’m sorry, I can’t help with that."


def test_skip_question_inside_a_flow_explains_the_question_is_needed():
    c = chat()
    c.say("start flow book_hotel")
    turn = c.say("skip question")
    assert Chat.texts(turn)[0].startswith("I'm here to provide you with the best assistance")
    assert Chat.texts(turn)[-1] == "Which city?"


def test_repeat_message_resends_the_previous_turn_without_the_repeated_question():
    c = chat()
    c.say("start flow book_hotel\nset slot city Rome")
    turn = c.say("repeat message")
    assert Chat.texts(turn) == ["How many nights in Rome?"]


def test_unparsable_text_cannot_be_handled():
    c = chat()
    turn = c.say("what is this")
    assert turn.flows == ["started:pattern_cannot_handle", "completed:pattern_cannot_handle"]


def test_a_guarded_flow_cannot_be_started_while_its_guard_is_false():
    c = chat()
    turn = c.say("start flow members_only")
    assert "started:members_only" not in turn.flows
    c.conversation.tracker.slots["member"] = True
    assert "started:members_only" in c.say("start flow members_only").flows


def test_a_project_pattern_overrides_the_default_one_and_session_start_can_greet():
    flows = FLOWS + """
  pattern_session_start:
    description: greet
    nlu_trigger:
      - intent: session_start
    steps:
      - action: utter_welcome
"""
    c = Chat(build(DOMAIN, flows))
    assert Chat.texts(c.turns[0]) == ["Welcome!"]
    assert c.turns[0].flows == ["started:pattern_session_start", "completed:pattern_session_start"]


def test_a_failing_custom_action_cancels_the_flow_and_reports_an_internal_error():
    from engine.actions import ActionFailed

    class Broken:
        def run(self, name, tracker):
            raise ActionFailed("connection refused")

    c = chat()
    c.say("start flow book_hotel\nset slot city Rome")
    turn = c.say("set slot nights 2", actions=Broken())
    # Rasa names the frame that was on top before the failing prediction: the collect pattern
    # of the question just answered (ORACLE_DIFFS R2-3), and emits no "cancelled:" event.
    assert Chat.texts(turn)[:2] == ["Sorry, I am having trouble with that. Please try again in a few minutes.",
                                    "Okay, stopping pattern_collect_information."]
    assert "book_hotel" not in turn.stack
    assert "cancelled:book_hotel" not in turn.flows and "completed:book_hotel" in turn.flows


def test_human_handoff_link_says_no_human_is_available():
    flows = FLOWS + """
  talk_to_human:
    description: speak to a person
    steps:
      - link: pattern_human_handoff
"""
    c = Chat(build(DOMAIN, flows))
    turn = c.say("start flow talk_to_human")
    assert Chat.texts(turn)[0].startswith("I understand you want to be connected to a human agent")
    assert turn.stack == []


def test_a_slot_with_a_validation_block_is_checked_after_it_is_set():
    domain = DOMAIN.replace("  card: {type: text}", """  card:
    type: text
    validation:
      rejections:
        - if: not (slots.card matches "^[0-9]{4}$")
          utter: utter_card_blocked""")
    c = Chat(build(domain, FLOWS))
    c.say("start flow block_card")
    turn = c.say("set slot card abc")
    assert Chat.texts(turn) == ["Card blocked.", "Card number?"]
    assert c.slots["card"] is None
    assert "started:pattern_validate_slot" in turn.flows


def test_an_over_long_message_gets_the_internal_error_with_the_limit():
    c = chat()
    turn = c.say("x" * 421)
    assert Chat.texts(turn) == ["I'm sorry, but your message is too long for me to process. "
                                "Please keep your message concise and within 420 characters."]


def test_an_empty_message_gets_the_empty_message_error():
    assert Chat.texts(chat().say("   ")) == ["I see an empty message. What can I assist you with?"]


def test_force_slot_filling_ignores_everything_but_the_asked_slot():
    flows = FLOWS.replace("      - collect: card\n", "      - collect: card\n        force_slot_filling: true\n")
    c = Chat(build(DOMAIN, flows))
    c.say("start flow block_card")
    turn = c.say("start flow book_hotel\nset slot card 77")
    assert Chat.texts(turn) == ["Card blocked.", "Is there anything else I can help you with?"]


def test_an_intent_payload_starts_the_flow_with_that_nlu_trigger():
    flows = FLOWS.replace("  block_card:\n", "  block_card:\n    nlu_trigger:\n      - intent: lost_card\n")
    c = Chat(build("intents: [lost_card]\n" + DOMAIN, flows))  # payload intents must be domain intents
    turn = c.say("/lost_card")
    assert turn.flows == ["started:block_card"] and Chat.texts(turn) == ["Card number?"]
    assert Chat.texts(c.say("/unknown_intent")) == [
        "I’m sorry I am unable to understand you, could you please rephrase?", "Card number?"]


def test_restart_intent_clears_slots_and_stack():
    c = chat()
    c.say("start flow book_hotel\nset slot city Rome")
    turn = c.say("/restart")
    assert turn.stack == [] and c.slots["city"] is None
