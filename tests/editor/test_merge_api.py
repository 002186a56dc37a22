"""Two people saving one flow or one response: the later save merges against the common base."""
import copy

import pytest

from studio.accounts.models import Membership
from studio.assistants.models import Flow, Response


@pytest.fixture
def two_designers(api, flows, make_user):
    """The designer and a second designer ("dana"), both with the flow `main` loaded at revision 1."""
    dana = make_user("dana")
    Membership.objects.create(user=dana, assistant=flows, role="designer")
    base = api("designer").get("/flows/main").json()
    return api("designer"), _as(api, "dana", dana), base


def _as(api, username, user):
    caller = api("viewer")
    caller.client.force_login(user)
    return caller


def _with(base_body, index, **fields):
    body = copy.deepcopy(base_body)
    body["steps"][index].update(fields)
    return body


def test_bug_saving_a_different_step_after_someone_else_keeps_their_edit(two_designers):
    """Issue 12: "keep mine" after a conflict silently reverted the other designer's edit to a different step."""
    designer, dana, base = two_designers
    theirs = _with(base["body"], 0, description="how much to send")
    assert designer.put("/flows/main", {"body": theirs, "revision": 1}).status_code == 200

    mine = _with(base["body"], 1, description="check the balance first")
    res = dana.put("/flows/main", {"body": mine, "revision": 1, "base": base["body"]})

    assert res.status_code == 200, res.json()
    steps = Flow.objects.get(flow_id="main").to_rasa()["steps"]
    assert steps[0]["description"] == "how much to send"
    assert steps[1]["description"] == "check the balance first"
    out = res.json()
    assert out["revision"] == 3
    assert out["body"]["steps"][0]["description"] == "how much to send"
    assert out["merge"] == {
        "theirs_revision": 2, "theirs_by": "designer",
        "theirs_changed": ["main_0_collect_amount"], "mine_changed": ["calling"],
        "message": "Merged with designer's revision 2: they changed step main_0_collect_amount; "
                   "you changed step calling.",
    }


def test_the_same_field_changed_by_both_asks_with_base_theirs_and_mine_credited_correctly(two_designers):
    designer, dana, base = two_designers
    theirs = _with(base["body"], 1, description="theirs")
    assert designer.put("/flows/main", {"body": theirs, "revision": 1}).status_code == 200
    mine = _with(base["body"], 1, description="mine")
    mine["description"] = "send money, fast"  # a change of dana's that does not overlap

    res = dana.put("/flows/main", {"body": mine, "revision": 1, "base": base["body"]})

    assert res.status_code == 409
    out = res.json()
    assert out["detail"] == ("main was changed by designer (now at revision 2); "
                             "1 change overlaps yours: step calling, field description")
    assert out["theirs_by"] == "designer" and out["theirs_revision"] == 2
    assert out["base"] == base["body"] and out["theirs"] == theirs and out["mine"] == mine
    assert out["conflicts"] == [{"id": "calling:description", "step_id": "calling", "field": "description",
                                 "base": None, "theirs": "theirs", "mine": "mine"}]
    assert Flow.objects.get(flow_id="main").to_rasa() == theirs  # nothing saved until dana decides


@pytest.mark.parametrize("choice, expected", [("mine", "mine"), ("theirs", "theirs")])
def test_resolving_the_overlap_keeps_every_other_change(two_designers, choice, expected):
    designer, dana, base = two_designers
    theirs = _with(base["body"], 1, description="theirs")
    theirs["steps"][0]["description"] = "their other step"
    designer.put("/flows/main", {"body": theirs, "revision": 1})
    mine = _with(base["body"], 1, description="mine")
    mine["name"] = "dana's name"

    res = dana.put("/flows/main", {"body": mine, "revision": 1, "base": base["body"],
                                   "resolutions": {"calling:description": choice}, "seen_revision": 2})

    assert res.status_code == 200, res.json()
    saved = Flow.objects.get(flow_id="main").to_rasa()
    assert saved["steps"][1]["description"] == expected
    assert saved["steps"][0]["description"] == "their other step"
    assert saved["name"] == "dana's name"


def test_resolutions_made_against_an_older_version_ask_again(two_designers):
    designer, dana, base = two_designers
    designer.put("/flows/main", {"body": _with(base["body"], 1, description="theirs"), "revision": 1})
    designer.put("/flows/main", {"body": _with(base["body"], 1, description="theirs again"), "revision": 2})

    res = dana.put("/flows/main", {"body": _with(base["body"], 1, description="mine"), "revision": 1,
                                   "base": base["body"], "resolutions": {"calling:description": "mine"},
                                   "seen_revision": 2})

    assert res.status_code == 409
    assert res.json()["conflicts"][0]["theirs"] == "theirs again"


def test_a_stale_save_without_a_base_is_still_refused(two_designers):
    designer, dana, base = two_designers
    designer.put("/flows/main", {"body": _with(base["body"], 0, description="x"), "revision": 1})
    res = dana.put("/flows/main", {"body": _with(base["body"], 1, description="y"), "revision": 1})
    assert res.status_code == 409 and res.json()["current"]["updated_by"] == "designer"


def test_a_merged_flow_is_still_checked(two_designers):
    designer, dana, base = two_designers
    designer.put("/flows/main", {"body": _with(base["body"], 0, description="x"), "revision": 1})
    res = dana.put("/flows/main", {"body": {"steps": "no"}, "revision": 1, "base": base["body"]})
    assert res.status_code == 422


def test_a_viewer_cannot_save_by_sending_a_base(api, flows):
    base = api("viewer").get("/flows/main").json()
    res = api("viewer").put("/flows/main", {"body": base["body"], "revision": 0, "base": base["body"]})
    assert res.status_code == 403


# --- responses ------------------------------------------------------------------------------------


@pytest.fixture
def two_writers(api, flows, make_user):
    wendy = make_user("wendy")
    Membership.objects.create(user=wendy, assistant=flows, role="writer")
    return api("writer"), _as(api, "wendy", wendy), api("writer").get("/responses/utter_done").json()


def test_two_writers_changing_different_variations_both_keep_their_text(two_writers):
    writer, wendy, base = two_writers
    assert writer.put("/responses/utter_done", {"variations": [{"text": "All done"}],
                                               "revision": base["revision"]}).status_code == 200

    res = wendy.put("/responses/utter_done", {
        "variations": [{"text": "Done", "channel": "web"}, {"text": "Finished"}],
        "revision": base["revision"], "base": base["variations"]})

    assert res.status_code == 200, res.json()
    assert Response.objects.get(name="utter_done").variations == [
        {"text": "All done", "channel": "web"}, {"text": "Finished"}]
    assert res.json()["merge"]["theirs_by"] == "writer"


def test_two_writers_changing_the_same_text_are_asked(two_writers):
    writer, wendy, base = two_writers
    writer.put("/responses/utter_done", {"variations": [{"text": "All done"}], "revision": base["revision"]})

    res = wendy.put("/responses/utter_done", {"variations": [{"text": "Finished"}],
                                              "revision": base["revision"], "base": base["variations"]})

    assert res.status_code == 409
    assert res.json()["conflicts"] == [{"id": "0:text", "step_id": "0", "field": "text", "base": "Done",
                                        "theirs": "All done", "mine": "Finished"}]
    assert res.json()["detail"] == ("utter_done was changed by writer (now at revision 2); "
                                    "1 change overlaps yours: variation 1, field text")
