"""A message typed while the page is still starting its first conversation is not lost: it is sent
once the conversation exists, and the new panel does not wipe what was being typed."""
import pytest

from tests.browser import logged_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_first_message_sent_right_after_the_page_opens_is_answered(chromium, asgi_server, demo, users,
                                                                       monkeypatch):
    import time

    from studio.tryit import services

    start = services.conversation_start_with_slots

    def slow_start(**kwargs):  # a busy server: the first turn arrives after the user has typed
        time.sleep(1.5)
        return start(**kwargs)

    monkeypatch.setattr(services, "conversation_start_with_slots", slow_start)
    with logged_in_page(chromium, asgi_server, users["viewer"]) as (page, errors):
        page.goto(f"{asgi_server}/assistants/{demo.slug}/try/")
        page.wait_for_selector("#tryit[data-live=true]", timeout=15000)
        page.fill("#chat-text", "I want a coffee")  # typed while the first turn is still on its way
        page.wait_for_selector("#tryit[data-turns='1']", timeout=10000)  # its panel replaced the chat box
        page.press("#chat-text", "Enter")
        page.wait_for_selector(".bubble.bot:has-text('What would you like to drink?')", timeout=10000)
        assert page.locator(".bubble.user").all_inner_texts() == ["I want a coffee"]
        assert "empty message" not in " ".join(page.locator(".bubble").all_inner_texts())
        assert errors == []
