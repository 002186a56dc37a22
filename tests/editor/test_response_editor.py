"""The structured response editor: each widget round-trips to Rasa's shape, without JavaScript."""
import pytest
import yaml
from django.urls import reverse

from studio.assistants import services
from studio.assistants.models import Response
from studio.editor.response_conditions import build_condition, parse_condition
from tests.editor.forms_in_pages import changed_lines, exported, import_with_members, post_form

DOMAIN = """\
version: "3.1"
intents:
  - later
slots:
  tier:
    type: categorical
    values: [gold, silver]
    mappings: [{type: from_llm}]
  amount:
    type: float
    initial_value: 20
    mappings: [{type: from_llm}]
  confirmed:
    type: bool
    mappings: [{type: from_llm}]
responses:
  utter_offer:
  - text: "Gold offer for {amount}"   # shown to gold members
    condition: slots.tier = "gold"
    buttons:
    - title: "Yes"
      payload: "/SetSlots(confirmed=true)"
    - title: Later
      payload: /later
    metadata:
      rephrase: true
      rephrase_prompt: Say it nicely
    id: offer_gold
  - text: Standard offer.
    condition:
    - type: slot
      name: tier
      value: silver
  - text: Plain offer.
    custom: {payload_type: card, size: 2}
    channel: slack
"""
FLOWS = """\
flows:
  offer:
    description: make an offer
    steps:
    - action: utter_offer
"""


@pytest.fixture
def bot(users):
    return import_with_members(users, {"endpoints.yml": "nlg:\n  type: rephrase\n", "domain.yml": DOMAIN, "data/flows.yml": FLOWS})


def url(bot, name="utter_offer"):
    return reverse("response_edit", args=[bot.slug, name])


def form_of(html):
    """The page's response form as a browser would submit it untouched (the comment form left out)."""
    return {k: v for k, v in post_form(html).items() if k.startswith("v-") or k in ("revision", "base")}


def variations(bot, name="utter_offer"):
    return Response.objects.get(assistant=bot, name=name).variations


def saved_with(client, bot, **changes):
    data = {**form_of(client.get(url(bot)).content.decode()), **changes, "op": "save"}
    return client.post(url(bot), data)


@pytest.mark.parametrize("role", ["owner", "designer", "writer"])
def test_writers_and_up_get_the_structured_form(client_for, bot, role):
    html = client_for(role).get(url(bot)).content.decode()
    assert 'name="v-0-text"' in html and ">Edit as YAML</a>" in html


def test_a_viewer_reads_the_yaml_and_preview_but_gets_no_form(client_for, bot):
    html = client_for("viewer").get(url(bot)).content.decode()
    assert 'name="v-0-text"' not in html and "Gold offer for 20" in html
    assert client_for("viewer").post(url(bot), {"op": "save", "v-total": "0"}).status_code == 403


def test_an_outsider_gets_404(client_for, bot):
    assert client_for("outsider").get(url(bot)).status_code == 404


def test_the_form_shows_every_widget_of_the_loaded_variations(client_for, bot):
    data = form_of(client_for("writer").get(url(bot)).content.decode())
    assert data["v-total"] == "3"
    assert (data["v-0-c-0-slot"], data["v-0-c-0-op"], data["v-0-c-0-value"]) == ("tier", "=", "gold")
    assert (data["v-0-b-0-kind"], data["v-0-b-0-s-0-slot"], data["v-0-b-0-s-0-value"]) == ("slots", "confirmed", "true")
    assert (data["v-0-b-1-kind"], data["v-0-b-1-intent"]) == ("intent", "later")
    assert data["v-0-rephrase"] == "1"
    assert data["v-0-extra"] == "id: offer_gold\nmetadata:\n  rephrase_prompt: Say it nicely\n"
    assert data["v-1-cond-list"] == "1" and data["v-1-c-0-value"] == "silver"
    # PostgreSQL's jsonb keeps a mapping's keys in its own order: compare the mapping, not its text.
    assert yaml.safe_load(data["v-2-custom"]) == {"payload_type": "card", "size": 2}
    assert data["v-2-channel"] == "slack"


def test_an_unchanged_save_keeps_the_variations_and_the_export_byte_identical(client_for, users, bot):
    before_rows, before = variations(bot), exported(users, bot)
    assert saved_with(client_for("writer"), bot).status_code == 302
    assert variations(bot) == before_rows
    assert exported(users, bot) == before


