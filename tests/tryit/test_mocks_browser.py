"""In headless Chromium: a fresh demo completes its main flow in try-it on its shipped mocks."""
import pytest

from tests.browser import logged_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_demo_orders_a_latte_in_the_browser_without_an_action_server(chromium, asgi_server, demo, users):
    with logged_in_page(chromium, asgi_server, users["viewer"]) as (page, errors):
        try:
            page.goto(f"{asgi_server}/assistants/{demo.slug}/try/")
            page.wait_for_selector("#tryit[data-live=true]", timeout=15000)
            assert page.locator("#tryit-source").inner_text() == "current content"
            page.fill("#chat-text", "I want a coffee")
            page.press("#chat-text", "Enter")
            page.wait_for_selector(".bubble.bot:has-text('What would you like to drink?')", timeout=10000)
            for button, reply in (("Latte", "Which size"), ("Medium", "free size upgrade"),
                                  ("Yes, please", "Your latte is on its way.")):
                page.click(f"#chat-buttons button:has-text('{button}')")
                page.wait_for_selector(f".bubble.bot:has-text('{reply}')", timeout=10000)
            bot = " ".join(page.locator(".bubble.bot").all_inner_texts())
            assert "Sorry, I am having trouble" not in bot and "pattern_" not in bot
            page.screenshot(path="/tmp/tryit_demo_mocks.png", full_page=True)
            page.goto(f"{asgi_server}/assistants/{demo.slug}/actions/action_check_loyalty/mock/")
            assert page.locator("#mock-summary li").all_inner_texts() == [
                "When slots.size = 'large': sets loyalty_points to 40", "Otherwise: sets loyalty_points to 120"]
        except Exception:
            page.screenshot(path="/tmp/tryit_demo_mocks_failed.png")
            raise
        assert errors == []
