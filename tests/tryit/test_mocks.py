"""Action mocks: saving them (roles, revisions, clear errors), and try-it running them when no action server answers."""
import json

import httpx
import pytest

from studio.core.exceptions import Forbidden, NotFound, RevisionConflict, ValidationFailed
from studio.tryit import services
from studio.tryit.mock_services import action_mock_save

pytestmark = pytest.mark.django_db

LOYALTY = {"variants": [
    {"condition": "slots.item = 'pear'", "events": [{"event": "slot", "name": "item", "value": "apple"}],
     "responses": [{"text": "Pears are out, you get an apple."}]},
    {"responses": [{"response": "utter_bought"}]},
]}


def _revision(assistant, name="action_reserve") -> int:
    return assistant.actions.get(name=name).revision


def _save(assistant, user, mock, name="action_reserve"):
    return action_mock_save(user=user, assistant=assistant, name=name, mock=mock, revision=_revision(assistant, name))


def _messages(turn) -> list[str]:
    return [m["text"] for m in turn["messages"]]


# --- saving ---------------------------------------------------------------------------------
def test_a_designer_saves_a_mock_with_variants_and_the_revision_goes_up(shop, users):
    before = _revision(shop)
    action = _save(shop, users["designer"], LOYALTY)
    assert action.mock == {"variants": [
        {"condition": "slots.item = 'pear'", "events": [{"event": "slot", "name": "item", "value": "apple"}],
         "responses": [{"text": "Pears are out, you get an apple."}]},
        {"events": [], "responses": [{"response": "utter_bought"}]}]}
    assert action.revision == before + 1 and action.updated_by == users["designer"]


def test_a_mock_without_conditions_is_stored_as_one_stub_custom_actions_entry(shop, users):
    pear = {"event": "slot", "name": "item", "value": "pear"}
    action = _save(shop, users["owner"], {"variants": [{"events": [pear]}]})
    assert action.mock == {"events": [{"event": "slot", "name": "item", "value": "pear"}], "responses": []}


@pytest.mark.parametrize("role", ["writer", "viewer"])
def test_writers_and_viewers_cannot_change_a_mock(shop, users, role):
    with pytest.raises(Forbidden, match=f"Your role on 'Pizza Bot' is {role}; this needs owner or designer"):
        _save(shop, users[role], {})


def test_an_outsider_is_told_the_assistant_does_not_exist(shop, users):
    with pytest.raises(NotFound, match=f"Assistant '{shop.slug}' not found"):
        _save(shop, users["outsider"], {})


def test_a_stale_revision_is_a_conflict(shop, users):
    revision = _revision(shop)
    action_mock_save(user=users["designer"], assistant=shop, name="action_reserve", mock={}, revision=revision)
    with pytest.raises(RevisionConflict) as caught:
        action_mock_save(user=users["owner"], assistant=shop, name="action_reserve", mock=None, revision=revision)
    assert caught.value.message == ("The action 'action_reserve' was changed by someone else (now at revision "
                                    f"{revision + 1}); reload to see their change")


@pytest.mark.parametrize(("mock", "problem"), [
    ({"events": [{"event": "slot", "name": "colour", "value": "red"}]},
     "mock.events.0.name: 'colour' is not a slot of this assistant"),
    ({"events": [{"event": "slot", "name": "item", "value": "plum"}]},
     "mock.events.0.value: 'plum' is not a valid value of the categorical slot 'item'"),
    ({"events": [{"event": "bot", "text": "hi"}]}, "mock.events.0.event: must be `slot` (set a slot) or `reset_slots`"),
    ({"responses": [{"response": "utter_nothing"}]},
     "mock.responses.0.response: 'utter_nothing' is not a response of this assistant"),
    ({"responses": [{"text": "hi", "response": "utter_bought"}]},
     "mock.responses.0: needs exactly one of `text` (a message) or `response` (a response name)"),
    ({"variants": [{"condition": "slots.item = = 'x'"}]},
     "mock.variants.0.condition: condition 'slots.item = = 'x'' does not parse"),
    ({"variants": [{"condition": "slots.colour = 'red'"}, {}]},
     "mock.variants.0.condition: uses the slot 'colour', which this assistant does not have"),
    ({"variants": [{"events": []}, {"condition": "slots.item = 'pear'"}]},
     "mock.variants.0.condition: is required on every variant but the last (a variant without one always answers)"),
    ({"condition": "slots.item = 'pear'"},
     "mock.condition: conditions go on variants: `variants: [{condition, events, responses}, ...]`"),
    ({"variants": []}, "mock.variants: must be a non-empty list"),
    (["not", "a", "mapping"], "mock: must be a mapping with `events` and `responses`, or `variants`"),
])
def test_a_bad_mock_is_refused_naming_the_field(shop, users, mock, problem):
    with pytest.raises(ValidationFailed) as caught:
        _save(shop, users["designer"], mock)
    assert caught.value.message.startswith(problem)


