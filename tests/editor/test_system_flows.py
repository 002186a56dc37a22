"""System flows: Rasa's built-in patterns listed with their defaults, customised, diffed and reset."""
import pytest

import engine
from studio.assistants import services
from studio.assistants.models import Flow
from studio.exchange.services import assistant_export, assistant_import

pytestmark = pytest.mark.django_db

# The 21 patterns of RASA_FORMATS.md §2.2 (Rasa Pro 3.21's default_flows_for_patterns.yml).
RASA_321_PATTERNS = sorted([
    "pattern_correction", "pattern_cancel_flow", "pattern_clarification", "pattern_chitchat", "pattern_search",
    "pattern_cannot_handle", "pattern_completed", "pattern_customer_satisfaction", "pattern_continue_interrupted",
    "pattern_collect_information", "pattern_validate_slot", "pattern_skip_question", "pattern_human_handoff",
    "pattern_internal_error", "pattern_code_change", "pattern_session_start", "pattern_session_end",
    "pattern_restart", "pattern_repeat_bot_messages", "pattern_user_silence", "pattern_external_agent_processing",
])
CHITCHAT_DEFAULT = "Conversation repair flow for off-topic interactions that won't disrupt the main conversation"


def _url(assistant, tail=""):
    return f"/assistants/{assistant.slug}/system-flows/{tail}"


def _customise(assistant, user, flow_id="pattern_chitchat"):
    from studio.assistants.system_flows import system_flow_customise

    return system_flow_customise(user=user, assistant=assistant, flow_id=flow_id)


def _change_step(assistant, user, flow):
    body = flow.to_rasa()
    body["steps"] = [{"action": "utter_done"}]
    return services.flow_save(user=user, assistant=assistant, flow_id=flow.flow_id, data=body, revision=flow.revision)


def test_the_engine_ships_every_rasa_321_pattern():
    assert sorted(engine.default_pattern_bodies()) == RASA_321_PATTERNS


def test_list_shows_every_builtin_pattern_with_its_description_and_customised_flag(client_for, flows, users):
    _customise(flows, users["designer"])
    html = client_for("viewer").get(_url(flows)).content.decode()
    assert [p for p in RASA_321_PATTERNS if f'data-system-flow="{p}"' not in html] == []
    assert 'data-system-flow="pattern_chitchat" data-customised="true"' in html
    assert 'data-system-flow="pattern_correction" data-customised="false"' in html
    assert html.count('data-customised="true"') == 1
    assert "Conversation repair flow for off-topic interactions that won&#x27;t disrupt the main conversation" in html


def test_api_lists_defaults_with_their_content_and_the_override_revision(api, flows, users):
    _customise(flows, users["designer"])
    listed = {item["flow_id"]: item for item in api("writer").get("/system-flows").json()}
    assert sorted(listed) == RASA_321_PATTERNS
    assert listed["pattern_chitchat"]["customised"] is True and listed["pattern_chitchat"]["revision"] == 1
    assert listed["pattern_chitchat"]["description"] == CHITCHAT_DEFAULT
    assert listed["pattern_search"] == {**listed["pattern_search"], "customised": False, "revision": None}
    assert listed["pattern_search"]["default"] == engine.default_pattern_bodies()["pattern_search"]


def test_a_default_pattern_page_shows_its_default_yaml(client_for, flows):
    html = client_for("writer").get(_url(flows, "pattern_chitchat/")).content.decode()
    assert "pattern_chitchat:\n  name: pattern chitchat\n" in html
    assert "    - action: utter_cannot_handle\n" in html
    assert "Customise" not in html


def test_designer_customises_from_the_default_and_lands_in_the_editor(client_for, flows):
    res = client_for("designer").post(_url(flows, "pattern_chitchat/customise/"))
    assert res.status_code == 302
    assert res.url == f"/assistants/{flows.slug}/flows/pattern_chitchat/edit/"
    override = Flow.objects.get(assistant=flows, flow_id="pattern_chitchat")
    assert override.is_pattern
    assert override.to_rasa() == engine.default_pattern_bodies()["pattern_chitchat"]


def test_customised_pattern_is_exported_under_system_patterns_and_the_export_imports(flows, users):
    _customise(flows, users["designer"], "pattern_completed")
    files = assistant_export(user=users["owner"], assistant=flows)
    assert "data/system/patterns/pattern_completed.yml" in files
    assert "link: pattern_customer_satisfaction" in files["data/system/patterns/pattern_completed.yml"].decode()
    imported = assistant_import(user=users["owner"], source=files, name="Round trip").assistant
    again = Flow.objects.get(assistant=imported, flow_id="pattern_completed")
    assert again.to_rasa() == engine.default_pattern_bodies()["pattern_completed"]


