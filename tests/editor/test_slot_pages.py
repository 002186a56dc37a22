"""Slot pages: list with usages and search, the structured editor, creation; roles, conflicts, exports."""
import textwrap

import pytest

from studio.assistants.models import Slot
from tests.editor.forms_in_pages import NLU_CONFIG, changed_lines, exported, import_with_members, post_form

DOMAIN = textwrap.dedent("""\
    version: "3.1"
    # Slots of the café.
    slots:
      drink:
        type: categorical
        values: [latte, tea, water]   # what we serve
        mappings:
          - type: from_llm
            conditions:
              - active_flow: order_drink
      size:
        type: text
        influence_conversation: false
        validation:
          rejections:
            - if: not (slots.size in ["small", "large"])
              utter: utter_bad_size
        mappings:
          - type: from_entity
            entity: size
            intent: [inform]
      count:
        type: float
        min_value: 1
        max_value: 10
    responses:
      utter_ask_drink:
        - text: Which drink?
      utter_ask_size:
        - text: Which size?
      utter_bad_size:
        - text: Small or large, please.
      utter_ask_count:
        - text: How many?
    actions:
      - action_check_stock
    """)
FLOWS = textwrap.dedent("""\
    flows:
      order_drink:
        description: The user orders a drink.
        steps:
          - collect: drink
          - collect: size
          - collect: count
          - action: action_check_stock
    """)


def _form(client, url):
    """The edit form's fields as the page renders them (what a browser would post back)."""
    return post_form(client.get(url).content.decode())


@pytest.fixture
def cafe(users):
    return import_with_members(users, {"config.yml": NLU_CONFIG, "domain.yml": DOMAIN, "data/flows.yml": FLOWS})


def _url(assistant, name="", action="edit/"):
    return f"/assistants/{assistant.slug}/slots/{name + '/' if name else ''}{action}"


