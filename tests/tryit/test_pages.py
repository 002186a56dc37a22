"""The try-it page: who may open it, and the form fallback that works without JavaScript."""
import re

import pytest

from studio.tryit.models import Conversation

pytestmark = pytest.mark.django_db


def url(assistant) -> str:
    return f"/assistants/{assistant.slug}/try/"


@pytest.mark.parametrize("role", ("owner", "designer", "writer", "viewer"))
def test_every_role_can_open_the_try_it_page(shop, client_for, role):
    response = client_for(role).get(url(shop))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-ws-path="/ws/assistants/{shop.slug}/tryit/"' in html
    assert "Say something to start the conversation." in html


def test_the_outsider_gets_404_and_anonymous_users_are_sent_to_log_in(shop, client_for, client):
    assert client_for("outsider").get(url(shop)).status_code == 404
    response = client.get(url(shop))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_the_overview_links_to_try_it(shop, client_for):
    assert f'href="{url(shop)}"' in client_for("viewer").get(f"/assistants/{shop.slug}/").content.decode()


def test_the_form_fallback_runs_a_whole_conversation_with_buttons_and_inspector(shop, client_for):
    client = client_for("viewer")
    html = client.post(url(shop), {"text": "start flow buy"}).content.decode()
    conversation = Conversation.objects.get()
    assert '<li class="bubble bot">Which fruit?</li>' in html
    assert '<input type="hidden" name="text" value="/SetSlots(item=pear)">' in html
    assert f'href="/assistants/{shop.slug}/flows/buy/edit/#step=ask_item"' in html
    stack = re.search(r'<ol class="insp-list stack">(.*?)</ol>', html, re.S).group(1)
    assert re.findall(r"<li[^>]*><code>(\w+)</code>", stack) == ["pattern_collect_information", "buy"]

    html = client.post(url(shop), {"text": "/SetSlots(item=pear)", "conversation": conversation.pk}).content.decode()
    assert '<li class="bubble bot">One pear, coming up.</li>' in html
    assert "Stubbed (no action server): <code>action_reserve</code>" in html
    assert Conversation.objects.count() == 1


def test_htmx_posts_get_only_the_panel_partial(shop, client_for):
    response = client_for("viewer").post(url(shop), {"text": "start flow buy"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div class="tryit" id="tryit-panel" ') and "<html" not in html


def test_changed_slots_are_highlighted(demo, client_for):
    client = client_for("viewer")
    client.post(url(demo), {"text": "I want a coffee"})
    conversation = Conversation.objects.get()
    html = client.post(url(demo), {"text": "/SetSlots(drink=latte)", "conversation": conversation.pk}).content.decode()
    assert re.findall(r'<tr class="changed"><td><code>(\w+)</code></td><td>([^<]*)</td>', html) == [("drink", "&quot;latte&quot;")]
    assert "<td><code>size</code></td><td>null</td>" in html


def test_a_missing_or_oversized_text_is_an_error_on_the_page(shop, client_for):
    client = client_for("viewer")
    response = client.post(url(shop), {"conversation": ""})
    assert response.status_code == 422
    assert "field &#x27;text&#x27; is required for a message" in response.content.decode()
    assert not Conversation.objects.exists()
    response = client.post(url(shop), {"text": "x" * 2001})
    assert response.status_code == 422
    assert "text: must be at most 2000 characters (got 2001)" in response.content.decode()


@pytest.mark.parametrize("posted", ["²", "9" * 30, "nope"])
def test_a_conversation_id_that_is_not_one_starts_a_new_conversation(shop, client_for, posted):
    response = client_for("viewer").post(url(shop), {"text": "start flow buy", "conversation": posted})
    assert response.status_code == 200
    assert "Which fruit?" in response.content.decode()
    assert Conversation.objects.count() == 1


def test_a_broken_assistant_shows_the_problem_instead_of_a_server_error(shop, client_for):
    from studio.assistants.models import Flow

    Flow.objects.filter(assistant=shop, flow_id="buy").update(steps=[{"collect": "item", "next": "nowhere"}])
    type(shop).objects.filter(pk=shop.pk).update(revision=999)
    response = client_for("viewer").post(url(shop), {"text": "hi"})
    assert response.status_code == 422
    assert "The assistant cannot run until these are fixed:" in response.content.decode()


def test_reset_starts_a_new_conversation(shop, client_for):
    client = client_for("viewer")
    client.post(url(shop), {"text": "start flow buy"})
    first = Conversation.objects.get()
    html = client.post(url(shop), {"action": "reset", "conversation": first.pk}).content.decode()
    assert list(Conversation.objects.values_list("pk", flat=True)) != [first.pk]
    assert "The stack is empty." in html


def test_rejected_commands_and_the_raw_output_are_shown_with_their_reasons(shop, client_for):
    html = client_for("viewer").post(url(shop), {"text": "start flow nope"}).content.decode()
    assert "<li><code>start flow nope</code> — unknown flow &#x27;nope&#x27;</li>" in html
    assert "<details><summary>Raw output</summary><pre>start flow nope</pre></details>" in html
    assert "generator <b>scripted</b>" in html


def test_an_unreachable_llm_shows_its_prompt_and_error_in_the_inspector(shop, users, client_for, settings):
    from studio.assistants import services as content

    settings.LLM_ALLOW_INTERNAL_URLS = True  # the unreachable port is on loopback
    content.assistant_update(user=users["owner"], assistant=shop, settings={
        "generator": "llm", "llm": {"base_url": "http://127.0.0.1:9/v1", "max_retries": 0, "timeout": 2}})
    html = client_for("viewer").post(url(shop), {"text": "I would like to buy a pear"}).content.decode()
    assert "generator <b>llm</b>" in html
    assert re.search(r"<details><summary>Prompt</summary><pre>[^<]*buy a fruit", html)
    assert re.search(r'<p class="form-error">[^<]+</p>', html)


def test_the_operators_llm_settings_serve_assistants_without_their_own(shop, users, client_for, settings):
    from studio.assistants import services as content

    content.assistant_update(user=users["owner"], assistant=shop, settings={"generator": None})
    settings.LLM_BASE_URL = "http://127.0.0.1:9/v1"
    settings.LLM_API_KEY = "operator-key"
    settings.LLM_TIMEOUT = 2.0
    html = client_for("viewer").post(url(shop), {"text": "I would like to buy a pear"}).content.decode()
    assert "generator <b>llm</b>" in html


def test_the_inspector_says_when_the_offline_generator_chose_a_flow_by_meaning(demo, client_for):
    client = client_for("viewer")
    html = client.post(url(demo), {"text": "I want to complain about the service"}).content.decode()
    assert "How was your visit? Tell us anything." in html
    assert re.search(r'<p class="muted understanding-note">leave_feedback by meaning, not by its words: its own '
                     r'texts are nearest the message \(similarity 0\.\d\d, 0\.\d\d ahead of the next flow\)</p>', html)
    html = client.post(url(demo), {"action": "reset", "conversation": Conversation.objects.get().pk}).content.decode()
    html = client.post(url(demo), {"text": "I'd like to order a drink"}).content.decode()
    assert "understanding-note" not in html  # by its words: the commands say it all
