"""Two writers saving one response through its page (no JavaScript): merged, or asked per overlap."""
import pytest

from studio.accounts.models import Membership
from studio.assistants.models import Response


@pytest.fixture
def wendy_client(flows, make_user):
    from django.test import Client

    wendy = make_user("wendy")
    Membership.objects.create(user=wendy, assistant=flows, role="writer")
    client = Client()
    client.force_login(wendy)
    return client


def page(flows):
    return f"/assistants/{flows.slug}/responses/utter_done/edit/"


def post(client, url, variations, **extra):
    return client.post(url, {"variations": variations, "revision": 1, "base": "- text: Done\n", **extra})


@pytest.fixture
def url(flows, client_for):
    from django.urls import reverse

    return reverse("response_edit", kwargs={"slug": flows.slug, "name": "utter_done"})


def test_the_page_carries_the_loaded_variations_as_the_merge_base(client_for, url):
    html = client_for("writer").get(url).content.decode()
    assert 'name="base" value="  - text: Done\n"' in html
    assert 'data-presence-path="/ws/assistants/pizza-bot/presence/responses/utter_done"' in html


def test_a_second_writer_adding_a_variation_keeps_the_first_writers_text(client_for, wendy_client, url):
    assert post(client_for("writer"), url, "- text: All done\n").status_code == 302

    res = post(wendy_client, url, "- text: Done\n- text: Finished\n")

    assert res.status_code == 302
    assert Response.objects.get(name="utter_done").variations == [{"text": "All done"}, {"text": "Finished"}]
    shown = wendy_client.get(url).content.decode()
    assert "Saved utter_done. Merged with writer&#x27;s revision 2: they changed variation 1; you changed variation 2." in shown


def test_the_same_text_changed_by_both_shows_base_theirs_and_mine_and_asks(client_for, wendy_client, url):
    post(client_for("writer"), url, "- text: All done\n")

    res = post(wendy_client, url, "- text: Finished\n")

    assert res.status_code == 409
    html = res.content.decode()
    assert ("utter_done was changed by writer (now at revision 2); 1 change overlaps yours: variation 1, field text"
            in html)
    assert "<legend>Variation 1: text</legend>" in html
    assert "<h3>Theirs (writer)</h3><pre>All done</pre>" in html and "<h3>Mine</h3><pre>Finished</pre>" in html
    assert Response.objects.get(name="utter_done").variations == [{"text": "All done"}]

    again = post(wendy_client, url, "- text: Finished\n", seen_revision=2, **{"resolve:0:text": "mine"})
    assert again.status_code == 302
    assert Response.objects.get(name="utter_done").variations == [{"text": "Finished"}]


def test_a_viewer_gets_no_form_and_cannot_post(client_for, url):
    assert 'name="base"' not in client_for("viewer").get(url).content.decode()
    assert post(client_for("viewer"), url, "- text: x\n").status_code == 403
