"""Value readers of the offline generator: numbers, yes/no, categorical values, free text."""

from __future__ import annotations

import pytest

from engine.understanding.context import CollectInfo, SlotInfo
from engine.understanding.offline.extract import Extraction, extract_address, extract_date, free_text, typed_text
from engine.understanding.offline.kinds import example_values, slot_kind
from engine.understanding.offline.text import stem
from engine.understanding.offline.values import find_bool, find_categorical, find_numbers


@pytest.mark.parametrize(
    "text, values",
    [
        ("50", [50]), ("$50", [50]), ("€ 12.5", [12.5]), ("1,250.50", [1250.5]),
        ("fifty", [50]), ("twenty five dollars", [25]), ("one hundred and twenty", [120]),
        ("a couple of weeks", [2]), ("a dozen", [12]), ("a hundred", [100]),
        ("3 pizzas and 2 drinks", [3, 2]),
        ("the one called Emma", []), ("a small one", []),  # `one` as a pronoun
        ("SW1A 1AA", []), ("2025-07-01", []), ("FN-381", []),  # codes and dates are not numbers
    ],
)
def test_numbers_are_read_from_digits_words_and_idioms(text, values):
    assert [m.value for m in find_numbers(text)] == values


def test_currency_marks_a_number_as_money():
    assert [m.currency for m in find_numbers("$50 or 60 euros or 70")] == [True, True, False]


@pytest.mark.parametrize(
    "text, answer",
    [
        ("yes", True), ("Yeah!", True), ("sure, go ahead", True), ("I agree", True), ("of course", True),
        ("no", False), ("nope", False), ("no thanks", False), ("not now", False), ("I don't", False),
        ("maybe", None), ("the blue one", None),
    ],
)
def test_yes_and_no_answers(text, answer):
    assert find_bool(text) is answer


@pytest.mark.parametrize(
    "text, value",
    [
        ("margarita please", "margherita"), ("e-book", "ebook"), ("hill top", "hilltop"),
        ("account credit", "account_credit"), ("I'll pick it up", "pickup"), ("the big one", "large"),
    ],
)
def test_categorical_values_survive_typos_spacing_and_everyday_words(text, value):
    values = ("margherita", "ebook", "hilltop", "account_credit", "pickup", "small", "large")
    assert find_categorical(text, values)[0].value == value


def test_a_word_that_only_resembles_a_value_from_another_first_letter_is_no_match():
    assert not find_categorical("a book", ("ebook", "print"))


SUBSCRIPTIONS = ("Subscription Box", "Gym membership", "Meal Kit service", "Internet service")


@pytest.mark.parametrize("text", ["cancel my subscription", "put my subscription on hold"])
def test_one_word_of_a_longer_value_is_not_that_value(text):
    assert not find_categorical(text, SUBSCRIPTIONS)


@pytest.mark.parametrize(
    "text, value",
    [("cancel my meal kit subscription", "Meal Kit service"), ("my internet", "Internet service"),
     ("the subscription box", "Subscription Box"), ("gym membersip", "Gym membership")],
)
def test_a_longer_value_is_named_by_the_words_that_set_it_apart(text, value):
    assert find_categorical(text, SUBSCRIPTIONS)[0].value == value


def test_another_form_of_a_value_word_names_it():
    assert find_categorical("how humid is it?", ("humidity", "rainfall"))[0].value == "humidity"


@pytest.mark.parametrize("forms", [("bought", "buy", "buying"), ("sent", "send", "sending"), ("stolen", "steal")])
def test_irregular_verb_forms_meet_their_base_form(forms):
    assert len({stem(word) for word in forms}) == 1


@pytest.mark.parametrize(
    "slot, description, kind",
    [("slot_reason_for_item_exchange", "", "text"), ("delivery_note", "", "text"),
     ("gift_name", "the name of the gift", "title"), ("recipient", "recipient name or account", "name"),
     # "The name of the X": a thing's name, unless X is a person.
     ("object", "Name of the object that has to be moved", "title"), ("layer", "Name of the layer to toggle", "title"),
     ("who", "name of the patient", "name"), ("remark", "anything else", "text")],
)
def test_a_slot_holds_the_users_own_words_a_things_name_or_a_persons_as_it_says(slot, description, kind):
    assert slot_kind(SlotInfo(slot), CollectInfo(slot, description)) == kind


