"""Custom action pages and API: list with usages, options editor, mock link, creation; roles, conflicts, exports."""
import json
import textwrap

import pytest

from studio.assistants.models import CustomAction
from tests.editor.forms_in_pages import changed_lines, exported, import_with_members, post_form

DOMAIN = textwrap.dedent("""\
    version: "3.1"
    # Actions the café's server runs.
    actions:
      - action_check_stock   # stock lookup
      - action_take_payment:
          send_domain: true
      - action_unused
    responses:
      utter_done:
        - text: Done.
    """)
FLOWS = textwrap.dedent("""\
    flows:
      order_drink:
        description: The user orders a drink.
        steps:
          - action: action_check_stock
          - action: action_take_payment
          - action: utter_done
    """)


@pytest.fixture
def cafe(users):
    return import_with_members(users, {"domain.yml": DOMAIN, "data/flows.yml": FLOWS})


def _url(assistant, name="", action="edit/"):
    return f"/assistants/{assistant.slug}/actions/{name + '/' if name else ''}{action}"


@pytest.mark.parametrize("role", ["owner", "designer", "writer", "viewer"])
def test_every_member_sees_the_action_list_with_usages(client_for, cafe, role):
    page = client_for(role).get(_url(cafe, action=""))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<tr data-action="action_check_stock">' in html
    assert 'data-used="0">0 places<' in html and 'data-used="1">1 place<' in html
    assert ("New action" in html) is (role in ("owner", "designer"))


def test_action_list_search_keeps_only_matching_actions(client_for, cafe):
    html = client_for("viewer").get(_url(cafe, action="") + "?q=payment").content.decode()
    assert 'data-action="action_take_payment"' in html and 'data-action="action_check_stock"' not in html


def test_outsider_gets_404_on_action_pages(client_for, cafe):
    assert client_for("outsider").get(_url(cafe, action="")).status_code == 404
    assert client_for("outsider").get(_url(cafe, "action_check_stock")).status_code == 404


def test_action_page_lists_its_usages_and_links_rename_delete_and_mock(client_for, cafe):
    from django.urls import NoReverseMatch, reverse

    html = client_for("designer").get(_url(cafe, "action_check_stock")).content.decode()
    assert f'href="/assistants/{cafe.slug}/flows/order_drink/edit/' in html
    assert f'href="/assistants/{cafe.slug}/items/actions/action_check_stock/rename/"' in html
    assert f'href="/assistants/{cafe.slug}/items/actions/action_check_stock/delete/"' in html
    try:
        mock_url = reverse("action_mock", kwargs={"slug": cafe.slug, "name": "action_check_stock"})
    except NoReverseMatch:
        pytest.skip("the action mock page is not installed")
    assert f'href="{mock_url}"' in html


@pytest.mark.parametrize("role", ["writer", "viewer"])
def test_writers_and_viewers_read_an_action_but_cannot_save_it(client_for, cafe, role):
    client = client_for(role)
    page = client.get(_url(cafe, "action_take_payment"))
    assert page.status_code == 200 and "send_domain: true" in page.content.decode()
    assert client.post(_url(cafe, "action_take_payment"), {"revision": "1"}).status_code == 403
    assert CustomAction.objects.get(assistant=cafe, name="action_take_payment").definition == {"send_domain": True}


def test_designer_turns_send_domain_on_and_the_export_changes_only_that_entry(client_for, users, cafe):
    before = exported(users, cafe)
    client = client_for("designer")
    data = dict(post_form(client.get(_url(cafe, "action_check_stock")).content.decode()), send_domain="on")
    assert client.post(_url(cafe, "action_check_stock"), data).status_code == 302
    assert CustomAction.objects.get(assistant=cafe, name="action_check_stock").definition == {"send_domain": True}
    # (The writer drops the comment of a plain entry that becomes a mapping.)
    assert changed_lines(before, exported(users, cafe)) == [
        "-  - action_check_stock   # stock lookup", "+  - action_check_stock:", "+      send_domain: true"]


def test_saving_an_unchanged_action_form_leaves_the_export_byte_identical(client_for, users, cafe):
    before = exported(users, cafe)
    client = client_for("designer")
    for name in ("action_check_stock", "action_take_payment"):
        data = post_form(client.get(_url(cafe, name)).content.decode())
        assert client.post(_url(cafe, name), data).status_code == 302
    assert exported(users, cafe) == before


