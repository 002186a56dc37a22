"""The responses list: search (name or text), filters (unused, missing text, by flow), usage counts; "used in" links."""
import textwrap

import pytest

from tests.editor.forms_in_pages import import_with_members

DOMAIN = textwrap.dedent("""\
    version: "3.1"
    responses:
      utter_greet:
        - text: Hello there!
      utter_bye:
        - text: See you soon.
      utter_card:
        - custom: {type: card}
      utter_orphan:
        - text: Nobody says me.
    """)
FLOWS = textwrap.dedent("""\
    flows:
      welcome:
        description: greet the user
        steps:
          - id: say_hello
            action: utter_greet
          - action: utter_card
      leave:
        description: say goodbye
        steps:
          - action: utter_bye
    """)


@pytest.fixture
def bot(users):
    return import_with_members(users, {"domain.yml": DOMAIN, "data/flows.yml": FLOWS})


def _shown(client, bot, query=""):
    html = client.get(f"/assistants/{bot.slug}/responses/{query}").content.decode()
    return [name for name in ("utter_greet", "utter_bye", "utter_card", "utter_orphan")
            if f'data-response="{name}"' in html]


def test_search_matches_the_name_or_the_text(client_for, bot):
    assert _shown(client_for("viewer"), bot, "?q=soon") == ["utter_bye"]
    assert _shown(client_for("viewer"), bot, "?q=greet") == ["utter_greet"]


def test_unused_filter_shows_responses_nothing_names(client_for, bot):
    assert _shown(client_for("writer"), bot, "?show=unused") == ["utter_orphan"]


def test_missing_text_filter_shows_responses_without_any_text(client_for, bot):
    assert _shown(client_for("writer"), bot, "?show=missing_text") == ["utter_card"]


def test_flow_filter_shows_the_responses_a_flow_uses(client_for, bot):
    assert _shown(client_for("viewer"), bot, "?flow=welcome") == ["utter_greet", "utter_card"]


def test_list_counts_where_each_response_is_used(client_for, bot):
    html = client_for("viewer").get(f"/assistants/{bot.slug}/responses/").content.decode()
    assert 'data-used="0">0 places<' in html and 'data-used="1">1 place<' in html


def test_htmx_search_renders_only_the_table(client_for, bot):
    html = client_for("viewer").get(f"/assistants/{bot.slug}/responses/?q=bye", HTTP_HX_REQUEST="true").content.decode()
    assert html.lstrip().startswith('<section class="card" id="response-table">')
    assert 'data-response="utter_bye"' in html and 'data-response="utter_greet"' not in html


def test_edit_page_links_each_usage_to_its_step(client_for, bot):
    html = client_for("writer").get(f"/assistants/{bot.slug}/responses/utter_greet/edit/").content.decode()
    assert f'href="/assistants/{bot.slug}/flows/welcome/edit/#step=say_hello"' in html


def test_outsider_gets_404_on_the_response_list(client_for, bot):
    assert client_for("outsider").get(f"/assistants/{bot.slug}/responses/").status_code == 404