def test_the_api_reads_and_replaces_a_mock(shop, users, client_for):
    url = f"/api/assistants/{shop.slug}/actions/action_reserve/mock"
    viewer, designer = client_for("viewer"), client_for("designer")
    read = viewer.get(url).json()
    assert read["mock"] == {"events": [], "responses": []}
    body = {"mock": {"responses": [{"text": "Reserved."}]}, "revision": read["revision"]}
    assert viewer.put(url, json.dumps(body), content_type="application/json").status_code == 403
    saved = designer.put(url, json.dumps(body), content_type="application/json")
    assert saved.status_code == 200
    assert saved.json()["mock"] == {"events": [], "responses": [{"text": "Reserved."}]}
    assert saved.json()["revision"] == read["revision"] + 1 and saved.json()["updated_by"] == "designer"
    stale = designer.put(url, json.dumps(body), content_type="application/json")
    assert stale.status_code == 409 and stale.json()["current"] == {"revision": read["revision"] + 1}
    bad = designer.put(url, json.dumps({"mock": {"responses": [{}]}, "revision": read["revision"] + 1}),
                       content_type="application/json")
    assert bad.status_code == 422
    assert bad.json()["detail"] == [{"loc": ["mock", "responses", 0],
                                     "msg": "needs exactly one of `text` (a message) or `response` (a response name)"}]
    assert client_for("outsider").get(url).status_code == 404


# --- the mock page ----------------------------------------------------------------------------
def test_the_mock_page_shows_a_viewer_the_mock_in_plain_words_without_a_form(shop, users, client_for):
    _save(shop, users["owner"], LOYALTY)
    page = client_for("viewer").get(f"/assistants/{shop.slug}/actions/action_reserve/mock/")
    html = page.content.decode()
    assert page.status_code == 200
    assert ("<b>When slots.item = &#x27;pear&#x27;</b>: sets item to &quot;apple&quot;; "
            "says “Pears are out, you get an apple.”") in html
    assert "<b>Otherwise</b>: sends the response utter_bought" in html
    assert "Save mock" not in html and "a designer or owner can change it" in html


def test_a_designer_saves_the_mock_as_yaml_on_its_page(shop, client_for):
    url = f"/assistants/{shop.slug}/actions/action_reserve/mock/"
    designer = client_for("designer")
    assert "Save mock" in designer.get(url).content.decode()
    yaml = "events:\n  - event: slot\n    name: item\n    value: pear\nresponses:\n  - text: Reserved.\n"
    saved = designer.post(url, {"mock": yaml, "revision": _revision(shop)}, follow=True)
    assert saved.status_code == 200 and "Saved the mock of action_reserve" in saved.content.decode()
    assert "<b>Always</b>: sets item to &quot;pear&quot;; says “Reserved.”" in saved.content.decode()


def test_a_bad_mock_on_the_page_names_the_field_and_keeps_the_text(shop, client_for):
    url = f"/assistants/{shop.slug}/actions/action_reserve/mock/"
    page = client_for("designer").post(url, {"mock": "responses:\n  - response: utter_gone\n",
                                             "revision": _revision(shop)})
    html = page.content.decode()
    assert page.status_code == 400
    assert "mock.responses.0.response: &#x27;utter_gone&#x27; is not a response of this assistant" in html
    assert "utter_gone" in html.split("<textarea", 1)[1]


def test_a_writer_cannot_post_to_the_mock_page(shop, client_for):
    page = client_for("writer").post(f"/assistants/{shop.slug}/actions/action_reserve/mock/",
                                     {"mock": "", "revision": _revision(shop)})
    assert page.status_code == 403


def test_an_unknown_action_has_no_mock_page(shop, client_for):
    assert client_for("owner").get(f"/assistants/{shop.slug}/actions/action_nope/mock/").status_code == 404


