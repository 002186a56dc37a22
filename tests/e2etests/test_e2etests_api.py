"""The tests API: list, case get/put/delete with revisions, generate, runs, conversation downloads."""
import pytest

from studio.e2etests import services
from studio.exchange.services import assistant_import
from studio.assistants.demo import DEMO_DIR

JSON = "application/json"


@pytest.fixture
def demo(users):
    from studio.accounts.models import Membership
    assistant = assistant_import(user=users["owner"], source=DEMO_DIR).assistant
    for role in ("designer", "writer", "viewer"):
        Membership.objects.create(user=users[role], assistant=assistant, role=role)
    services.tests_generate_save(user=users["designer"], assistant=assistant)
    return assistant


def test_viewer_lists_files_and_reads_a_case_but_cannot_change_it(demo, client_for):
    viewer = client_for("viewer")
    files = viewer.get(f"/api/assistants/{demo.slug}/tests").json()
    assert [f["path"] for f in files] == ["tests/flow_paths.yml"]
    assert [c["name"] for c in files[0]["cases"]][:2] == ["order_drink_path_1", "order_drink_path_2"]
    case = viewer.get(f"/api/assistants/{demo.slug}/tests/case",
                      {"file": "tests/flow_paths.yml", "name": "leave_feedback_path_1"}).json()
    assert case["yaml"].startswith("test_case: leave_feedback_path_1\nsteps:\n")
    body = {"file": "tests/flow_paths.yml", "name": "leave_feedback_path_1", "yaml": case["yaml"],
            "revision": case["revision"]}
    response = viewer.put(f"/api/assistants/{demo.slug}/tests/case", body, content_type=JSON)
    assert response.status_code == 403
    assert client_for("outsider").get(f"/api/assistants/{demo.slug}/tests").status_code == 404


def test_designer_put_names_the_bad_line_and_a_stale_revision_is_409(demo, client_for):
    designer = client_for("designer")
    url = f"/api/assistants/{demo.slug}/tests/case"
    case = designer.get(url, {"file": "tests/flow_paths.yml", "name": "leave_feedback_path_1"}).json()
    body = {"file": "tests/flow_paths.yml", "name": "leave_feedback_path_1",
            "yaml": "test_case: leave_feedback_path_1\nsteps:\n  - user: hi\n    bot: hello\n",
            "revision": case["revision"]}
    response = designer.put(url, body, content_type=JSON)
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == (
        "line 3: a step needs exactly one of user, bot, utter, slot_was_set, slot_was_not_set")
    saved = designer.put(url, {**body, "yaml": case["yaml"].replace("example", "lovely", 1)}, content_type=JSON)
    assert saved.status_code == 200
    again = designer.put(url, body | {"yaml": case["yaml"]}, content_type=JSON)
    assert again.status_code == 409
    assert again.json()["detail"] == "The test file was changed since you opened it; reload to see the current version"
    gone = designer.delete(url + f"?file=tests/flow_paths.yml&name=leave_feedback_path_1&revision={saved.json()['revision']}")
    assert gone.status_code == 204


def test_generate_dry_run_previews_and_a_viewer_may_not_generate(demo, client_for):
    preview = client_for("designer").post(f"/api/assistants/{demo.slug}/tests/generate?dry_run=true")
    assert preview.status_code == 200
    assert preview.json()["skipped"] == [
        "check_loyalty: not started by users (its 'if' guard); the flows that call or link it cover its steps"]
    assert client_for("viewer").post(f"/api/assistants/{demo.slug}/tests/generate").status_code == 403


def test_a_run_through_the_api_reports_results_and_unreached_steps(demo, client_for, django_capture_on_commit_callbacks):
    viewer = client_for("viewer")
    with django_capture_on_commit_callbacks(execute=True):
        # No generator: the one try-it uses for the demo (offline), which the generated tests were played with.
        created = viewer.post(f"/api/assistants/{demo.slug}/tests/runs", {}, content_type=JSON)
    assert created.status_code == 202
    run = viewer.get(f"/api/assistants/{demo.slug}/tests/runs/{created.json()['id']}").json()
    assert (run["status"], run["passed"], run["total"]) == ("passed", 5, 5)
    assert run["unreached"] == {"order_drink": [], "check_loyalty": [], "opening_hours": [], "leave_feedback": []}
    bad = viewer.post(f"/api/assistants/{demo.slug}/tests/runs", {"generator": "gpt"}, content_type=JSON)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "generator"
