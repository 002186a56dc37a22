"""Translations: responses, buttons and flow names side by side with the default language, saved as
Rasa Pro's `translation:` keys through the response and flow services."""
from __future__ import annotations

import difflib

import pytest

from studio.assistants import services
from studio.assistants.engine_adapter import assistant_problems
from studio.assistants.models import Flow, Response
from studio.assistants.translations import (
    assistant_languages,
    flow_name_translation_save,
    missing_counts,
    response_translations_save,
)
from studio.core.exceptions import Forbidden, RevisionConflict, ValidationFailed
from studio.exchange.services import assistant_export, assistant_import

from tests.exchange.exchange_projects import FIXTURES

pytestmark = pytest.mark.django_db


def _add_languages(assistant, owner, line="additional_languages: [de, es]\n"):
    services.assistant_update(user=owner, assistant=assistant, config_yaml=assistant.config_yaml + line)
    assistant.refresh_from_db()
    return assistant


@pytest.fixture
def multilingual(assistant, users):
    owner = users["owner"]
    _add_languages(assistant, owner)
    # The buttons set `size`: Rasa refuses a /SetSlots payload naming a slot the domain lacks.
    services.slot_save(user=owner, assistant=assistant, name="size", revision=None,
                       data={"type": "categorical", "values": ["small", "large"], "mappings": [{"type": "from_llm"}]})
    services.response_save(user=owner, assistant=assistant, name="utter_ask_size", revision=None, variations=[
        {"text": "Which size?", "translation": {"de": "Welche Größe?"},
         "buttons": [{"title": "Small", "payload": "/SetSlots(size=small)"},
                     {"title": "Large", "payload": "/SetSlots(size=large)", "translation": {"de": {"title": "Groß"}}}]},
        {"text": "Size, please.", "channel": "browser_audio"},
    ])
    services.response_save(user=owner, assistant=assistant, name="utter_custom", revision=None,
                           variations=[{"custom": {"kind": "card"}}])
    services.flow_create(user=owner, assistant=assistant, flow_id="order_pizza",
                         data={"name": "order a pizza", "description": "order",
                               "steps": [{"action": "utter_ask_size"}]})
    return assistant


def _url(assistant, lang="de"):
    return f"/assistants/{assistant.slug}/translations/?lang={lang}"


def _response(assistant, name="utter_ask_size"):
    return Response.objects.get(assistant=assistant, name=name)


def test_languages_are_config_language_and_additional_languages(assistant, users):
    _add_languages(assistant, users["owner"], "additional_languages: [de, en, 'not a code', de, pt-BR]\n")
    languages = assistant_languages(assistant)
    assert (languages.default, languages.additional) == ("en", ("de", "pt-BR"))


def test_missing_translations_are_counted_per_language(multilingual):
    # de: "Size, please.", button "Small" and the flow name; es: all four texts, both buttons, the flow.
    assert missing_counts(multilingual, assistant_languages(multilingual)) == {"de": 3, "es": 5}


@pytest.mark.parametrize("role", ["owner", "designer", "writer", "viewer"])
def test_every_member_sees_the_default_language_beside_the_translation(role, multilingual, client_for):
    page = client_for(role).get(_url(multilingual)).content.decode()
    assert "Which size?" in page and "Welche Größe?" in page and "order a pizza" in page
    assert "3 missing" in page and "5 missing" in page  # the de and es tabs
    assert ('name="text-0"' in page) == (role != "viewer")
    assert ('name="flow_id"' in page) == (role in ("owner", "designer"))


def test_outsider_gets_not_found(multilingual, client_for):
    assert client_for("outsider").get(_url(multilingual)).status_code == 404


def test_unknown_language_names_the_field(multilingual, client_for):
    response = client_for("writer").get(_url(multilingual, "fr"))
    assert response.status_code == 422
    assert "lang: &#x27;fr&#x27; is not one of this assistant&#x27;s additional languages (de, es)" in \
        response.content.decode()


def test_an_assistant_with_one_language_explains_how_to_add_one(assistant, client_for):
    page = client_for("writer").get(f"/assistants/{assistant.slug}/translations/").content.decode()
    assert "This assistant has one language (en)." in page


