"""The response editor in a browser: add a variation with a builder button, watch the preview, save, reload."""
from playwright.sync_api import expect

from studio.assistants.models import Response


def test_writer_adds_a_variation_with_a_set_slots_button_and_sees_it_after_reload(browser_as, live_server, flows):
    page = browser_as("writer").new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/assistants/{flows.slug}/responses/utter_done/edit/")

    page.click("button:has-text('Add variation')")
    text = page.locator("textarea[name='v-1-text']")
    expect(text).to_be_visible()
    text.press_sequentially("Send {amount} or {colour}?")
    preview = page.locator("#response-preview")
    expect(preview).to_contain_text("Variation 2: {colour} names no slot of this assistant")
    text.fill("")
    text.press_sequentially("Send {amount} now?")
    expect(preview.locator("[data-preview='2'] .preview-text")).to_have_text("Send [amount] now?")

    page.click("button[value='add-button:1']")
    page.fill("input[name='v-1-b-0-title']", "Five")
    expect(page.locator("input[name='v-1-b-0-intent']")).to_be_hidden()  # the builder shows the "set slots" part
    page.select_option("select[name='v-1-b-0-s-0-slot']", "amount")
    page.fill("input[name='v-1-b-0-s-0-value']", "5")
    page.click("button:has-text('Save')")

    expect(page.locator("body")).to_contain_text("Saved utter_done.")
    assert Response.objects.get(assistant=flows, name="utter_done").variations == [
        {"text": "Done"},
        {"text": "Send {amount} now?", "buttons": [{"title": "Five", "payload": "/SetSlots(amount=5)"}]}]
    page.reload()
    expect(page.locator("input[name='v-1-b-0-title']")).to_have_value("Five")
    expect(page.locator("select[name='v-1-b-0-s-0-slot']")).to_have_value("amount")
    assert errors == []