def test_other_options_are_kept_through_an_edit(client_for, cafe):
    CustomAction.objects.filter(assistant=cafe, name="action_take_payment").update(
        definition={"send_domain": True, "x-timeout": 5})
    client = client_for("designer")
    data = post_form(client.get(_url(cafe, "action_take_payment")).content.decode())
    assert data["other"].strip() == "x-timeout: 5"
    data.pop("send_domain")
    assert client.post(_url(cafe, "action_take_payment"), data).status_code == 302
    assert CustomAction.objects.get(assistant=cafe, name="action_take_payment").definition == {"x-timeout": 5}


def test_a_stale_revision_is_a_409_and_nothing_is_saved(client_for, cafe):
    client = client_for("designer")
    data = post_form(client.get(_url(cafe, "action_check_stock")).content.decode())
    assert client.post(_url(cafe, "action_check_stock"), dict(data, send_domain="on")).status_code == 302
    late = client_for("owner").post(_url(cafe, "action_check_stock"), data)
    assert late.status_code == 409
    assert "was changed by someone else (now at revision 2)" in late.content.decode()
    assert CustomAction.objects.get(assistant=cafe, name="action_check_stock").definition == {"send_domain": True}


def test_other_options_that_are_not_a_mapping_are_refused_on_that_field(client_for, cafe):
    client = client_for("designer")
    data = dict(post_form(client.get(_url(cafe, "action_check_stock")).content.decode()), other="- a list")
    response = client.post(_url(cafe, "action_check_stock"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_other_error"' in html and "write a YAML mapping" in html


def test_designer_creates_an_action_and_lands_on_its_page(client_for, cafe):
    response = client_for("designer").post(_url(cafe, action="new/"), {"name": "action_refund", "send_domain": "on"})
    assert response.status_code == 302 and response["Location"] == _url(cafe, "action_refund")
    assert CustomAction.objects.get(assistant=cafe, name="action_refund").definition == {"send_domain": True}


def test_creating_an_action_with_a_taken_name_names_the_field(client_for, cafe):
    response = client_for("designer").post(_url(cafe, action="new/"), {"name": "action_unused"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_name_error"' in html and "an action named &#x27;action_unused&#x27; already exists" in html


def test_writer_cannot_create_an_action(client_for, cafe):
    assert client_for("writer").post(_url(cafe, action="new/"), {"name": "action_x"}).status_code == 403
    assert not CustomAction.objects.filter(assistant=cafe, name="action_x").exists()


# --- the API ----------------------------------------------------------------------------------------


def _put(client, cafe, name, body):
    return client.put(f"/api/assistants/{cafe.slug}/editor/actions/{name}", data=json.dumps(body),
                      content_type="application/json")


def test_api_lists_actions_with_usage_counts(client_for, cafe):
    listed = client_for("viewer").get(f"/api/assistants/{cafe.slug}/editor/actions?q=payment").json()
    assert listed == [{"name": "action_take_payment", "revision": 1, "definition": {"send_domain": True},
                       "used_in": 1}]


def test_api_action_save_and_409_on_a_stale_revision(client_for, cafe):
    client = client_for("designer")
    saved = _put(client, cafe, "action_unused", {"definition": {"send_domain": True}, "revision": 1})
    assert saved.status_code == 200 and saved.json()["revision"] == 2
    late = _put(client, cafe, "action_unused", {"definition": None, "revision": 1})
    assert late.status_code == 409 and late.json()["current"]["revision"] == 2


def test_api_refuses_send_domain_that_is_not_a_boolean(client_for, cafe):
    body = {"definition": {"send_domain": "yes"}, "revision": 1}
    response = _put(client_for("designer"), cafe, "action_unused", body)
    assert response.status_code == 422
    assert response.json()["detail"] == [{"loc": ["send_domain"], "msg": "must be true or false"}]


@pytest.mark.parametrize("role", ["writer", "viewer"])
def test_api_refuses_an_action_save_from_writers_and_viewers(client_for, cafe, role):
    assert _put(client_for(role), cafe, "action_unused", {"definition": None, "revision": 1}).status_code == 403