@pytest.mark.parametrize(
    "text, value",
    [("Ibuprofen 400mg", "Ibuprofen 400mg"), ("I'd like a PlayStation 5.", "PlayStation 5"),
     ("two Hamlet 2 tickets", "Hamlet")],
)
def test_a_things_name_keeps_the_model_number_that_ends_the_message(text, value):
    assert typed_text("title", text, Extraction(), allow_first=True)[0] == value


@pytest.mark.parametrize(
    "text, value",
    [("it's Mia", "Mia"), ("my name is Luca Bianchi", "Luca Bianchi"), ("on 3 August", "3 August"),
     ("12 Via Roma please", "12 Via Roma"), ("a new car", "a new car")],
)
def test_free_text_drops_lead_ins_and_politeness(text, value):
    assert free_text(text, Extraction()) == value


@pytest.mark.parametrize(
    "text, value",
    [("on 2025-07-01", "2025-07-01"), ("the 3rd of August", "3rd of August"), ("May 1st, 2026 please", "May 1st, 2026"),
     ("next Monday", "next Monday"), ("12/05", "12/05"), ("sometime next month", None)],
)
def test_dates_are_kept_as_the_user_wrote_them(text, value):
    found = extract_date(text, Extraction())
    assert (found[0] if found else None) == value


def test_an_address_stops_where_a_date_begins():
    assert extract_address("to 5 High Street on 1 May", Extraction())[0] == "5 High Street"


@pytest.mark.parametrize("forms", [("cancellation", "cancel", "cancelled"), ("shipped", "ship", "shipping"),
                                   ("planner", "plan")])
def test_a_doubled_final_consonant_meets_the_single_one(forms):
    assert len({stem(word) for word in forms}) == 1


def test_short_words_ending_in_a_double_l_keep_it():
    assert (stem("call"), stem("calling"), stem("sell")) == ("call", "call", "sell")


@pytest.mark.parametrize(
    "slot, description",
    [("guests", "the number of guests, convert words to numbers"), ("nights", "how many nights to stay"),
     ("product_quantity_seeds", "the quantity in bags"), ("event_duration", "the length of the event")],
)
def test_a_count_or_a_measure_is_a_number_whatever_its_slot_is_called(slot, description):
    assert slot_kind(SlotInfo(slot, "text"), CollectInfo(slot, description=description)) == "number"


@pytest.mark.parametrize(
    "description, values",
    [
        ('Map what the user has entered to one of the following "photography", "videography" , "photo_booth"',
         ("photography", "videography", "photo_booth")),
        ("which facility the guest asks about (pool, parking, breakfast)", ("pool", "parking", "breakfast")),
        ("ask which room type the guest wants (standard or suite)", ("standard", "suite")),
        ("the booking number (numbers only, no letters)", ()),
    ],
)
def test_choices_a_description_lists_are_read_as_written(description, values):
    slot = SlotInfo("choice", "text")
    assert example_values(slot, CollectInfo("choice", description=description)) == values


@pytest.mark.parametrize("slot, description, kind", [
    ("booking_time", "", "time"), ("pickup_hour", "", "time"), ("booking_date", "", "date"),
    ("date_time", "", "date"), ("appointment", "the time of the appointment", "time"),
])
def test_a_time_of_day_slot_is_told_from_a_date_slot(slot, description, kind):
    assert slot_kind(SlotInfo(slot), CollectInfo(slot, description)) == kind


@pytest.mark.parametrize("text, value", [
    ("for 7:30pm tomorrow", "7:30pm tomorrow"), ("friday at 8 pm please", "friday at 8 pm"),
    ("around noon", "noon"), ("at 19:00", "19:00"), ("on friday", "friday"), ("for 4 people", None),
])
def test_a_time_slot_takes_the_time_with_the_day_it_falls_on(text, value):
    found = typed_text("time", text, Extraction(), allow_first=True)
    assert (found[0] if found else None) == value
