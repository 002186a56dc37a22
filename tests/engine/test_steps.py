"""Each step kind, on small assistants written inline."""

from engine_kit import Chat, build

DOMAIN = """
slots:
  recipient: {type: text}
  amount: {type: float}
  confirmed: {type: bool}
  fee: {type: float, initial_value: 1.0}
  size:
    type: categorical
    values: [Small, Large]
responses:
  utter_ask_recipient: [{text: "Who should get the money?"}]
  utter_ask_amount: [{text: "How much should {recipient} get?"}]
  utter_ask_confirmed:
    - text: "Send {amount} to {recipient}?"
      buttons:
        - {title: "Yes", payload: "/SetSlots(confirmed=true)"}
        - {title: "No", payload: "/SetSlots(confirmed=false)"}
  utter_ask_size: [{text: "Which size?"}]
  utter_sent: [{text: "Sent {amount} to {recipient}."}]
  utter_not_sent: [{text: "Nothing was sent."}]
  utter_big: [{text: "That is a lot."}]
  utter_too_much: [{text: "{value} is too much."}]
  utter_help: [{text: "I can send money."}]
  utter_greet: [{text: "Hello!"}]
"""

FLOWS = """
flows:
  transfer:
    name: send money
    description: send money to someone
    steps:
      - collect: recipient
      - collect: amount
        rejections:
          - if: slots.amount > 1000
            utter: utter_too_much
        next:
          - if: slots.amount > 500
            then:
              - action: utter_big
                next: confirm
          - else: confirm
      - id: confirm
        collect: confirmed
        ask_before_filling: true
        next:
          - if: slots.confirmed
            then:
              - action: utter_sent
                next: END
          - else:
              - action: utter_not_sent
                next: END
  help:
    description: explain what the assistant can do
    steps:
      - noop: true
        next: say
      - id: say
        action: utter_help
  pick_size:
    description: choose a size
    steps:
      - collect: size
      - set_slots:
          - fee: 2.5
  help_then_transfer:
    description: help, then hand over to the transfer
    steps:
      - action: utter_help
      - link: transfer
  wrapped_transfer:
    description: transfer inside another flow
    steps:
      - call: transfer
      - action: utter_help
"""


def assistant():
    return build(DOMAIN, FLOWS)


def test_collect_asks_its_question_and_waits():
    chat = Chat(assistant())
    turn = chat.say("start flow transfer")
    assert Chat.texts(turn) == ["Who should get the money?"]
    assert turn.flows == ["started:transfer"]
    assert turn.stack == ["transfer"]


def test_collect_of_a_slot_given_in_the_same_message_is_skipped():
    chat = Chat(assistant())
    turn = chat.say("start flow transfer\nset slot recipient Ann")
    assert Chat.texts(turn) == ["How much should Ann get?"]
    assert turn.slots == {"recipient": "Ann"}


def test_float_slot_values_are_converted_and_rendered_like_python():
    chat = Chat(assistant())
    chat.say("start flow transfer\nset slot recipient Ann")
    turn = chat.say("set slot amount 50")
    assert turn.slots == {"amount": 50.0}
    assert Chat.texts(turn) == ["Send 50.0 to Ann?"]
    assert turn.messages[0]["buttons"][0] == {"title": "Yes", "payload": "/SetSlots(confirmed=true)"}


def test_rejection_renders_with_the_rejected_value_then_asks_again():
    chat = Chat(assistant())
    chat.say("start flow transfer\nset slot recipient Ann")
    turn = chat.say("set slot amount 5000")
    assert Chat.texts(turn) == ["5000.0 is too much.", "How much should Ann get?"]
    assert chat.slots["amount"] is None


def test_a_value_the_slot_type_cannot_hold_gets_the_default_rejection():
    chat = Chat(assistant())
    chat.say("start flow transfer\nset slot recipient Ann")
    turn = chat.say("set slot amount lots")
    assert Chat.texts(turn)[0].startswith("Sorry, it seems the value you provided `lots` is not a valid number")


def test_if_branch_runs_its_nested_steps_and_jumps_to_the_named_step():
    chat = Chat(assistant())
    chat.say("start flow transfer\nset slot recipient Ann")
    turn = chat.say("set slot amount 600")
    assert Chat.texts(turn) == ["That is a lot.", "Send 600.0 to Ann?"]


