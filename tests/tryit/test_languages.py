"""Try-it in any of the assistant's languages: the new-conversation form offers them, and the bot
answers in the chosen one (Rasa's built-in `language` slot)."""
import pytest

from studio.assistants import services as assistant_services
from studio.tryit import services

pytestmark = pytest.mark.django_db

CONFIG = """language: en
additional_languages: [de]
pipeline:
  - name: CompactLLMCommandGenerator
policies:
  - name: FlowPolicy
"""


@pytest.fixture
def bilingual(shop, users):
    owner = users["owner"]
    assistant_services.assistant_update(user=owner, assistant=shop, config_yaml=CONFIG)
    response = shop.responses.get(name="utter_ask_item")
    assistant_services.response_save(user=owner, assistant=shop, name="utter_ask_item", revision=response.revision,
                                     variations=[{**response.variations[0], "translation": {"de": "Welche Frucht?"}}])
    shop.refresh_from_db()
    return shop


def test_the_new_conversation_form_offers_the_assistants_languages(bilingual, users, client_for):
    conversation, _ = services.conversation_start(user=users["viewer"], assistant=bilingual)
    html = client_for("viewer").get(f"/assistants/{bilingual.slug}/try/c/{conversation.pk}/").content.decode()
    assert ('<select name="slot__language" aria-label="Language"><option value="">en (default)</option>'
            '<option value="de">de</option></select>') in html


def test_a_conversation_started_in_german_is_answered_in_german(bilingual, users):
    conversation, _ = services.conversation_start_with_slots(user=users["viewer"], assistant=bilingual,
                                                             slots={"language": "de"})
    turn = services.conversation_turn(user=users["viewer"], conversation=conversation, text="start flow buy")
    assert [m["text"] for m in turn["messages"]] == ["Welche Frucht?"]


def test_a_language_the_assistant_does_not_have_is_refused_naming_the_slot(bilingual, users):
    from studio.core.exceptions import ValidationFailed

    with pytest.raises(ValidationFailed) as refused:
        services.conversation_start_with_slots(user=users["viewer"], assistant=bilingual, slots={"language": "fr"})
    assert str(refused.value).startswith("slots.language: ")


def test_without_additional_languages_there_is_no_choice(shop, users, client_for):
    conversation, _ = services.conversation_start(user=users["viewer"], assistant=shop)
    html = client_for("viewer").get(f"/assistants/{shop.slug}/try/c/{conversation.pk}/").content.decode()
    assert 'name="slot__language"' not in html
