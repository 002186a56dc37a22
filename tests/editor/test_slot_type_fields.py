"""The slot form shows only the fields its type uses; the others wait in a closed "Fields for other types" box."""
import re

import pytest
from playwright.sync_api import expect

from studio.assistants.models import Slot
from tests.editor.forms_in_pages import NLU_CONFIG, import_with_members
from tests.editor.test_slot_pages import DOMAIN, FLOWS  # drink: categorical, size: text, count: float

OTHER_BOX = re.compile(r'<details class="other-type-fields" data-other-type-fields( open)?>(.*?)</details>', re.S)


@pytest.fixture
def cafe(users):
    return import_with_members(users, {"config.yml": NLU_CONFIG, "domain.yml": DOMAIN, "data/flows.yml": FLOWS})


def _url(assistant, name):
    return f"/assistants/{assistant.slug}/slots/{name}/edit/"


def _split(html):
    """(fields shown on the form, fields in the other-types box, whether that box is open)."""
    box = OTHER_BOX.search(html)
    names = lambda text: set(re.findall(r'name="(values|min_value|max_value)"', text))  # noqa: E731
    return names(html[:box.start()]), names(box.group(2)), bool(box.group(1))


@pytest.mark.parametrize(("name", "shown", "boxed"), [
    ("drink", {"values"}, {"min_value", "max_value"}),
    ("count", {"min_value", "max_value"}, {"values"}),
    ("size", set(), {"values", "min_value", "max_value"}),
])
def test_the_slot_page_shows_only_the_fields_of_the_stored_type(client_for, cafe, name, shown, boxed):
    html = client_for("designer").get(_url(cafe, name)).content.decode()
    assert _split(html) == (shown, boxed, False)
    assert "Fields for other types" in html


def test_an_error_on_a_field_of_another_type_opens_the_box(client_for, cafe):
    page = client_for("designer").post(_url(cafe, "size"), {"type": "text", "min_value": "lots", "revision": "1"})
    html = page.content.decode()
    assert page.status_code == 400 and "Enter a number." in html
    assert _split(html) == (set(), {"values", "min_value", "max_value"}, True)


def test_switching_the_type_in_the_browser_brings_its_fields_up_and_saving_keeps_them(browser_as, live_server, cafe):
    page = browser_as("designer").new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}{_url(cafe, 'size')}")
    expect(page.locator("textarea[name='values']")).to_be_hidden()

    page.select_option("select[name='type']", "categorical")
    expect(page.locator("textarea[name='values']")).to_be_visible()
    expect(page.locator("input[name='min_value']")).to_be_hidden()
    page.fill("textarea[name='values']", "short\nlong")
    page.select_option("select[name='type']", "float")
    expect(page.locator("input[name='min_value']")).to_be_visible()
    page.select_option("select[name='type']", "categorical")
    expect(page.locator("textarea[name='values']")).to_have_value("short\nlong")
    page.click("button:has-text('Save')")

    expect(page.locator("body")).to_contain_text("Saved")
    slot = Slot.objects.get(assistant=cafe, name="size")
    assert slot.to_rasa()["type"] == "categorical" and slot.to_rasa()["values"] == ["short", "long"]
    assert errors == []
