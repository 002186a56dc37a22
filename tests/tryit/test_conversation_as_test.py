"""From the try-it page, a conversation becomes a Rasa e2e test: everyone downloads it, designers save it."""
import pytest
import yaml

from studio.exchange import e2e
from tests.tryit.test_conversation_pages import chat, page_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role, saves", [("owner", True), ("designer", True), ("writer", False), ("viewer", False)])
def test_the_page_offers_the_download_to_everyone_and_saving_to_designers(shop, users, client_for, role, saves):
    conversation = chat(users[role], shop, "start flow buy", "/SetSlots(item=pear)")
    html = client_for(role).get(page_url(conversation)).content.decode()
    test_url = f"/assistants/{shop.slug}/tests/from-conversation/{conversation.pk}/"
    assert f'<a class="button" href="{test_url}" download>Download as test</a>' in html
    assert ("Save to tests</button>" in html) is saves


def test_the_downloaded_test_replays_what_was_said(shop, users, client_for):
    conversation = chat(users["viewer"], shop, "start flow buy", "/SetSlots(item=pear)")
    response = client_for("viewer").get(f"/assistants/{shop.slug}/tests/from-conversation/{conversation.pk}/")
    assert response.status_code == 200
    case = yaml.safe_load(response.content)["test_cases"][0]
    users_said = [step["user"] for step in case["steps"] if "user" in step]
    assert users_said == ["start flow buy", "/SetSlots(item=pear)"]


def test_a_designer_saves_the_conversation_into_the_assistants_tests(shop, users, client_for):
    conversation = chat(users["designer"], shop, "start flow buy", "/SetSlots(item=pear)")
    response = client_for("designer").post(f"/assistants/{shop.slug}/tests/from-conversation/{conversation.pk}/",
                                           {"name": "pear purchase"})
    assert response.status_code == 302
    assert "tests/conversations/pear_purchase.yml" in e2e.test_files(shop)
