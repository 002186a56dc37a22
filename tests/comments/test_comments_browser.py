"""In the editor a node with comments shows its open-thread count; the badge opens the thread to reply."""
from pathlib import Path

import pytest

from tests.browser import headless_chromium, logged_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUNDLE = Path(__file__).resolve().parents[2] / "static" / "editor" / "editor.js"


@pytest.fixture(scope="module")
def chromium():
    if not BUNDLE.exists():
        pytest.skip("static/editor/editor.js is missing: run `cd frontend && npm run build`")
    with headless_chromium() as browser:
        yield browser


def test_the_badge_shows_open_threads_and_opens_the_thread_for_a_reply(chromium, live_server, start, on_step, users):
    from studio.comments.models import Comment

    thread = start("writer", on_step("ask_amount"), "Ask for the currency too?")
    with logged_in_page(chromium, live_server.url, users["viewer"]) as (page, errors):
        page.goto(f"{live_server.url}/assistants/pizza-bot/flows/transfer/edit/")
        badge = page.locator('.fs-node[data-step-id="ask_amount"] .fs-comments--open')
        badge.wait_for(timeout=15000)
        assert badge.get_attribute("aria-label") == "1 open comment thread"
        assert badge.inner_text().strip().endswith("1")
        assert page.locator('.fs-node[data-step-id="transfer_1_utter_confirm"] .fs-comments--none').count() == 1
        with page.context.expect_page() as opened:
            badge.click()
        thread_page = opened.value
        thread_page.wait_for_load_state()
        assert "Ask for the currency too?" in thread_page.locator(f"#thread-{thread.pk}").inner_text()
        thread_page.locator(f"#thread-{thread.pk} textarea[name=body]").last.fill("Yes, @writer please")
        thread_page.locator(f"#thread-{thread.pk} .thread-reply button").click()
        thread_page.locator(f"#thread-{thread.pk} a.mention").wait_for(timeout=10000)
        assert thread_page.locator(f"#thread-{thread.pk} .comment-body").last.inner_text() == "Yes, @writer please"
        assert errors == []
    assert list(Comment.objects.filter(thread=thread).values_list("body", flat=True)) == [
        "Ask for the currency too?", "Yes, @writer please"]


def test_a_writer_starts_a_thread_on_the_response_page_and_resolves_it_in_place(chromium, live_server, content, users):
    from studio.comments.models import Thread

    with logged_in_page(chromium, live_server.url, users["writer"]) as (page, errors):
        page.goto(f"{live_server.url}/assistants/pizza-bot/responses/utter_greet/edit/")
        page.evaluate("window.keptAcrossSwaps = true")  # gone if the page reloaded instead of swapping
        page.fill("#thread-new-body", "Warmer, @designer?")
        page.click(".thread-new button")
        page.locator(".comments-panel a.mention").wait_for(timeout=10000)
        assert page.evaluate("window.keptAcrossSwaps") is True
        page.click(".thread-state-form button")
        page.locator(".pill-resolved").wait_for(timeout=10000)
        assert page.locator(".pill-resolved").inner_text() == "resolved by writer"
        assert page.evaluate("window.keptAcrossSwaps") is True
        assert errors == []
    assert Thread.objects.get().resolved_by == users["writer"]
