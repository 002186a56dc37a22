"""The editor's flow routes: read, save with revision, conflicts, roles, list/create/duplicate/delete."""
import pytest

from studio.assistants.models import Flow

pytestmark = pytest.mark.django_db

NEW_BODY = {"name": "main flow", "description": "send money", "steps": [
    {"collect": "amount"}, {"action": "utter_done", "next": "END"}]}


def test_designer_reads_a_flow_in_rasa_shape_with_revision_and_problems(api):
    res = api("designer").get("/flows/main")
    assert res.status_code == 200
    data = res.json()
    assert data["body"]["steps"] == [{"collect": "amount"}, {"id": "calling", "call": "check"}, {"link": "bye"}]
    assert data["revision"] == 1
    assert isinstance(data["problems"], list)


def test_reading_reports_problems_per_step_from_the_engine(api, flows, users):
    from studio.assistants import services

    services.flow_save(user=users["owner"], assistant=flows, flow_id="main", revision=1,
                       data={"description": "send money", "steps": [{"collect": "unknown_slot"}]})
    problems = api("viewer").get("/flows/main").json()["problems"]
    assert {"flow_id": "main", "step_id": "main_0_collect_unknown_slot",
            "message": "collect uses slot 'unknown_slot', which is not defined in the domain"} in problems


def test_designer_saves_with_the_loaded_revision(api):
    res = api("designer").put("/flows/main", {"body": NEW_BODY, "revision": 1})
    assert res.status_code == 200
    assert res.json()["revision"] == 2
    assert Flow.objects.get(flow_id="main").to_rasa() == NEW_BODY


def test_a_stale_revision_is_refused_with_the_current_flow(api):
    designer = api("designer")
    assert designer.put("/flows/main", {"body": NEW_BODY, "revision": 1}).status_code == 200
    stale = api("owner").put("/flows/main", {"body": {"description": "mine", "steps": []}, "revision": 1})
    assert stale.status_code == 409
    current = stale.json()["current"]
    assert current["revision"] == 2
    assert current["body"] == NEW_BODY
    assert current["updated_by"] == "designer"
    assert Flow.objects.get(flow_id="main").description == "send money"


@pytest.mark.parametrize("role", ["writer", "viewer"])
def test_writers_and_viewers_cannot_save_flows(api, role):
    res = api(role).put("/flows/main", {"body": NEW_BODY, "revision": 1})
    assert res.status_code == 403
    assert f"Your role on 'Pizza Bot' is {role}" in res.json()["detail"]
    assert Flow.objects.get(flow_id="main").revision == 1


def test_outsiders_do_not_see_the_assistant(api):
    assert api("outsider").get("/flows/main").status_code == 404


def test_anonymous_requests_are_unauthorised(client, flows):
    assert client.get(f"/api/assistants/{flows.slug}/editor/flows/main").status_code == 401


def test_saving_a_malformed_flow_names_the_field(api):
    res = api("designer").put("/flows/main", {"body": {"description": "x", "steps": "not a list"}, "revision": 1})
    assert res.status_code == 422
    assert res.json()["detail"] == [{"loc": ["data", "steps"], "msg": "must be a list"}]


def test_saving_without_a_revision_is_a_validation_error(api):
    res = api("designer").put("/flows/main", {"body": NEW_BODY})
    assert res.status_code == 422


def test_saving_an_unknown_flow_is_not_found(api):
    assert api("designer").put("/flows/nope", {"body": NEW_BODY, "revision": 1}).status_code == 404


def test_flow_list_searches_name_and_description_and_shows_usages(api):
    res = api("viewer").get("/flows?q=balance")
    assert [f["flow_id"] for f in res.json()] == ["check"]
    assert res.json()[0]["used_by"] == [{"flow_id": "main", "kind": "call", "step_id": "calling",
                                         "where": "flow main, step calling: call", "file": "data/flows/main.yml",
                                         "line": None}]


