"""Multilingual responses as Rasa Pro 3.21 renders them (core/nlg/translate.py, generator.py): the
built-in `language` slot picks the language; text and button titles come from `translation:`."""
import pytest

from tests.engine.engine_kit import BASE_CONFIG, Chat, build

CONFIG = {**BASE_CONFIG, "language": "en", "additional_languages": ["de", "es"]}
DOMAIN = """
slots:
  size:
    type: text
responses:
  utter_greet:
    - text: "Hello {size}!"
      translation:
        de: "Hallo {size}!"
  utter_ask_size:
    - text: "Which size?"
      buttons:
        - title: "Small"
          payload: "/SetSlots(size=small)"
          translation:
            de: {title: "Klein"}
  utter_choice:
    - text: "No translation here"
    - text: "Only this one speaks German"
      translation:
        de: "Nur diese spricht Deutsch"
"""
FLOWS = """
flows:
  greet:
    description: greet the user
    steps:
      - action: utter_greet
      - action: utter_ask_size
      - action: utter_choice
"""


def _messages(language: str | None):
    chat = Chat(build(DOMAIN, FLOWS, config=CONFIG))
    if language is not None:
        chat.slots["language"] = language
    chat.slots["size"] = "M"
    return chat.say("start flow greet").messages[:3]


def test_the_language_slot_starts_as_the_configured_language():
    assistant = build(DOMAIN, FLOWS, config=CONFIG)
    slot = assistant.slots["language"]
    assert (slot.initial_value, slot.values) == ("en", ("de", "es", "en"))
    assert Chat(assistant).slots["language"] == "en"


def test_in_german_the_text_buttons_and_variation_are_the_german_ones():
    greet, ask, choice = _messages("de")
    assert greet["text"] == "Hallo M!"
    assert ask["buttons"] == [{"title": "Klein", "payload": "/SetSlots(size=small)"}]
    assert choice["text"] == "Nur diese spricht Deutsch"


@pytest.mark.parametrize("language", ["en", "es"])
def test_without_a_translation_the_default_text_is_used(language):
    greet, ask, choice = _messages(language)
    assert greet["text"] == "Hello M!"
    assert ask["buttons"] == [{"title": "Small", "payload": "/SetSlots(size=small)"}]
    assert choice["text"] == "No translation here"


def test_a_project_may_not_define_the_language_slot():
    with_slot = DOMAIN.replace("slots:\n", "slots:\n  language:\n    type: text\n")
    problems = build(with_slot, FLOWS, config=CONFIG, strict=False).problems
    assert [p.message for p in problems] == [
        "The 'language' slot is a builtin slot that cannot be overridden: remove its definition from the domain"]