def test_a_text_change_changes_one_line_of_the_export(client_for, users, bot):
    before = exported(users, bot)
    assert saved_with(client_for("writer"), bot, **{"v-1-text": "Silver offer."}).status_code == 302
    assert changed_lines(before, exported(users, bot)) == ["-  - text: Standard offer.", "+  - text: Silver offer."]


def test_each_widget_saves_in_rasas_shape(client_for, bot):
    res = saved_with(client_for("writer"), bot, **{
        "v-2-text": "Hi {tier}", "v-2-c-total": "2", "v-2-join": "or", "v-2-c-0-slot": "tier", "v-2-c-0-op": "is not",
        "v-2-c-0-value": "gold", "v-2-c-1-slot": "amount", "v-2-c-1-op": ">", "v-2-c-1-value": "10",
        "v-2-b-total": "1", "v-2-b-0-title": "Gold", "v-2-b-0-kind": "slots", "v-2-b-0-s-total": "2",
        "v-2-b-0-s-0-slot": "tier", "v-2-b-0-s-0-value": "gold", "v-2-b-0-s-1-slot": "confirmed",
        "v-2-b-0-s-1-value": "true", "v-2-rephrase": "1", "v-2-template": "jinja",
        "v-2-custom": '{"kind": "map", "zoom": 3}', "v-2-image": "https://example.com/a.png", "v-2-channel": ""})
    assert res.status_code == 302
    assert variations(bot)[2] == {
        "text": "Hi {tier}", "condition": 'slots.tier is not "gold" or slots.amount > 10',
        "buttons": [{"title": "Gold", "payload": "/SetSlots(tier=gold, confirmed=true)"}],
        "custom": {"kind": "map", "zoom": 3}, "image": "https://example.com/a.png",
        "metadata": {"rephrase": True, "template": "jinja"}}


def test_the_payload_builder_writes_intents_and_keeps_free_text(client_for, bot):
    saved_with(client_for("writer"), bot, **{"v-0-b-0-kind": "intent", "v-0-b-0-intent": "affirm",
                                            "v-0-b-1-kind": "text", "v-0-b-1-payload": "I'll think about it"})
    assert variations(bot)[0]["buttons"] == [{"title": "Yes", "payload": "/affirm"},
                                             {"title": "Later", "payload": "I'll think about it"}]


def test_a_set_slots_button_naming_no_slot_is_refused_with_the_field_named(client_for, bot):
    before = variations(bot)
    res = saved_with(client_for("writer"), bot, **{"v-0-b-0-s-0-slot": "colour"})
    assert res.status_code == 400
    assert ("Variation 1, buttons: button 1: the assistant has no slot &#x27;colour&#x27; "
            "(Rasa ignores the whole payload then)") in res.content.decode()
    assert variations(bot) == before


def test_a_custom_payload_that_is_not_a_mapping_is_refused(client_for, bot):
    res = saved_with(client_for("writer"), bot, **{"v-2-custom": "- just\n- a list\n"})
    assert res.status_code == 400
    assert "Variation 3, custom: write a mapping (key: value in YAML, or a JSON object)" in res.content.decode()


def test_a_too_deep_json_custom_payload_is_refused_by_the_bounded_loader(client_for, bot):
    res = saved_with(client_for("writer"), bot, **{"v-2-custom": "{" + '"a":{' * 150 + "}" * 151})
    assert res.status_code == 400
    assert "Variation 3, custom: not accepted: nesting deeper than 100 levels" in res.content.decode()


def test_the_engine_schema_names_the_field_it_refuses(client_for, bot):
    res = saved_with(client_for("writer"), bot, **{"v-1-text": "", "v-1-extra": "colour: red\n"})
    html = res.content.decode()
    assert res.status_code == 400
    assert "Variation 2, text: needs &#x27;text&#x27; or &#x27;custom&#x27;" in html
    assert "Variation 2, extra: &#x27;colour&#x27; is not a key Rasa knows in a response" in html


def test_a_broken_predicate_is_refused_at_the_condition(client_for, bot):
    res = saved_with(client_for("writer"), bot, **{"v-0-cond-raw": "slots.tier = = gold"})
    assert res.status_code == 400
    assert "Variation 1, condition: condition &#x27;slots.tier = = gold&#x27; does not parse" in res.content.decode()