def test_flow_list_follows_edits_to_the_e2e_tests_that_name_a_flow(api, flows):
    from studio.exchange.models import SourceFile

    case = "test_cases:\n  - test_case: leaving\n    steps:\n      - user: bye\n      - utter: utter_done\n" \
           "        assertions:\n          - flow_started: {flow}\n"
    test_file = SourceFile.objects.create(assistant=flows, path="tests/e2e.yml", kind="e2e_test",
                                          content=case.format(flow="bye").encode())

    def users_of_bye():
        listed = {f["flow_id"]: f["used_by"] for f in api("viewer").get("/flows").json()}
        return sorted((u["file"], u["flow_id"]) for u in listed["bye"])

    assert users_of_bye() == [("data/flows/main.yml", "main"), ("tests/e2e.yml", "")]
    assert users_of_bye() == [("data/flows/main.yml", "main"), ("tests/e2e.yml", "")]  # read again, same answer
    test_file.content = case.format(flow="check").encode()
    test_file.save()
    assert users_of_bye() == [("data/flows/main.yml", "main")]


def test_designer_creates_a_flow(api):
    res = api("designer").post("/flows", {"flow_id": "fresh", "description": "a new one"})
    assert res.status_code == 201
    assert res.json()["body"] == {"description": "a new one", "steps": []}


def test_creating_a_flow_with_a_taken_or_bad_id_names_the_field(api):
    taken = api("designer").post("/flows", {"flow_id": "main"})
    assert taken.status_code == 422
    assert taken.json()["detail"] == [{"loc": ["flow_id"], "msg": "a flow with id 'main' already exists"}]
    bad = api("designer").post("/flows", {"flow_id": "has space"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["flow_id"]


def test_viewer_cannot_create_duplicate_or_delete_flows(api):
    viewer = api("viewer")
    assert viewer.post("/flows", {"flow_id": "x"}).status_code == 403
    assert viewer.post("/flows/main/duplicate", {"new_flow_id": "x"}).status_code == 403
    assert viewer.delete("/flows/main").status_code == 403
    assert Flow.objects.filter(flow_id="main").exists()


def test_designer_duplicates_a_flow(api):
    res = api("designer").post("/flows/main/duplicate", {"new_flow_id": "main_copy"})
    assert res.status_code == 201
    assert res.json()["body"]["name"] == "main flow (copy)"
    assert res.json()["body"]["steps"] == Flow.objects.get(flow_id="main").steps


def test_usages_name_the_flows_that_link_or_call(api):
    assert api("viewer").get("/flows/bye/usages").json() == [{
        "flow_id": "main", "kind": "link", "step_id": "", "where": "flow main, step main_2_link_bye: link",
        "file": "data/flows/main.yml", "line": None}]
    assert api("viewer").get("/flows/main/usages").json() == []


def test_designer_deletes_a_flow_nothing_uses(api):
    assert api("designer").delete("/flows/main").status_code == 204
    assert not Flow.objects.filter(flow_id="main").exists()


def test_deleting_a_linked_flow_is_refused_listing_every_usage(api):
    res = api("designer").delete("/flows/bye")
    assert res.status_code == 409
    assert res.json() == {"detail": "Cannot delete flow 'bye': it is used in 1 place", "usages": [{
        "file": "data/flows/main.yml", "line": None, "where": "flow main, step main_2_link_bye: link",
        "removable": True, "code": False}]}
    assert Flow.objects.filter(flow_id="bye").exists()


def test_delete_with_references_previews_then_removes_the_link_step(api):
    designer = api("designer")
    preview = designer.delete("/flows/bye?remove_references=1&dry_run=1")
    assert preview.status_code == 200 and preview.json()["dry_run"] is True
    changes = {c["what"]: c["diff"] for c in preview.json()["changes"]}
    assert sorted(changes) == ["flow bye", "flow main"]
    assert "-    - link: bye\n" in changes["flow main"] and "+bye:" not in changes["flow bye"]
    assert Flow.objects.filter(flow_id="bye").exists()
    done = designer.delete("/flows/bye?remove_references=1")
    assert done.status_code == 200 and done.json()["changed"] == 2
    assert not Flow.objects.filter(flow_id="bye").exists()
    assert Flow.objects.get(flow_id="main").steps == [{"collect": "amount"}, {"id": "calling", "call": "check"}]
