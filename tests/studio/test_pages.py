"""Server-rendered pages: login, dashboard, overview, create and delete, per role."""
import re

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from studio.assistants.models import Assistant
from studio.assistants.services import flow_create
from tests.conftest import PASSWORD

ROLES = ("owner", "designer", "writer", "viewer")


def test_login_page_renders_and_logs_in(users):
    client = Client()
    assert client.get("/login/").status_code == 200
    response = client.post("/login/", {"username": "viewer", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "Pizza Bot" in client.get("/").content.decode()


def test_wrong_password_shows_an_error_not_a_crash(users):
    response = Client().post("/login/", {"username": "viewer", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_logout_ends_the_session(client_for):
    client = client_for("viewer")
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("url", ["/", "/assistants/pizza-bot/", "/assistants/pizza-bot/delete/"])
def test_anonymous_visitors_are_sent_to_login(assistant, url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_overview_with_counts(client_for, assistant, role):
    response = client_for(role).get(f"/assistants/{assistant.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"your role: {role}" in html
    assert 'data-count="flows">0<' in html
    assert ("Delete</a>" in html) == (role == "owner")


def test_outsider_gets_404_on_the_overview_and_delete_pages(client_for, assistant):
    client = client_for("outsider")
    for url in (f"/assistants/{assistant.slug}/", f"/assistants/{assistant.slug}/delete/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Assistant &#x27;pizza-bot&#x27; not found" in response.content.decode()
    assert client.post(f"/assistants/{assistant.slug}/delete/", {"confirm": "pizza-bot"}).status_code == 404
    assert Assistant.objects.filter(pk=assistant.pk).exists()


@pytest.mark.parametrize("role", ("designer", "writer", "viewer"))
def test_only_the_owner_may_delete_through_the_page(client_for, assistant, role):
    client = client_for(role)
    assert client.get(f"/assistants/{assistant.slug}/delete/").status_code == 403
    assert client.post(f"/assistants/{assistant.slug}/delete/", {"confirm": "pizza-bot"}).status_code == 403
    assert Assistant.objects.filter(pk=assistant.pk).exists()


def test_owner_deletes_after_typing_the_slug(client_for, assistant):
    client = client_for("owner")
    response = client.post(f"/assistants/{assistant.slug}/delete/", {"confirm": "wrong"})
    assert response.status_code == 400
    assert "confirm: Type pizza-bot to confirm" in response.content.decode()
    response = client.post(f"/assistants/{assistant.slug}/delete/", {"confirm": "pizza-bot"})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert not Assistant.objects.filter(pk=assistant.pk).exists()


def test_htmx_delete_redirects_the_browser(client_for, assistant):
    response = client_for("owner").post(
        f"/assistants/{assistant.slug}/delete/", {"confirm": "pizza-bot"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/"


def test_dashboard_lists_only_the_users_assistants(client_for, assistant, make_assistant, users):
    make_assistant(users["outsider"], name="Secret Bot")
    html = client_for("viewer").get("/").content.decode()
    assert "Pizza Bot" in html and "Secret Bot" not in html


def test_the_assistants_address_without_a_slug_leads_to_the_dashboard(client_for):
    response = client_for("viewer").get("/assistants/")
    assert response.status_code == 302 and response["Location"] == "/"


def test_creating_an_assistant_from_the_dashboard_opens_it(client_for):
    response = client_for("outsider").post("/assistants/new/", {"name": "Help Desk", "language": "en"})
    assert (response.status_code, response["Location"]) == (302, "/assistants/help-desk/")
    assert Assistant.objects.get(slug="help-desk").memberships.get().role == "owner"


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"name": "", "language": "en"}, "Name: This field is required."),
        ({"name": "Bot", "language": "not a code"}, "Language: &#x27;not a code&#x27; is not a language code"),
        ({"name": "x" * 200, "language": "en"}, "Name: Ensure this value has at most 120 characters"),
    ],
)
def test_bad_create_form_is_400_naming_the_field(client_for, form, message):
    response = client_for("owner").post("/assistants/new/", form)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_htmx_create_error_renders_only_the_form(client_for):
    response = client_for("owner").post("/assistants/new/", {"name": ""}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 400
    assert html.lstrip().startswith('<form id="create-form"')
    assert "<html" not in html


def test_base_template_sets_csrf_header_and_serves_htmx_locally(client_for, assistant):
    html = client_for("viewer").get("/").content.decode()
    assert "hx-headers='{\"X-CSRFToken\":" in html
    assert '/static/django_htmx/htmx' in html
    assert "https://" not in html.split("<body")[0]


def test_every_hx_get_also_has_an_href(client_for, assistant):
    for url in ("/", f"/assistants/{assistant.slug}/"):
        html = client_for("owner").get(url).content.decode()
        for tag in re.findall(r"<[^>]*hx-get=[^>]*>", html):
            assert "href=" in tag, tag


def test_static_css_is_served(client_for):
    response = client_for("viewer").get("/static/css/studio.css")
    assert response.status_code == 200


def test_overview_lists_flows_with_links_to_the_editor(client_for, assistant, users):
    flow_create(user=users["owner"], assistant=assistant, flow_id="greet",
                data={"description": "Say hello", "steps": [{"action": "utter_greet"}]})
    flow_create(user=users["owner"], assistant=assistant, flow_id="pattern_chitchat",
                data={"description": "Chitchat", "steps": [{"action": "utter_chitchat"}]})
    html = client_for("viewer").get(f"/assistants/{assistant.slug}/").content.decode()
    try:
        expected = reverse("flow_editor", args=[assistant.slug, "greet"])
    except NoReverseMatch:  # the editor app is not installed
        expected = "#flow-greet"
    assert f'href="{expected}"><code>greet</code>' in html
    assert 'data-count="flows">1<' in html and 'data-count="patterns">1<' in html
    assert f'href="/assistants/{assistant.slug}/system-flows/"' in html  # every built-in pattern, from the count


def test_htmx_create_sends_the_browser_to_the_new_assistant(client_for):
    response = client_for("owner").post("/assistants/new/", {"name": "Quick", "language": "en"}, HTTP_HX_REQUEST="true")
    assert (response.status_code, response["HX-Redirect"]) == (200, "/assistants/quick/")


def test_unknown_pages_get_the_studio_404(client_for):
    response = client_for("viewer").get("/no/such/page/")
    assert response.status_code == 404
    assert "Not found" in response.content.decode()