def test_button_payload_finishes_the_flow_and_resets_its_slots():
    chat = Chat(assistant())
    chat.say("start flow transfer\nset slot recipient Ann\nset slot amount 20")
    turn = chat.say("/SetSlots(confirmed=yes)")
    assert Chat.texts(turn) == ["Sent 20.0 to Ann.", "Is there anything else I can help you with?"]
    assert turn.flows == ["completed:transfer", "started:pattern_completed"]
    assert chat.slots["recipient"] is None and chat.slots["amount"] is None


def test_ask_before_filling_asks_even_when_the_value_was_given_early():
    chat = Chat(assistant())
    turn = chat.say("start flow transfer\nset slot recipient Ann\nset slot amount 20\nset slot confirmed true")
    assert Chat.texts(turn) == ["Send 20.0 to Ann?"]


def test_noop_with_next_jumps_to_the_named_step():
    chat = Chat(assistant())
    turn = chat.say("start flow help")
    assert Chat.texts(turn)[0] == "I can send money."
    assert turn.flows[:2] == ["started:help", "completed:help"]


def test_set_slots_step_sets_raw_values_and_flow_end_resets_them_to_initial_values():
    chat = Chat(assistant())
    chat.say("start flow pick_size")
    turn = chat.say("set slot size large")
    assert chat.slots["size"] is None and chat.slots["fee"] == 1.0
    assert "completed:pick_size" in turn.flows


def test_categorical_values_match_case_insensitively_and_keep_the_declared_spelling():
    chat = Chat(assistant())
    chat.say("start flow pick_size")
    events = [e for e in chat.say("set slot size large").events if e["event"] == "slot_set"]
    assert {"event": "slot_set", "name": "size", "value": "Large"} in events


def test_link_ends_the_linking_flow_and_starts_the_linked_one():
    chat = Chat(assistant())
    turn = chat.say("start flow help_then_transfer")
    assert Chat.texts(turn) == ["I can send money.", "Who should get the money?"]
    assert turn.flows == ["started:help_then_transfer", "completed:help_then_transfer", "started:transfer"]
    assert turn.stack == ["transfer"]


def test_call_runs_the_child_flow_above_its_caller_and_returns():
    chat = Chat(assistant())
    turn = chat.say("start flow wrapped_transfer")
    assert turn.stack == ["wrapped_transfer", "transfer"]
    chat.say("set slot recipient Ann")
    chat.say("set slot amount 5")
    turn = chat.say("set slot confirmed false")
    assert Chat.texts(turn)[:2] == ["Nothing was sent.", "I can send money."]
    assert turn.flows[:2] == ["completed:transfer", "completed:wrapped_transfer"]


def test_generated_step_ids_follow_rasa():
    flow = assistant().flows["transfer"]
    assert [s.id for s in flow.steps][:4] == [
        "transfer_0_collect_recipient", "transfer_1_collect_amount", "transfer_2_utter_big", "confirm"]


def test_flow_dicts_round_trip_unchanged_including_unknown_keys():
    flows = assistant().flows
    body = dict(flows["help"].to_dict())
    assert body["steps"][0] == {"noop": True, "next": "say"}
    assert flows["transfer"].to_dict()["name"] == "send money"


def test_a_rejection_without_utter_is_refused_but_a_lenient_load_drops_the_value_and_asks_again():
    flows = FLOWS.replace("            utter: utter_too_much\n", "")
    assistant = build(DOMAIN, flows, strict=False)  # Rasa's schema refuses it (see test_bad_input)
    assert any("needs an 'utter'" in str(p) for p in assistant.problems)
    chat = Chat(assistant)
    chat.say("start flow transfer\nset slot recipient Ann")
    assert Chat.texts(chat.say("set slot amount 5000")) == ["How much should Ann get?"]
    assert chat.slots["amount"] is None


def test_unknown_keys_survive_the_round_trip_through_the_model():
    from engine.model import Flow
    body = {"description": "d", "x-layout": {"zoom": 2},
            "steps": [{"action": "utter_help", "x-note": "keep me", "next": "END"}]}
    flow = Flow.from_dict("f", body)
    assert flow.to_dict() == body
    assert flow.steps[0].to_dict() == {"action": "utter_help", "x-note": "keep me", "next": "END"}
    assert Flow.from_dict("f", flow.to_dict()) == flow


def test_an_empty_next_goes_on_to_the_step_below_as_in_rasa():
    # Rasa's resolve_default_next: `next: []` has no link, so the step below is next.
    chat = Chat(build(DOMAIN, FLOWS.replace("      - collect: recipient\n",
                                            "      - collect: recipient\n        next: []\n", 1)))
    chat.say("start flow transfer")
    assert Chat.texts(chat.say("set slot recipient Ann")) == ["How much should Ann get?"]