def test_unknown_keys_in_the_other_keys_box_are_kept(client_for, bot):
    saved_with(client_for("writer"), bot, **{"v-0-text": "Gold offer!"})
    first = variations(bot)[0]
    assert first["id"] == "offer_gold" and first["metadata"] == {"rephrase_prompt": "Say it nicely", "rephrase": True}


def test_the_old_list_condition_stays_a_list_until_an_operator_needs_a_predicate(client_for, bot):
    saved_with(client_for("writer"), bot, **{"v-1-c-0-value": "gold"})
    assert variations(bot)[1]["condition"] == [{"type": "slot", "name": "tier", "value": "gold"}]
    saved_with(client_for("writer"), bot, **{"v-1-c-0-op": "!="})
    assert variations(bot)[1]["condition"] == 'slots.tier != "gold"'


def test_add_and_remove_buttons_rerender_the_posted_form_without_saving(client_for, bot):
    client = client_for("writer")
    data = {**form_of(client.get(url(bot)).content.decode()), "v-0-text": "typed"}
    html = client.post(url(bot), {**data, "op": "add-variation"}).content.decode()
    after = form_of(html)
    assert after["v-total"] == "4" and after["v-0-text"] == "typed" and after["v-3-text"] == ""
    after = form_of(client.post(url(bot), {**after, "op": "add-button:3"}).content.decode())
    after = form_of(client.post(url(bot), {**after, "op": "add-condition:3"}).content.decode())
    assert after["v-3-b-total"] == "1" and after["v-3-b-0-kind"] == "slots" and after["v-3-c-total"] == "1"
    after = form_of(client.post(url(bot), {**after, "op": "remove-variation:0"}).content.decode())
    assert after["v-total"] == "3" and after["v-0-text"] == "Standard offer."
    assert variations(bot)[0]["text"] == "Gold offer for {amount}"


def test_htmx_add_button_swaps_only_the_form(client_for, bot):
    client = client_for("writer")
    data = {**form_of(client.get(url(bot)).content.decode()), "op": "add-button:1"}
    html = client.post(url(bot), data, HTTP_HX_REQUEST="true").content.decode()
    assert html.lstrip().startswith('<form method="post" id="response-form"') and 'name="v-1-b-0-title"' in html


def test_the_preview_fills_placeholders_and_warns_about_unknown_slots(client_for, bot):
    client = client_for("writer")
    data = {**form_of(client.get(url(bot)).content.decode()), "v-1-text": "Hi {tier}, {colour} costs {amount}",
            "op": "preview"}
    html = client.post(url(bot), data, HTTP_HX_REQUEST="true").content.decode()
    assert html.lstrip().startswith('<aside id="response-preview"')
    assert "Gold offer for 20" in html  # amount's initial value
    assert "Variation 2: {colour} names no slot of this assistant" in html
    assert "Hi {tier}, {colour} costs {amount}" in html  # Rasa leaves a text with an unknown slot as it is
    assert Response.objects.get(assistant=bot, name="utter_offer").revision == 1


def test_the_jinja_preview_renders_in_the_sandbox_and_warns_too(client_for, bot):
    client = client_for("writer")
    data = {**form_of(client.get(url(bot)).content.decode()), "v-1-template": "jinja",
            "v-1-text": "{{ tier }} / {{ nope }} / {{ ''.__class__ }}", "op": "preview"}
    html = client.post(url(bot), data, HTTP_HX_REQUEST="true").content.decode()
    assert "gold / " in html and "Variation 2: {{ nope }} names no slot of this assistant" in html
    assert "&lt;class" not in html  # the sandbox refuses attribute access on internals


def test_a_stale_structured_save_merges_with_the_other_writers_change(client_for, bot, users):
    client = client_for("writer")
    data = form_of(client.get(url(bot)).content.decode())
    services.response_save(user=users["owner"], assistant=bot, name="utter_offer", revision=1,
                           variations=[*variations(bot)[:2], {**variations(bot)[2], "text": "Owner's plain offer."}])
    res = client.post(url(bot), {**data, "v-1-text": "Silver offer.", "op": "save"})
    assert res.status_code == 302
    assert [v["text"] for v in variations(bot)] == ["Gold offer for {amount}", "Silver offer.", "Owner's plain offer."]