def test_new_flow_form_with_a_builtin_pattern_id_starts_from_the_default(client_for, flows):
    res = client_for("designer").post(f"/assistants/{flows.slug}/flows/", {"flow_id": "pattern_search"})
    assert res.status_code == 302 and res.url == f"/assistants/{flows.slug}/flows/pattern_search/edit/"
    override = Flow.objects.get(assistant=flows, flow_id="pattern_search")
    assert override.to_rasa() == engine.default_pattern_bodies()["pattern_search"]


def test_api_create_of_a_builtin_pattern_keeps_the_default_steps_under_the_given_description(api, flows):
    res = api("designer").post("/flows", {"flow_id": "pattern_chitchat", "description": "Small talk"})
    assert res.status_code == 201
    assert res.json()["body"] == {**engine.default_pattern_bodies()["pattern_chitchat"], "description": "Small talk"}
    assert api("designer").post("/flows", {"flow_id": "greet"}).json()["body"]["steps"] == []


def test_every_pattern_customised_as_its_default_still_exports_and_imports(flows, users):
    for flow_id in RASA_321_PATTERNS:
        _customise(flows, users["designer"], flow_id)
    files = assistant_export(user=users["owner"], assistant=flows)
    assert sorted(p for p in files if p.startswith("data/system/patterns/")) == [
        f"data/system/patterns/{flow_id}.yml" for flow_id in RASA_321_PATTERNS]
    imported = assistant_import(user=users["owner"], source=files, name="All patterns").assistant
    assert Flow.objects.filter(assistant=imported, is_pattern=True).count() == len(RASA_321_PATTERNS)


def test_customising_twice_says_it_is_already_customised(client_for, flows, users):
    _customise(flows, users["designer"])
    res = client_for("designer").post(_url(flows, "pattern_chitchat/customise/"), follow=True)
    assert "Customise pattern_chitchat: pattern_chitchat is already customised" in res.content.decode()


def test_api_customise_returns_the_override_in_the_editor_shape(api, flows):
    res = api("designer").post("/system-flows/pattern_cancel_flow/customise", {})
    assert res.status_code == 201
    assert res.json()["body"] == engine.default_pattern_bodies()["pattern_cancel_flow"]
    assert res.json()["problems"] == []


def test_only_builtin_patterns_are_system_flows(client_for, api, flows):
    res = client_for("designer").get(_url(flows, "main/"))
    assert res.status_code == 404 and "&#x27;main&#x27; is not a built-in pattern" in res.content.decode()
    assert api("designer").post("/system-flows/pattern_mine/customise", {}).json() == {
        "detail": "'pattern_mine' is not a built-in pattern"}


def test_diff_shows_the_changed_step_against_the_default(client_for, api, flows, users):
    _change_step(flows, users["designer"], _customise(flows, users["designer"]))
    html = client_for("viewer").get(_url(flows, "pattern_chitchat/diff/")).content.decode()
    assert "--- default\n+++ customised\n" in html
    assert "-    - action: utter_cannot_handle\n+    - action: utter_done\n" in html
    diff = api("viewer").get("/system-flows/pattern_chitchat/diff").json()["diff"]
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("---", "+++")]
    assert changed == ["-    - action: utter_cannot_handle", "+    - action: utter_done"]


def test_an_untouched_override_has_an_empty_diff(client_for, flows, users):
    _customise(flows, users["designer"])
    html = client_for("viewer").get(_url(flows, "pattern_chitchat/diff/")).content.decode()
    assert 'data-changed="false"' in html
    assert "is the same as the default" in html


def test_a_default_pattern_has_no_diff(client_for, api, flows):
    res = client_for("viewer").get(_url(flows, "pattern_chitchat/diff/"))
    assert res.status_code == 404
    assert "pattern_chitchat is not customised: it runs Rasa&#x27;s default" in res.content.decode()
    assert api("viewer").get("/system-flows/pattern_chitchat/diff").status_code == 404


def test_reset_confirms_with_the_diff_then_removes_the_override_and_its_export_file(client_for, flows, users):
    override = _change_step(flows, users["designer"], _customise(flows, users["designer"]))
    assert "data/system/patterns/pattern_chitchat.yml" in assistant_export(user=users["owner"], assistant=flows)
    designer = client_for("designer")
    confirm = designer.get(_url(flows, "pattern_chitchat/reset/")).content.decode()
    assert "Reset <code>pattern_chitchat</code> to Rasa's default?" in confirm
    assert "+    - action: utter_done\n" in confirm
    assert Flow.objects.filter(flow_id="pattern_chitchat").exists()  # GET only asks
    res = designer.post(_url(flows, "pattern_chitchat/reset/"), {"revision": override.revision}, follow=True)
    assert "Reset pattern_chitchat to Rasa&#x27;s default" in res.content.decode()
    assert 'data-system-flow="pattern_chitchat" data-customised="false"' in res.content.decode()
    assert not Flow.objects.filter(flow_id="pattern_chitchat").exists()
    files = assistant_export(user=users["owner"], assistant=flows)
    assert not [path for path in files if path.startswith("data/system/patterns/")]


