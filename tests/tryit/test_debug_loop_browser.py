"""The debugging loop in headless Chromium, as a designer does it on the demo: chat with the offline
generator and the shipped mocks, go back through the timeline, replay from turn 2, save the replay as
a test, run it green, break the flow, run it red."""
import pytest

from tests.browser import logged_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUTTONS = (("Latte", "Which size"), ("Medium", "free size upgrade"), ("Yes, please", "Your latte is on its way."))


def click_through(page, buttons):
    for button, reply in buttons:
        page.click(f"#chat-buttons button:has-text('{button}')")
        page.wait_for_selector(f".bubble.bot:has-text('{reply}')", timeout=10000)


def test_chat_replay_save_as_test_run_green_break_run_red(chromium, asgi_server, demo, users):
    from studio.assistants import services
    from studio.assistants.models import Flow

    with logged_in_page(chromium, asgi_server, users["owner"]) as (page, errors):
        try:
            page.goto(f"{asgi_server}/assistants/{demo.slug}/try/")
            page.wait_for_selector("#tryit[data-live=true]", timeout=15000)
            page.fill("#chat-text", "I want a coffee")
            page.press("#chat-text", "Enter")
            page.wait_for_selector(".bubble.bot:has-text('What would you like to drink?')", timeout=10000)
            click_through(page, BUTTONS)
            first = page.url

            # Back to turn 2 (the latte chosen) and replay from there as a new conversation.
            page.click("#timeline .tl-item[data-index='2'] a")
            page.wait_for_selector("#turn-detail h3:has-text('Turn 2')", timeout=10000)
            page.click("#turn-detail button:has-text('Replay from here')")
            page.wait_for_url(lambda url: url != first and "/try/c/" in url, timeout=10000)
            page.wait_for_selector("#tryit[data-live=true]", timeout=15000)
            assert page.locator("#timeline .tl-item").count() == 3  # turns 0..2 copied
            click_through(page, BUTTONS[1:])

            # Save the replayed conversation as a test; the tests page lists it.
            page.click("#as-test summary")
            page.fill("#as-test input[name=name]", "latte replay")
            page.click("#as-test button:has-text('Save to tests')")
            page.wait_for_url(f"**/assistants/{demo.slug}/tests/", timeout=10000)
            assert page.locator("#files code:has-text('tests/conversations/latte_replay.yml')").count() == 1

            page.click("form:has(input[value='tests/conversations/latte_replay.yml']) button:has-text('Run file')")
            page.wait_for_selector("#run:has-text('1 of 1 test cases passed')", timeout=20000)

            # Break the flow: the loyalty threshold goes up, so the free upgrade the test expects never comes.
            flow = Flow.objects.get(assistant=demo, flow_id="check_loyalty")
            body = flow.to_rasa()
            body["steps"][0]["next"][0]["if"] = "slots.loyalty_points >= 1000"
            services.flow_save(user=users["owner"], assistant=demo, flow_id="check_loyalty", data=body,
                               revision=flow.revision)
            page.goto(f"{asgi_server}/assistants/{demo.slug}/tests/")
            page.click("form:has(input[value='tests/conversations/latte_replay.yml']) button:has-text('Run file')")
            page.wait_for_selector("#run:has-text('0 of 1 test cases passed')", timeout=20000)
            assert "utter_free_upgrade" in page.locator("#run .run-output").inner_text()
            assert page.locator("#files .pill.bad").count() == 1
        except Exception:
            page.screenshot(path="/tmp/debug_loop_failed.png", full_page=True)
            raise
        assert errors == []
