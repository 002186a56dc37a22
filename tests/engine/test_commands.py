import pytest

from engine.commands import (
    CancelFlow, CannotHandle, ChitChat, Clarify, KnowledgeAnswer, RepeatBotMessages,
    SessionStart, SetSlot, SkipQuestion, StartFlow, TriggerIntent, command_from_dict,
    command_to_dict, format_commands, parse_commands, parse_payload,
)


def test_every_v2_command_is_parsed_from_its_own_line():
    text = (
        "start flow transfer_money\nset slot recipient Jane\ncancel flow\n"
        "disambiguate flows b a\nprovide info\nofftopic reply\nskip question\nrepeat message"
    )
    assert parse_commands(text, "v2") == [
        StartFlow("transfer_money"), SetSlot("recipient", "Jane"), CancelFlow(),
        Clarify(("a", "b")), KnowledgeAnswer(), ChitChat(), SkipQuestion(), RepeatBotMessages(),
    ]


def test_v3_knowledge_command_is_search_and_reply_and_provide_info_is_not_understood():
    assert parse_commands("search and reply", "v3") == [KnowledgeAnswer()]
    assert parse_commands("provide info", "v3") == [CannotHandle()]


def test_leading_bullets_quotes_and_trailing_punctuation_are_tolerated():
    assert parse_commands("- 1. set slot `due_date` '2025-06-30'.") == [SetSlot("due_date", "2025-06-30")]
    assert parse_commands('* start flow "order_pizza"') == [StartFlow("order_pizza")]


@pytest.mark.parametrize("word", ["None", "null", "undefined"])
def test_missing_value_words_mean_no_value(word):
    assert parse_commands(f"set slot city {word}") == [SetSlot("city", None)]


def test_text_without_any_command_cannot_be_handled():
    assert parse_commands("hello there\nhand over") == [CannotHandle()]


def test_unknown_flows_are_dropped_when_the_flows_are_known():
    assert parse_commands("start flow nope\nstart flow yes", user_flows={"yes"}) == [StartFlow("yes")]


def test_setting_the_flow_name_slot_starts_that_flow():
    assert parse_commands("set slot flow_name order", user_flows={"order"}) == [StartFlow("order")]


def test_clarification_with_one_valid_option_becomes_a_start():
    assert parse_commands("disambiguate flows a, zz", user_flows={"a", "b"}) == [StartFlow("a")]
    assert parse_commands("disambiguate flows b, a", user_flows={"a", "b"}) == [Clarify(("a", "b"))]


def test_set_slots_payload_gives_one_command_per_slot_and_keeps_strings():
    assert parse_payload("/SetSlots(size=large, extra=None)") == [
        SetSlot("size", "large", "CommandPayloadReader"), SetSlot("extra", None, "CommandPayloadReader"),
    ]


def test_set_slots_payload_with_an_unknown_slot_is_ignored_entirely():
    assert parse_payload("/SetSlots(size=large, bogus=1)", slot_names={"size"}) == []


def test_intent_payloads_trigger_intents_and_session_start_is_special():
    assert parse_payload("/ask_opening_hours") == [TriggerIntent("ask_opening_hours")]
    assert parse_payload("/session_start") == [SessionStart()]


def test_intent_payloads_carry_their_entities_one_per_list_item():
    assert parse_payload('/inform@0.7{"city": ["Oslo", "Rome"], "day": "mon"}') == [
        TriggerIntent("inform", 0.7, (("city", "Oslo"), ("city", "Rome"), ("day", "mon")))]
    # Rasa ignores entities that are not a JSON object, and keeps the intent
    assert parse_payload('/inform{"city": }') == [TriggerIntent("inform")]


def test_printed_commands_parse_back_to_the_same_commands():
    commands = [StartFlow("a"), SetSlot("x", "1"), CancelFlow(), Clarify(("a", "b")), KnowledgeAnswer()]
    for syntax in ("v2", "v3"):
        assert parse_commands(format_commands(commands, syntax), syntax) == commands


def test_commands_round_trip_through_json_dicts():
    for command in [Clarify(("a", "b")), SetSlot("x", 2.0), CannotHandle("why")]:
        assert command_from_dict(command_to_dict(command)) == command


def test_an_unknown_syntax_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown command syntax 'v9'"):
        parse_commands("cancel flow", "v9")