def test_writer_saves_texts_and_button_titles_as_rasa_translation_keys(multilingual, client_for):
    revision, writer = _response(multilingual).revision, client_for("writer")
    response = writer.post(_url(multilingual), {
        "kind": "response", "name": "utter_ask_size", "revision": revision,
        "text-0": "Welche Größe?", "button-0-0": "Klein", "button-0-1": "Groß", "text-1": "Größe, bitte.\r\nDanke"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"?lang=de#r-{_response(multilingual).pk}")
    variations = _response(multilingual).variations
    assert variations[0]["buttons"][0] == {"title": "Small", "payload": "/SetSlots(size=small)",
                                           "translation": {"de": {"title": "Klein"}}}
    assert variations[1] == {"text": "Size, please.", "channel": "browser_audio",
                             "translation": {"de": "Größe, bitte.\nDanke"}}
    page = writer.get(response["Location"]).content.decode()
    assert "Saved the de translation of utter_ask_size" in page


def test_an_emptied_translation_removes_the_key(multilingual, users):
    response = _response(multilingual)
    response_translations_save(user=users["writer"], assistant=multilingual, name="utter_ask_size", language="de",
                               texts={"text-0": "  ", "button-0-1": ""}, revision=response.revision)
    variation = _response(multilingual).variations[0]
    assert "translation" not in variation and "translation" not in variation["buttons"][1]


def test_translating_one_language_keeps_the_others(multilingual, users):
    response = _response(multilingual)
    response_translations_save(user=users["writer"], assistant=multilingual, name="utter_ask_size", language="es",
                               texts={"text-0": "¿Qué tamaño?"}, revision=response.revision)
    assert _response(multilingual).variations[0]["translation"] == {"de": "Welche Größe?", "es": "¿Qué tamaño?"}


def test_viewer_cannot_save_a_translation(multilingual, client_for):
    response = client_for("viewer").post(_url(multilingual), {
        "kind": "response", "name": "utter_ask_size", "revision": 1, "text-0": "x"})
    assert response.status_code == 403
    assert "Your role on &#x27;Pizza Bot&#x27; is viewer; this needs owner or designer or writer" in \
        response.content.decode()


def test_an_unknown_text_field_is_refused_by_name(multilingual, users):
    with pytest.raises(ValidationFailed) as exc:
        response_translations_save(user=users["writer"], assistant=multilingual, name="utter_ask_size",
                                   language="de", texts={"button-0-7": "x"}, revision=_response(multilingual).revision)
    assert str(exc.value) == "button-0-7: utter_ask_size has no such text or button to translate"


def test_a_stale_revision_is_a_conflict_that_keeps_what_the_writer_typed(multilingual, client_for, users):
    stale = _response(multilingual).revision
    response_translations_save(user=users["owner"], assistant=multilingual, name="utter_ask_size", language="de",
                               texts={"text-0": "Welche Größe bitte?"}, revision=stale)
    response = client_for("writer").post(_url(multilingual), {
        "kind": "response", "name": "utter_ask_size", "revision": stale, "text-0": "Was für eine Größe?"})
    assert response.status_code == 409
    page = response.content.decode()
    assert ("response utter_ask_size was changed by someone else (now at revision 2) — your text is kept below; "
            "save again to replace their version") in page
    assert "Was für eine Größe?</textarea>" in page and 'name="revision" value="2"' in page
    assert _response(multilingual).variations[0]["translation"] == {"de": "Welche Größe bitte?"}


def test_designer_translates_a_flow_name_into_rasa_flow_translation(multilingual, client_for):
    flow = Flow.objects.get(assistant=multilingual, flow_id="order_pizza")
    response = client_for("designer").post(_url(multilingual), {
        "kind": "flow", "flow_id": "order_pizza", "revision": flow.revision, "name": "Pizza bestellen"})
    assert response.status_code == 302
    flow.refresh_from_db()
    assert flow.to_rasa()["translation"] == {"de": {"name": "Pizza bestellen"}}
    assert missing_counts(multilingual, assistant_languages(multilingual))["de"] == 2


def test_writer_cannot_translate_flow_names(multilingual, users):
    flow = Flow.objects.get(assistant=multilingual, flow_id="order_pizza")
    with pytest.raises(Forbidden):
        flow_name_translation_save(user=users["writer"], assistant=multilingual, flow_id="order_pizza",
                                   language="de", name="Pizza bestellen", revision=flow.revision)


def test_an_emptied_flow_name_translation_removes_the_translation_key(multilingual, users):
    designer = users["designer"]
    flow = flow_name_translation_save(user=designer, assistant=multilingual, flow_id="order_pizza", language="de",
                                      name="Pizza bestellen", revision=1)
    flow = flow_name_translation_save(user=designer, assistant=multilingual, flow_id="order_pizza", language="de",
                                      name="", revision=flow.revision)
    assert "translation" not in flow.to_rasa()


def test_a_stale_flow_revision_is_a_conflict(multilingual, users):
    with pytest.raises(RevisionConflict):
        flow_name_translation_save(user=users["designer"], assistant=multilingual, flow_id="order_pizza",
                                   language="de", name="x", revision=99)


def test_missing_translations_never_block_a_build_or_an_export(multilingual, users):
    assert assistant_problems(multilingual) == []
    files = assistant_export(user=users["viewer"], assistant=multilingual)
    domain = next(v.decode() for v in files.values() if b"Which size?" in v)
    assert "translation:\n" in domain and "de: Welche Größe?" in domain


def test_response_list_shows_missing_translation_badges(multilingual, client_for):
    page = client_for("viewer").get(f"/assistants/{multilingual.slug}/responses/").content.decode()
    assert "de: 1 missing" in page and "es: 1 missing" in page
    assert 'title="missing de translation">de missing</a>' in page


def test_an_imported_project_changes_only_the_translated_lines_on_export(users):
    owner = users["owner"]
    assistant = assistant_import(user=owner, source=FIXTURES / "helpdesk_single", name="Help").assistant
    before = assistant_export(user=owner, assistant=assistant)["domain.yml"].decode()
    _add_languages(assistant, owner, "additional_languages: [de]\n")
    response = _response(assistant, "utter_ask_ticket_topic")
    response_translations_save(user=owner, assistant=assistant, name="utter_ask_ticket_topic",
                               language="de", texts={"text-0": "Worum geht es?", "button-0-1": "Netzwerk"},
                               revision=response.revision)
    after = assistant_export(user=owner, assistant=assistant)["domain.yml"].decode()
    diff = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert diff == ["+      translation:", "+        de:", "+          title: Netzwerk", "+    translation:",
                    "+      de: Worum geht es?"]


def _api(assistant, path):
    return f"/api/assistants/{assistant.slug}/editor/translations/{path}"


def test_api_lists_translations_with_missing_counts(multilingual, client_for):
    body = client_for("viewer").get(_api(multilingual, "de")).json()
    assert (body["default_language"], body["languages"], body["missing"]) == ("en", ["de", "es"], {"de": 3, "es": 5})
    assert body["responses"][0]["cells"][0] == {"field": "text-0", "label": "variation 1", "source": "Which size?",
                                                "translated": "Welche Größe?"}
    assert body["flows"] == [{"flow_id": "order_pizza", "revision": 1, "name": "order a pizza", "translated": ""}]


def test_api_saves_a_response_translation_and_answers_409_when_stale(multilingual, client_for):
    writer = client_for("writer")
    url = _api(multilingual, "es/responses/utter_ask_size")
    saved = writer.put(url, {"revision": 1, "texts": {"text-0": "¿Qué tamaño?"}}, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["missing"]["es"] == 4
    stale = writer.put(url, {"revision": 1, "texts": {"text-0": "¿Tamaño?"}}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["current"]["revision"] == 2


def test_api_refuses_flow_names_from_a_writer(multilingual, client_for):
    response = client_for("writer").put(_api(multilingual, "de/flows/order_pizza"), {"revision": 1, "name": "x"},
                                        content_type="application/json")
    assert response.status_code == 403


def test_api_names_an_unknown_language(multilingual, client_for):
    response = client_for("viewer").get(_api(multilingual, "fr"))
    assert response.status_code == 422
    assert response.json()["detail"] == [{"loc": ["lang"], "msg": "'fr' is not one of this assistant's additional "
                                                                   "languages (de, es)"}]


def test_a_button_translation_keeps_a_translated_payload(multilingual, users):
    owner = users["owner"]
    services.response_save(user=owner, assistant=multilingual, name="utter_link", revision=None, variations=[
        {"text": "Docs", "buttons": [{"title": "Open", "payload": "https://example.com/en", "translation": {
            "de": {"title": "Öffnen", "payload": "https://example.com/de"}}}]}])
    response = _response(multilingual, "utter_link")
    response_translations_save(user=owner, assistant=multilingual, name="utter_link", language="de",
                               texts={"button-0-0": ""}, revision=response.revision)
    button = _response(multilingual, "utter_link").variations[0]["buttons"][0]
    assert button["translation"] == {"de": {"payload": "https://example.com/de"}}


def test_a_flow_without_a_name_is_listed_by_the_name_rasa_gives_it(multilingual, users, client_for):
    services.flow_create(user=users["owner"], assistant=multilingual, flow_id="check_order-status",
                         data={"description": "status", "steps": [{"action": "utter_ask_size"}]})
    page = client_for("viewer").get(_url(multilingual)).content.decode()
    assert "<td>check order status</td>" in page
    assert missing_counts(multilingual, assistant_languages(multilingual))["de"] == 4


def test_response_list_filters_responses_missing_a_translation_by_language(multilingual, client_for, users):
    services.response_save(user=users["owner"], assistant=multilingual, name="utter_bye", revision=None,
                           variations=[{"text": "Bye", "translation": {"de": "Tschüss"}}])
    viewer = client_for("viewer")
    base = f"/assistants/{multilingual.slug}/responses/?show=missing_translation"
    for query, shown in (("", {"utter_ask_size", "utter_bye"}), ("&lang=de", {"utter_ask_size"}),
                         ("&lang=es", {"utter_ask_size", "utter_bye"})):
        page = viewer.get(base + query).content.decode()
        assert {name for name in ("utter_ask_size", "utter_bye", "utter_custom")
                if f'data-response="{name}"' in page} == shown, query
