"""Response variations checked against Rasa Pro 3.21's schema (its verdicts on the same shapes are
fixtures in tests/exchange/rasa_verdicts/response_*); messages name the response, variation and key."""
import pytest

from tests.engine.engine_kit import build

FLOWS = """
flows:
  greet:
    description: greet
    steps:
      - action: utter_greet
"""


def problems(variation_yaml: str) -> list[str]:
    domain = "responses:\n  utter_greet:\n" + variation_yaml
    # With a rephrasing NLG endpoint: a variation may ask to be rephrased (test_rephrase_endpoint.py).
    return [p.message for p in build(domain, FLOWS, strict=False, endpoints={"nlg": {"type": "rephrase"}}).problems]


@pytest.mark.parametrize("variation, message", [
    ("    - text: Hi\n      subtitle: there\n",
     "response 'utter_greet' variation 1: 'subtitle' is not a key Rasa knows in a response (known: id, text, "
     "translation, image, custom, buttons, button_type, quick_replies, attachment, elements, channel, "
     "allow_interruptions, metadata, condition)"),
    ("    - text: 5\n", "response 'utter_greet' variation 1: 'text' must be text, not the number 5"),
    ("    - image: a.png\n", "response 'utter_greet' variation 1: needs 'text' or 'custom'"),
    ("    - text: Hi\n      buttons:\n        - title: Ten\n          payload: ten\n          translation: {de: Zehn}\n",
     "response 'utter_greet' variation 1: button 1: translation 'de' must be a mapping with 'title' and/or "
     "'payload', not str"),
    ("    - text: Hi\n      translation: {de: {text: Hallo}}\n",
     "response 'utter_greet' variation 1: 'translation' 'de' must be the translated text, not a mapping"),
    ("    - text: Hi\n      condition:\n        - name: size\n          value: big\n",
     "response 'utter_greet' variation 1: condition 1 needs 'type' (type, name and value)"),
    ("    - text: Hi\n      condition:\n        - {type: intent, name: size, value: big}\n",
     "response 'utter_greet' variation 1: condition 1 has type 'intent'; Rasa only knows 'slot'"),
    ("    - text: Hi\n      allow_interruptions: maybe\n",
     "response 'utter_greet' variation 1: 'allow_interruptions' must be true or false, not str"),
    ("    - text: \"Sent { } to you\"\n",
     "response 'utter_greet' variation 1: 'text' has an empty placeholder '{}': name a slot in it, as in {amount}"),
    ("    - text: Hi\n      buttons:\n        - {title: \"Pay {}\", payload: pay}\n",
     "response 'utter_greet' variation 1: 'buttons' has an empty placeholder '{}': name a slot in it, as in {amount}"),
])
def test_what_rasa_refuses_is_named(variation, message):
    assert problems(variation) == [message]


def test_every_key_rasa_knows_is_accepted():
    assert problems("""    - text: Hi
      id: hi_1
      translation: {de: Hallo}
      image: a.png
      buttons:
        - {title: Yes, payload: /restart, translation: {de: {title: Ja}}}
      button_type: vertical
      quick_replies: [{title: Ok, payload: /ok}]
      attachment: {kind: file}
      elements: [{a: 1}]
      channel: web
      allow_interruptions: true
      metadata: {rephrase: true}
      condition: "slots.size = 'big'"
    - custom: {carousel: []}
""") == []