def test_reset_after_someone_else_saved_asks_again(client_for, flows, users):
    override = _customise(flows, users["designer"])
    _change_step(flows, users["owner"], override)
    res = client_for("designer").post(_url(flows, "pattern_chitchat/reset/"), {"revision": override.revision})
    assert res.status_code == 409
    assert ("flow pattern_chitchat was changed by someone else (now at revision 2). "
            "Review the changes again before resetting.") in res.content.decode()
    assert Flow.objects.filter(flow_id="pattern_chitchat").exists()


def test_reset_is_not_refused_when_flows_link_to_the_pattern(api, flows, users):
    services.flow_create(user=users["owner"], assistant=flows, flow_id="agent", data={
        "description": "talk to a human", "steps": [{"link": "pattern_human_handoff"}]})
    _customise(flows, users["designer"], "pattern_human_handoff")
    assert api("designer").post("/system-flows/pattern_human_handoff/reset", None).status_code == 204
    assert not Flow.objects.filter(flow_id="pattern_human_handoff").exists()
    assert assistant_export(user=users["owner"], assistant=flows)  # the link still resolves to the default


def test_api_reset_with_a_stale_revision_is_a_conflict(api, flows, users):
    _change_step(flows, users["owner"], _customise(flows, users["designer"]))
    res = api("designer").post("/system-flows/pattern_chitchat/reset?revision=1", None)
    assert res.status_code == 409 and res.json()["current"]["revision"] == 2


@pytest.mark.parametrize("role", ["writer", "viewer"])
def test_writers_and_viewers_see_system_flows_read_only(client_for, flows, users, role):
    _customise(flows, users["designer"])
    client = client_for(role)
    html = client.get(_url(flows)).content.decode()
    assert ">Customise</button>" not in html and "Reset to default" not in html
    assert client.get(_url(flows, "pattern_chitchat/diff/")).status_code == 200
    assert client.post(_url(flows, "pattern_search/customise/")).status_code == 403
    assert client.get(_url(flows, "pattern_chitchat/reset/")).status_code == 403
    assert client.post(_url(flows, "pattern_chitchat/reset/"), {"revision": 1}).status_code == 403
    assert Flow.objects.filter(flow_id="pattern_chitchat").exists()
    assert not Flow.objects.filter(flow_id="pattern_search").exists()


@pytest.mark.parametrize("role", ["writer", "viewer"])
def test_writers_and_viewers_cannot_customise_or_reset_through_the_api(api, flows, users, role):
    _customise(flows, users["designer"])
    assert api(role).post("/system-flows/pattern_search/customise", None).status_code == 403
    assert api(role).post("/system-flows/pattern_chitchat/reset", None).status_code == 403
    assert api(role).get("/system-flows").status_code == 200


def test_outsiders_do_not_see_system_flows(client_for, api, flows, users):
    _customise(flows, users["designer"])
    client = client_for("outsider")
    for path in ("", "pattern_chitchat/", "pattern_chitchat/diff/", "pattern_chitchat/reset/"):
        assert client.get(_url(flows, path)).status_code == 404
    assert client.post(_url(flows, "pattern_search/customise/")).status_code == 404
    assert api("outsider").get("/system-flows").status_code == 404
    assert api("outsider").post("/system-flows/pattern_chitchat/reset", None).status_code == 404
    assert Flow.objects.filter(flow_id="pattern_chitchat").exists()


def test_anonymous_visitors_are_sent_to_log_in(client, flows):
    res = client.get(_url(flows))
    assert res.status_code == 302 and "/login" in res.url
    assert client.get(f"/api/assistants/{flows.slug}/editor/system-flows").status_code == 401


def test_flow_list_links_to_system_flows(client_for, flows):
    html = client_for("viewer").get(f"/assistants/{flows.slug}/flows/").content.decode()
    assert f'href="/assistants/{flows.slug}/system-flows/"' in html


def test_flow_list_offers_reset_instead_of_delete_for_a_customised_pattern(client_for, flows, users):
    _customise(flows, users["designer"])
    html = client_for("designer").get(f"/assistants/{flows.slug}/flows/").content.decode()
    assert f'href="/assistants/{flows.slug}/system-flows/pattern_chitchat/reset/"' in html
    assert f'href="/assistants/{flows.slug}/flows/pattern_chitchat/delete/"' not in html
    assert f'href="/assistants/{flows.slug}/flows/main/delete/"' in html


def test_the_editor_offers_reset_not_delete_for_a_customised_builtin_pattern(client_for, flows, users):
    _customise(flows, users["designer"])
    pattern = client_for("designer").get(f"/assistants/{flows.slug}/flows/pattern_chitchat/edit/").content.decode()
    assert f'data-reset-url="/assistants/{flows.slug}/system-flows/pattern_chitchat/reset/"' in pattern
    own_flow = Flow.objects.filter(assistant=flows, is_pattern=False).first()
    page = client_for("designer").get(f"/assistants/{flows.slug}/flows/{own_flow.flow_id}/edit/").content.decode()
    assert 'data-reset-url=""' in page