def test_the_yaml_mode_is_a_link_away_and_saves_through_the_same_service(client_for, bot):
    client = client_for("writer")
    html = client.get(url(bot) + "?mode=yaml").content.decode()
    assert 'name="variations"' in html and ">Edit with the form</a>" in html
    res = client.post(url(bot), {"variations": "- text: Only one\n", "revision": "1"})
    assert res.status_code == 302 and variations(bot) == [{"text": "Only one"}]


@pytest.mark.parametrize("role", ["owner", "designer", "writer"])
def test_writers_and_up_save_through_the_form(client_for, bot, role):
    assert saved_with(client_for(role), bot, **{"v-2-text": f"Plain, by the {role}."}).status_code == 302
    assert variations(bot)[2]["text"] == f"Plain, by the {role}."


def test_a_condition_row_on_a_slot_the_assistant_lacks_is_refused(client_for, bot):
    res = saved_with(client_for("writer"), bot, **{"v-0-c-0-slot": "colour"})
    assert res.status_code == 400
    assert "Variation 1, condition: condition 1: the assistant has no slot &#x27;colour&#x27;" in res.content.decode()


def test_edit_as_predicate_turns_the_rows_into_a_predicate_box(client_for, bot):
    client = client_for("writer")
    data = {**form_of(client.get(url(bot)).content.decode()), "op": "raw-condition:0"}
    after = form_of(client.post(url(bot), data).content.decode())
    assert after["v-0-cond-raw"] == 'slots.tier = "gold"' and "v-0-c-total" not in after
    client.post(url(bot), {**after, "v-0-cond-raw": 'slots.tier = "gold" and (slots.amount > 5 or slots.confirmed)',
                           "op": "save"})
    assert variations(bot)[0]["condition"] == 'slots.tier = "gold" and (slots.amount > 5 or slots.confirmed)'


def test_the_same_text_changed_by_two_writers_asks_and_keeps_the_chosen_one(client_for, bot, users):
    client = client_for("writer")
    data = form_of(client.get(url(bot)).content.decode())
    services.response_save(user=users["owner"], assistant=bot, name="utter_offer", revision=1,
                           variations=[variations(bot)[0], {**variations(bot)[1], "text": "Owner's."},
                                       variations(bot)[2]])
    res = client.post(url(bot), {**data, "v-1-text": "Writer's.", "op": "save"})
    assert res.status_code == 409
    card = form_of(res.content.decode())
    assert "<legend>Variation 2: text</legend>" in res.content.decode() and card["v-1-text"] == "Writer's."
    again = client.post(url(bot), {**card, "seen_revision": 2, "resolve:1:text": "mine", "op": "save"})
    assert again.status_code == 302 and variations(bot)[1]["text"] == "Writer's."


def test_a_browsers_crlf_line_breaks_are_saved_as_yaml_newlines(client_for, bot):
    saved_with(client_for("writer"), bot, **{"v-1-text": "Line one\r\nLine two"})
    assert variations(bot)[1]["text"] == "Line one\nLine two"


@pytest.mark.parametrize("condition", ['slots.tier = "gold"', "slots.amount >= 10 or slots.confirmed is null",
                                       'slots.tier is not "silver" and slots.amount < 3.5'])
def test_builder_rows_print_back_exactly_the_predicate_they_were_read_from(condition):
    rows, join = parse_condition(condition)
    assert build_condition(rows, join) == condition


@pytest.mark.parametrize("condition", ['slots.a = 1 and slots.b = 2 or slots.c = 3', "not slots.a",
                                       "(slots.a = 1 or slots.b = 2) and slots.c = 3", "slots.a = 'x'"])
def test_predicates_the_rows_cannot_print_back_stay_in_the_predicate_box(condition):
    assert parse_condition(condition) is None


def test_the_rephrase_box_says_when_the_endpoints_cannot_rephrase(client_for, bot):
    # utter_offer asks to be rephrased; Rasa needs nlg: {type: rephrase} for it (rasa_verdicts/rephrase_without_nlg).
    assert "data-rephrase-needs-nlg" not in client_for("writer").get(url(bot)).content.decode()
    bot.endpoints_yaml = "action_endpoint:\n  url: http://localhost:5055/webhook\n"
    bot.save(update_fields=["endpoints_yaml"])
    page = client_for("writer").get(url(bot)).content.decode()
    assert "data-rephrase-needs-nlg" in page and "nlg: {type: rephrase}" in page
