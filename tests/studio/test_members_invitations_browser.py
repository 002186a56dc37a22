"""In Chromium: an owner invites through the htmx form; the person opens the link in their own browser."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_an_invitation_from_the_members_page_ends_on_the_assistant(chromium, live_server, users, assistant):
    from django.test import Client

    client = Client()
    client.force_login(users["owner"])
    owner = chromium.new_context()
    owner.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = owner.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto(f"{live_server.url}/assistants/{assistant.slug}/members/")
    page.get_by_label("Username").fill("newbie")
    page.get_by_label("Role", exact=True).select_option("designer")
    page.get_by_role("button", name="Invite").click()
    link = page.locator("#invitation-link").input_value(timeout=10000)
    assert page.locator("#pending-invitations").get_by_text("newbie").count() == 1

    person = chromium.new_context().new_page()
    person.goto(link)
    person.get_by_label("Password", exact=True).fill("my own passphrase")
    person.get_by_label("Password again").fill("my own passphrase")
    person.get_by_role("button", name="Set my password and continue").click()
    person.wait_for_url(f"{live_server.url}/assistants/{assistant.slug}/")
    assert "your role: designer" in person.content()
    assert problems == []
    owner.close()
    person.context.close()