@pytest.mark.parametrize("role", ["owner", "designer", "writer", "viewer"])
def test_every_member_sees_the_slot_list_with_types_and_usages(client_for, cafe, role):
    page = client_for(role).get(f"/assistants/{cafe.slug}/slots/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<tr data-slot="drink">' in html and "categorical" in html
    assert 'data-used="1">1 place<' in html  # collect in order_drink
    assert ("New slot" in html) is (role in ("owner", "designer"))


def test_slot_list_search_keeps_only_matching_slots(client_for, cafe):
    html = client_for("viewer").get(f"/assistants/{cafe.slug}/slots/?q=float").content.decode()
    assert 'data-slot="count"' in html and 'data-slot="drink"' not in html


def test_outsider_gets_404_on_slot_pages(client_for, cafe):
    assert client_for("outsider").get(f"/assistants/{cafe.slug}/slots/").status_code == 404
    assert client_for("outsider").get(_url(cafe, "drink")).status_code == 404


@pytest.mark.parametrize("role", ["writer", "viewer"])
def test_writers_and_viewers_read_a_slot_but_cannot_save_it(client_for, cafe, role):
    client = client_for(role)
    page = client.get(_url(cafe, "drink"))
    assert page.status_code == 200 and "<pre>drink:" in page.content.decode()
    refused = client.post(_url(cafe, "drink"), {"type": "text", "revision": "1"})
    assert refused.status_code == 403
    assert Slot.objects.get(assistant=cafe, name="drink").type == "categorical"


def test_slot_page_lists_where_the_slot_is_used_with_links_to_the_step(client_for, cafe):
    html = client_for("viewer").get(_url(cafe, "drink")).content.decode()
    assert f'href="/assistants/{cafe.slug}/flows/order_drink/edit/' in html
    assert "collect" in html


def test_designer_changes_values_and_the_export_changes_only_that_line(client_for, users, cafe):
    before = exported(users, cafe)
    client = client_for("designer")
    data = _form(client, _url(cafe, "drink"))
    data["values"] = "latte\ntea\nwater\ncocoa"
    response = client.post(_url(cafe, "drink"), data)
    assert response.status_code == 302
    after = exported(users, cafe)
    assert changed_lines(before, after) == [
        "-    values: [latte, tea, water]   # what we serve",
        "+    values: [latte, tea, water, cocoa] # what we serve"]


def test_saving_an_unchanged_form_leaves_the_export_byte_identical(client_for, users, cafe):
    before = exported(users, cafe)
    client = client_for("designer")
    for name in ("drink", "size", "count"):
        assert client.post(_url(cafe, name), _form(client, _url(cafe, name))).status_code == 302
    assert exported(users, cafe) == before


def test_keys_the_form_does_not_know_are_kept_through_an_edit(client_for, cafe):
    client = client_for("designer")
    data = _form(client, _url(cafe, "size"))
    assert "validation:" in data["other"]
    data["influence_conversation"] = "true"
    assert client.post(_url(cafe, "size"), data).status_code == 302
    slot = Slot.objects.get(assistant=cafe, name="size")
    assert slot.definition["influence_conversation"] is True
    assert slot.definition["validation"]["rejections"][0]["utter"] == "utter_bad_size"
    assert slot.definition["mappings"] == [{"type": "from_entity", "entity": "size", "intent": ["inform"]}]


def test_designer_adds_a_mapping_with_a_condition(client_for, cafe):
    client = client_for("designer")
    data = _form(client, _url(cafe, "count"))
    data.update({"mappings-0-type": "from_text", "mappings-0-conditions-0-active_flow": "order_drink",
                 "mappings-0-conditions-0-requested_slot": "count"})
    assert client.post(_url(cafe, "count"), data).status_code == 302
    slot = Slot.objects.get(assistant=cafe, name="count")
    assert slot.definition["mappings"] == [
        {"type": "from_text", "conditions": [{"active_flow": "order_drink", "requested_slot": "count"}]}]


def test_designer_removes_a_condition_and_keeps_the_mapping(client_for, cafe):
    client = client_for("designer")
    data = _form(client, _url(cafe, "drink"))
    data["mappings-0-conditions-0-DELETE"] = "on"
    assert client.post(_url(cafe, "drink"), data).status_code == 302
    assert Slot.objects.get(assistant=cafe, name="drink").definition["mappings"] == [{"type": "from_llm"}]


def test_a_stale_revision_is_a_409_and_nothing_is_saved(client_for, cafe):
    client = client_for("designer")
    data = _form(client, _url(cafe, "drink"))
    first = dict(data, values="latte")
    assert client.post(_url(cafe, "drink"), first).status_code == 302
    late = client_for("owner").post(_url(cafe, "drink"), dict(data, values="tea"))
    assert late.status_code == 409
    assert "was changed by someone else (now at revision 2)" in late.content.decode()
    assert Slot.objects.get(assistant=cafe, name="drink").definition["values"] == ["latte"]


def test_categorical_slot_without_values_is_refused_on_the_values_field(client_for, cafe):
    client = client_for("designer")
    data = dict(_form(client, _url(cafe, "drink")), values="")
    response = client.post(_url(cafe, "drink"), data)
    assert response.status_code == 400
    assert "categorical slot &#x27;drink&#x27; needs a list of &#x27;values&#x27;" in response.content.decode()
    assert Slot.objects.get(assistant=cafe, name="drink").definition["values"] == ["latte", "tea", "water"]


def test_an_initial_value_the_slot_cannot_hold_is_refused_naming_the_field(client_for, cafe):
    client = client_for("designer")
    data = dict(_form(client, _url(cafe, "count")), initial_value="many")
    response = client.post(_url(cafe, "count"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "&#x27;many&#x27; is not a value a float slot can hold" in html
    assert 'id="id_initial_value_error"' in html


def test_other_keys_that_are_not_yaml_are_refused_on_that_field(client_for, cafe):
    client = client_for("designer")
    data = dict(_form(client, _url(cafe, "size")), other="validation: [")
    response = client.post(_url(cafe, "size"), data)
    assert response.status_code == 400
    assert 'id="id_other_error"' in response.content.decode()


def test_designer_creates_a_slot_and_lands_on_its_page(client_for, cafe):
    client = client_for("designer")
    response = client.post(_url(cafe, action="new/"), {
        "name": "milk", "type": "categorical", "values": "oat\nsoy", "initial_value": "oat",
        "mappings-TOTAL_FORMS": "1", "mappings-INITIAL_FORMS": "0", "mappings-0-type": "from_llm",
        "mappings-0-conditions-TOTAL_FORMS": "1", "mappings-0-conditions-INITIAL_FORMS": "0"})
    assert response.status_code == 302 and response["Location"] == _url(cafe, "milk")
    assert Slot.objects.get(assistant=cafe, name="milk").to_rasa() == {
        "type": "categorical", "values": ["oat", "soy"], "initial_value": "oat", "mappings": [{"type": "from_llm"}]}


def test_creating_a_slot_with_a_taken_name_names_the_field(client_for, cafe):
    response = client_for("designer").post(_url(cafe, action="new/"), {
        "name": "drink", "type": "text", "mappings-TOTAL_FORMS": "0", "mappings-INITIAL_FORMS": "0"})
    assert response.status_code == 400
    assert "a slot named &#x27;drink&#x27; already exists" in response.content.decode()


def test_writer_cannot_open_the_new_slot_form(client_for, cafe):
    assert client_for("writer").get(_url(cafe, action="new/")).status_code == 403


def test_slot_page_links_to_the_rename_and_delete_previews(client_for, cafe):
    html = client_for("designer").get(_url(cafe, "drink")).content.decode()
    assert f'href="/assistants/{cafe.slug}/items/slots/drink/rename/"' in html
    assert f'href="/assistants/{cafe.slug}/items/slots/drink/delete/"' in html


# --- the API: the same services behind /api/assistants/{slug}/editor/slots ------------------------


def _api(client_for, role, cafe):
    import json

    client, base = client_for(role), f"/api/assistants/{cafe.slug}/editor/slots"

    def put(name, body):
        return client.put(f"{base}/{name}", data=json.dumps(body), content_type="application/json")

    return client, base, put


def test_api_lists_slots_with_their_usage_counts(client_for, cafe):
    client, base, _ = _api(client_for, "viewer", cafe)
    listed = client.get(f"{base}?q=drink").json()
    assert listed == [{"name": "drink", "type": "categorical", "revision": 1, "used_in": 1}]


def test_api_slot_has_its_whole_definition_and_usages(client_for, cafe):
    client, base, _ = _api(client_for, "writer", cafe)
    body = client.get(f"{base}/size").json()
    assert body["definition"]["validation"]["rejections"][0]["utter"] == "utter_bad_size"
    assert [u["where"] for u in body["usages"]] == ["flow order_drink, step order_drink_1_collect_size: collect",
                                                    "slot size: validation condition"]


def test_api_save_keeps_keys_the_studio_does_not_model_and_bumps_the_revision(client_for, cafe):
    _, _, put = _api(client_for, "designer", cafe)
    definition = {"type": "text", "allow_llm_set": False, "shared_for_coexistence": True,
                  "mappings": [{"type": "from_text"}, {"type": "from_llm", "allow_nlu_correction": True}]}
    response = put("size", {"definition": definition, "revision": 1})
    assert response.status_code == 200
    assert response.json()["revision"] == 2
    assert Slot.objects.get(assistant=cafe, name="size").definition == definition


def test_api_refuses_nlu_correction_on_a_mapping_rasa_refuses_it_on(client_for, cafe):
    # rasa_verdicts/nlu_correction_on_entity_mapping: only a from_llm mapping may allow NLU corrections.
    _, _, put = _api(client_for, "designer", cafe)
    response = put("size", {"definition": {"type": "text", "mappings": [{"type": "from_text", "allow_nlu_correction": True}]},
                            "revision": 1})
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"][-1] == "mappings" and "allow_nlu_correction belongs on a from_llm mapping" in problem["msg"]


def test_api_save_with_a_stale_revision_is_a_409_with_the_current_slot(client_for, cafe):
    _, _, put = _api(client_for, "designer", cafe)
    assert put("count", {"definition": {"type": "float"}, "revision": 1}).status_code == 200
    late = put("count", {"definition": {"type": "text"}, "revision": 1})
    assert late.status_code == 409
    assert late.json()["current"] == {"name": "count", "revision": 2, "definition": {"type": "float"}}


def test_api_refuses_a_slot_the_engine_refuses_naming_the_field(client_for, cafe):
    _, _, put = _api(client_for, "designer", cafe)
    response = put("drink", {"definition": {"type": "colour"}, "revision": 1})
    assert response.status_code == 422
    assert response.json()["detail"] == [{"loc": ["type"], "msg": "slot 'drink' has unknown type 'colour'"}]


@pytest.mark.parametrize("role", ["writer", "viewer"])
def test_api_refuses_a_slot_save_from_writers_and_viewers(client_for, cafe, role):
    _, _, put = _api(client_for, role, cafe)
    assert put("drink", {"definition": {"type": "text"}, "revision": 1}).status_code == 403


def test_api_refuses_a_key_no_rasa_slot_takes_naming_it(client_for, cafe):
    _, _, put = _api(client_for, "designer", cafe)
    response = put("size", {"definition": {"type": "text", "colour": "blue"}, "revision": 1})
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["other"], "msg": "slot 'size' has keys a text slot does not take: colour"}]


def test_overview_links_to_the_slot_and_action_pages(client_for, cafe):
    html = client_for("viewer").get(f"/assistants/{cafe.slug}/").content.decode()
    assert f'href="/assistants/{cafe.slug}/slots/">slots</a>' in html
    assert f'href="/assistants/{cafe.slug}/actions/">custom actions</a>' in html


def test_htmx_slot_search_renders_only_the_table(client_for, cafe):
    html = client_for("viewer").get(f"/assistants/{cafe.slug}/slots/?q=size", HTTP_HX_REQUEST="true").content.decode()
    assert html.lstrip().startswith('<section class="card" id="slot-table">')
    assert 'data-slot="size"' in html and 'data-slot="drink"' not in html


def test_a_created_slot_is_exported_into_the_projects_domain_file(client_for, users, cafe):
    before = exported(users, cafe)
    response = client_for("designer").post(_url(cafe, action="new/"), {
        "name": "milk", "type": "bool", "initial_value": "false",
        "mappings-TOTAL_FORMS": "0", "mappings-INITIAL_FORMS": "0"})
    assert response.status_code == 302
    added = changed_lines(before, exported(users, cafe))
    assert added == ["+  milk:", "+    type: bool", "+    initial_value: false"]