# --- try-it ------------------------------------------------------------------------------------
def _buy(shop, user, item: str):
    conversation, _ = services.conversation_start(user=user, assistant=shop)
    services.conversation_turn(user=user, conversation=conversation, text="start flow buy")
    turn = services.conversation_turn(user=user, conversation=conversation, text=f"/SetSlots(item={item})")
    return conversation, turn


def test_try_it_runs_the_variant_whose_condition_holds(shop, users):
    _save(shop, users["designer"], LOYALTY)
    _, turn = _buy(shop, users["viewer"], "pear")
    assert _messages(turn) == ["Pears are out, you get an apple.", "One apple, coming up.",
                               "Is there anything else I can help you with?"]
    stub = next(e for e in turn["events"] if e["event"] == "action_stubbed")
    assert stub["reason"] == "mocked: endpoints.yml configures no action_endpoint, so the action's mock ran"
    _, turn = _buy(shop, users["viewer"], "apple")
    assert _messages(turn)[:2] == ["One apple, coming up.", "One apple, coming up."]


def test_without_server_or_mock_try_it_says_which_action_could_not_run_and_how_to_fix_it(shop, users):
    _save(shop, users["designer"], None)
    conversation, turn = _buy(shop, users["viewer"], "pear")
    assert _messages(turn) == [
        "The action 'action_reserve' could not run: endpoints.yml configures no action server (action_endpoint). "
        f"Add an action_endpoint to endpoints.yml or define a mock on the action's page: "
        f"/assistants/{shop.slug}/actions/action_reserve/mock/",
        "Okay, stopping buy.",
        "Is there anything else I can help you with?"]
    # The engine's own events still say what Rasa would do; only the words people read change.
    assert [e["name"] for e in turn["events"] if e["event"] == "action_failed"] == ["action_reserve"]
    history = [text for role, text in conversation.state["history"] if role == "bot"]
    assert not any("Sorry, I am having trouble" in t or "pattern_" in t for t in history)


def test_a_mock_whose_conditions_all_fail_says_so(shop, users):
    _save(shop, users["designer"], {"variants": [{"condition": "slots.item = 'pear'", "events": []}]})
    _, turn = _buy(shop, users["viewer"], "apple")
    assert _messages(turn)[0] == (
        "The action 'action_reserve' could not run: none of its mock's conditions holds for the current slots. "
        f"Add a variant without a condition on the action's page: /assistants/{shop.slug}/actions/action_reserve/mock/")


def test_a_mock_saved_mid_conversation_answers_the_next_call_even_on_a_pinned_version(
        shop, users, django_capture_on_commit_callbacks):
    from studio.training.services import version_create

    with django_capture_on_commit_callbacks(execute=True):
        version_create(user=users["owner"], assistant=shop, note="v1")
    conversation, _ = services.conversation_start(user=users["viewer"], assistant=shop, version=1)
    services.conversation_turn(user=users["viewer"], conversation=conversation, text="start flow buy")
    _save(shop, users["designer"], {"responses": [{"text": "Reserved for you."}]})
    turn = services.conversation_turn(user=users["viewer"], conversation=conversation, text="/SetSlots(item=pear)")
    assert turn["source"] == "version 1 (pinned)"
    assert _messages(turn)[:2] == ["Reserved for you.", "One pear, coming up."]


def test_a_mock_changed_after_it_answered_answers_with_its_new_text_at_the_next_call(shop, users):
    _save(shop, users["designer"], {"responses": [{"text": "Reserved."}]})
    _, turn = _buy(shop, users["viewer"], "pear")
    assert _messages(turn)[0] == "Reserved."
    _save(shop, users["designer"], {"responses": [{"text": "Reserved, and gift-wrapped."}]})
    _, turn = _buy(shop, users["writer"], "pear")
    assert _messages(turn)[0] == "Reserved, and gift-wrapped."


def test_the_demo_completes_its_main_flow_offline_with_its_shipped_mocks(demo, users):
    conversation, _ = services.conversation_start(user=users["viewer"], assistant=demo)
    said = []
    for text in ("I want a coffee", "latte", "medium", "yes"):
        turn = services.conversation_turn(user=users["viewer"], conversation=conversation, text=text)
        said.append(_messages(turn))
    assert turn["understanding"]["generator"] == "offline"
    assert said == [["What would you like to drink?"], ["Which size: small, medium or large?"],
                    ["You have enough loyalty points for a free size upgrade!",
                     "A medium latte. Shall I place the order?"],
                    ["Your latte is on its way.", "Is there anything else I can help you with?"]]


