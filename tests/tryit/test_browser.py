"""End to end in headless Chromium: the try-it page talks over a real WebSocket served by uvicorn."""
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_viewer_chats_in_the_browser_and_the_inspector_follows(chromium, asgi_server, shop, users):
    from django.test import Client

    client = Client()
    client.force_login(users["viewer"])
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": asgi_server}])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{asgi_server}/assistants/{shop.slug}/try/")
        # The socket starts a conversation; the server's panel (turn 0) is swapped in and the URL names it.
        page.wait_for_selector("#tryit[data-live=true][data-turns='1']", timeout=15000)
        page.wait_for_url(f"**/assistants/{shop.slug}/try/c/*/", timeout=5000)
        page.fill("#chat-text", "start flow buy")
        page.press("#chat-text", "Enter")
        page.wait_for_selector(".bubble.bot:has-text('Which fruit?')", timeout=10000)
        assert page.input_value("#chat-text") == ""
        stack = page.locator("[data-part=stack] li > code:first-child").all_inner_texts()
        assert stack == ["pattern_collect_information", "buy"]
        assert page.locator("[data-part=live] a").get_attribute("href") == \
            f"/assistants/{shop.slug}/flows/buy/edit/#step=ask_item"
        # The live flow is drawn by the editor's own renderer, read-only, the live step selected.
        drawn = page.frame_locator("iframe.live-flow")
        drawn.locator("#flow-editor[data-ready=true]").wait_for(timeout=15000)
        assert "ask_item" in drawn.locator(".react-flow__node.selected").inner_text()
        assert drawn.locator(".fs-status--readonly").count() == 1

        page.click("#chat-buttons button:has-text('Pear')")
        page.wait_for_selector(".bubble.bot:has-text('One pear, coming up.')", timeout=10000)
        assert page.locator(".bubble.user").all_inner_texts() == ["start flow buy", "Pear"]  # the button pressed
        assert "action_reserve" in page.locator("[data-part=commands] .stubbed").inner_text()
        assert page.locator("#tryit-status").inner_text() == "live"
        assert page.locator("#timeline .tl-text").all_inner_texts() == [
            "session started", "start flow buy", "/SetSlots(item=pear)"]

        # Back through the timeline: turn 1's inspector comes from the server as a partial.
        page.click("#timeline .tl-item[data-index='1'] a")
        page.wait_for_selector("#turn-detail h3:has-text('Turn 1')", timeout=10000)
        assert page.locator("#timeline .tl-item[aria-current]").get_attribute("data-index") == "1"
        assert "flow buy started" in page.locator("[data-part=events]").text_content()

        # A reload resumes the conversation.
        page.reload()
        page.wait_for_selector("#tryit[data-live=true]", timeout=15000)
        assert page.locator("#timeline .tl-item").count() == 3

        # Replay from turn 1, then continue differently.
        page.click("#timeline .tl-item[data-index='1'] a")
        page.wait_for_selector("#turn-detail h3:has-text('Turn 1')", timeout=10000)
        page.click("#turn-detail button:has-text('Replay from here')")
        page.wait_for_selector("#tryit-title:has-text('replay from turn 1')", timeout=10000)
        page.wait_for_selector("#tryit[data-live=true]", timeout=15000)
        page.click("#chat-buttons button:has-text('Apple')")
        page.wait_for_selector(".bubble.bot:has-text('One apple, coming up.')", timeout=10000)
        assert page.locator("#timeline .tl-text").all_inner_texts() == [
            "session started", "start flow buy", "/SetSlots(item=apple)"]
        page.screenshot(path="/tmp/tryit_browser.png", full_page=True)
    except Exception:
        page.screenshot(path="/tmp/tryit_failed.png")
        raise
    finally:
        context.close()
    assert errors == []
