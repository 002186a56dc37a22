"""Items are reached and named as Rasa allows: responses by any name (apostrophes, `/`, `:`) on the API and pages."""
from urllib.parse import quote

import pytest

from studio.assistants import services
from studio.assistants.models import Response, Slot
from studio.core.exceptions import ValidationFailed

pytestmark = pytest.mark.django_db

NAMES = ["utter_faq/ask_price", "utter_don't", "utter:greet"]


@pytest.fixture
def odd_responses(flows, users):
    for name in NAMES:
        Response.objects.create(assistant=flows, name=name, variations=[{"text": f"old {name}"}])
    return flows


@pytest.mark.parametrize("name", NAMES)
def test_writer_edits_a_response_with_any_rasa_name_through_the_api(api, odd_responses, name):
    caller = api("writer")
    path = "/responses/" + quote(name, safe="")
    got = caller.get(path)
    assert got.status_code == 200
    assert got.json() == {"name": name, "revision": 1, "variations": [{"text": f"old {name}"}]}
    saved = caller.put(path, {"variations": [{"text": "10 euros"}], "revision": 1})
    assert saved.status_code == 200
    assert saved.json() == {"name": name, "revision": 2, "variations": [{"text": "10 euros"}], "merge": None}
    assert Response.objects.get(assistant=odd_responses, name=name).variations == [{"text": "10 euros"}]


def test_the_api_answers_a_stale_revision_with_a_conflict(api, odd_responses):
    res = api("writer").put("/responses/utter_faq/ask_price", {"variations": [{"text": "x"}], "revision": 0})
    assert res.status_code == 409


def test_viewer_cannot_edit_a_response(api, odd_responses):
    res = api("viewer").put("/responses/utter_faq/ask_price", {"variations": [{"text": "x"}], "revision": 1})
    assert res.status_code == 403


def test_response_list_links_to_each_edit_page(client_for, odd_responses):
    html = client_for("viewer").get(f"/assistants/{odd_responses.slug}/responses/").content.decode()
    assert f'href="/assistants/{odd_responses.slug}/responses/utter_faq/ask_price/edit/"' in html
    assert f'href="/assistants/{odd_responses.slug}/responses/utter_don&#x27;t/edit/"' in html


def test_designers_rename_and_delete_responses_from_the_list_writers_only_edit(client_for, odd_responses):
    slug = odd_responses.slug
    designer = client_for("designer").get(f"/assistants/{slug}/responses/").content.decode()
    assert f'href="/assistants/{slug}/items/responses/utter_faq/ask_price/rename/"' in designer
    assert f'href="/assistants/{slug}/items/responses/utter_faq/ask_price/delete/"' in designer
    writer = client_for("writer").get(f"/assistants/{slug}/responses/").content.decode()
    assert "/rename/" not in writer and "/delete/" not in writer


def test_the_edit_page_shows_the_text_before_the_buttons(client_for, odd_responses):
    Response.objects.filter(name="utter:greet").update(
        variations=[{"buttons": [{"payload": "/SetSlots(drink=tea)", "title": "Tea"}], "text": "Hello!"}])
    page = client_for("writer").get(f"/assistants/{odd_responses.slug}/responses/utter:greet/edit/").content.decode()
    assert page.index("text: Hello!") < page.index("buttons:") < page.index("title: Tea") < page.index("payload:")


def test_writer_edits_utter_faq_ask_price_on_its_page(client_for, odd_responses):
    client = client_for("writer")
    url = f"/assistants/{odd_responses.slug}/responses/utter_faq/ask_price/edit/"
    page = client.get(url)
    assert page.status_code == 200
    assert "old utter_faq/ask_price" in page.content.decode()
    res = client.post(url, {"variations": "- text: It costs 10 euros.\n", "revision": "1"}, follow=True)
    assert "Saved utter_faq/ask_price" in res.content.decode()
    assert Response.objects.get(name="utter_faq/ask_price").variations == [{"text": "It costs 10 euros."}]


def test_the_edit_page_shows_why_variations_are_refused(client_for, odd_responses):
    url = f"/assistants/{odd_responses.slug}/responses/utter:greet/edit/"
    res = client_for("writer").post(url, {"variations": "text: not a list\n", "revision": "1"})
    assert res.status_code == 400
    assert "write a YAML list of variations, e.g. - text: Hello" in res.content.decode()


@pytest.mark.parametrize("name", ["utter_faq/ask_price", "utter_don't", "utter:greet", "utter hello"])
def test_new_responses_may_take_any_name_rasa_allows(assistant, users, name):
    services.response_save(user=users["owner"], assistant=assistant, name=name, variations=[{"text": "x"}],
                           revision=None)
    assert Response.objects.filter(assistant=assistant, name=name).exists()


def test_a_response_name_with_a_line_break_is_refused(assistant, users):
    with pytest.raises(ValidationFailed) as err:
        services.response_save(user=users["owner"], assistant=assistant, name="utter_x\n", variations=[{"text": "x"}],
                               revision=None)
    assert str(err.value) == ("name: 'utter_x\\n' is not a valid response name: it must not be empty or hold "
                              "line breaks or control characters")


def test_a_slot_imported_with_a_name_flows_cannot_use_can_still_be_edited(assistant, users):
    Slot.objects.create(assistant=assistant, name="user.city", type="text", definition={"type": "text"})
    slot = services.slot_save(user=users["owner"], assistant=assistant, name="user.city",
                              data={"type": "text", "influence_conversation": False}, revision=1)
    assert slot.revision == 2
    with pytest.raises(ValidationFailed) as err:
        services.slot_save(user=users["owner"], assistant=assistant, name="user.town", data={"type": "text"},
                           revision=None)
    assert str(err.value) == ("name: 'user.town' is not a valid slot name: start with a letter or _, then letters, "
                              "digits, _ and - (Rasa's rule for slots in flows)")