def test_a_large_cup_takes_the_demos_other_mock_variant(demo, users):
    conversation, _ = services.conversation_start(user=users["owner"], assistant=demo)
    for text in ("start flow order_drink", "/SetSlots(drink=tea)"):
        services.conversation_turn(user=users["owner"], conversation=conversation, text=text)
    turn = services.conversation_turn(user=users["owner"], conversation=conversation, text="/SetSlots(size=large)")
    assert turn["slots"]["loyalty_points"] == 40.0
    assert _messages(turn) == ["A large tea. Shall I place the order?"]


def test_without_its_mocks_the_demo_names_the_flow_it_stopped_not_a_pattern(demo, users):
    from studio.assistants.models import CustomAction

    CustomAction.objects.filter(assistant=demo).update(mock=None)
    conversation, _ = services.conversation_start(user=users["owner"], assistant=demo)
    for text in ("start flow order_drink", "/SetSlots(drink=latte)"):
        services.conversation_turn(user=users["owner"], conversation=conversation, text=text)
    turn = services.conversation_turn(user=users["owner"], conversation=conversation, text="/SetSlots(size=large)")
    assert _messages(turn) == [
        "The action 'action_check_loyalty' could not run: no action server answered at http://localhost:5055/webhook. "
        f"Start your action server or define a mock on the action's page: "
        f"/assistants/{demo.slug}/actions/action_check_loyalty/mock/",
        "Okay, stopping order a drink.",
        "Is there anything else I can help you with?"]


# --- the runner itself, with a fake action server ---------------------------------------------
def _engine_chat(actions):
    import engine
    from studio.assistants.demo import DEMO_DIR

    chat = engine.Conversation(engine.load_project(DEMO_DIR), actions=actions)
    chat.start_session()
    for text in ("start flow order_drink", "/SetSlots(drink=latte)"):
        chat.handle(text)
    return chat


def _runner(handler, mock):
    from engine.action_server import HttpActions
    from studio.tryit.mocks import TryItActions

    url = "http://actions.test/webhook"
    server = HttpActions(url, client=httpx.Client(transport=httpx.MockTransport(handler)))
    return TryItActions(url, mock_for=lambda name: mock, mock_page=lambda name: f"/mock/{name}", server=server)


def test_a_reachable_action_server_answers_instead_of_the_mock():
    def server(request):
        return httpx.Response(200, json={"events": [{"event": "slot", "name": "loyalty_points", "value": 500}]})

    chat = _engine_chat(_runner(server, {"events": [{"event": "slot", "name": "loyalty_points", "value": 1}]}))
    chat.handle("/SetSlots(size=small)")
    assert chat.tracker.slots["loyalty_points"] == 500


def test_an_unreachable_action_server_gives_way_to_the_mock():
    def server(request):
        raise httpx.ConnectError("connection refused", request=request)

    chat = _engine_chat(_runner(server, {"events": [{"event": "slot", "name": "loyalty_points", "value": 120}]}))
    turn = chat.handle("/SetSlots(size=small)")
    assert chat.tracker.slots["loyalty_points"] == 120
    assert any(e["event"] == "action_stubbed" for e in turn.events)


def test_an_action_server_that_answers_with_an_error_is_not_papered_over_by_the_mock():
    def server(request):
        return httpx.Response(500, text="boom")

    chat = _engine_chat(_runner(server, {"events": [{"event": "slot", "name": "loyalty_points", "value": 120}]}))
    turn = chat.handle("/SetSlots(size=small)")
    failed = [e for e in turn.events if e["event"] == "action_failed"]
    assert failed and "failed on the action server (HTTP 500): boom" in failed[0]["error"]
    assert chat.tracker.slots["loyalty_points"] == 0


def test_the_demos_mocks_stay_out_of_its_exported_project(demo, users):
    from studio.assistants.demo import DEMO_DIR
    from studio.exchange.services import assistant_export

    files = assistant_export(user=users["owner"], assistant=demo)
    shipped = {p.relative_to(DEMO_DIR).as_posix(): p.read_bytes() for p in DEMO_DIR.rglob("*") if p.is_file()}
    assert files == shipped  # byte for byte: no mock reached a project file
