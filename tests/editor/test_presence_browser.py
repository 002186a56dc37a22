"""Presence in headless Chromium over a real WebSocket (uvicorn): two designers on one flow."""
import pytest
from playwright.sync_api import expect

from studio.assistants.models import Flow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def editor(chromium, server, user, flows):
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server}])
    page = context.new_page()
    page.goto(f"{server}/assistants/{flows.slug}/flows/main/edit/")
    page.wait_for_selector("#flow-editor[data-ready=true]", state="attached", timeout=15000)
    return page


def test_a_designer_sees_who_else_edits_and_their_save_then_both_changes_survive(chromium, asgi_server, flows,
                                                                                  users):
    first = editor(chromium, asgi_server, users["designer"], flows)
    second = editor(chromium, asgi_server, users["owner"], flows)
    try:
        expect(second.locator("[data-others]")).to_have_text("designer is also editing this flow", timeout=10000)
        expect(first.locator("[data-others]")).to_have_text("owner is also editing this flow", timeout=10000)

        first.get_by_label("Description", exact=True).fill("changed by the designer")
        first.get_by_label("Description", exact=True).press("Tab")
        expect(second.locator("[data-saved-banner]")).to_contain_text(
            "designer saved revision 2. Your next save merges with it.", timeout=10000)
        expect(first.locator("[data-saved-banner]")).to_have_count(0)  # one's own save is no news

        second.get_by_label("Name", exact=True).fill("renamed by the owner")
        second.get_by_label("Name", exact=True).press("Enter")
        expect(second.locator("[data-merge-note]")).to_contain_text("Merged with designer's revision 2",
                                                                    timeout=10000)
        body = Flow.objects.get(assistant=flows, flow_id="main").to_rasa()
        assert (body["name"], body["description"]) == ("renamed by the owner", "changed by the designer")
        expect(first.locator("[data-saved-banner]")).to_contain_text("owner saved revision 3", timeout=10000)

        second.context.close()
        expect(first.locator("[data-others]")).to_have_count(0, timeout=10000)
    finally:
        first.context.close()


def page_as(chromium, server, user, path):
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = chromium.new_context()
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server}])
    page = context.new_page()
    page.goto(server + path)
    return page


def test_writers_see_each_other_on_a_response_and_the_list_refreshes_after_a_save(chromium, asgi_server, flows,
                                                                                     users):
    edit = f"/assistants/{flows.slug}/responses/utter_done/edit/"
    listing = page_as(chromium, asgi_server, users["viewer"], f"/assistants/{flows.slug}/responses/")
    writer = page_as(chromium, asgi_server, users["writer"], edit)
    owner = page_as(chromium, asgi_server, users["owner"], edit + "?mode=yaml")  # the raw YAML box
    try:
        expect(writer.locator("[data-presence-users]")).to_have_text("owner is also editing this", timeout=10000)
        owner.fill("textarea[name=variations]", "- text: All finished\n")
        owner.click("button:has-text('Save')")
        expect(writer.locator("[data-presence-saved]")).to_contain_text(
            "owner saved revision 2. Saving merges your changes with it; reload to see it", timeout=10000)
        expect(listing.locator("tr[data-response=utter_done]")).to_contain_text("All finished", timeout=10000)
        expect(listing.locator("[data-presence-saved]")).to_have_text("owner saved utter_done (revision 2).")
    finally:
        for page in (listing, writer, owner):
            page.context.close()
