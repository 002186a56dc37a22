"""The JSON API the editor's badges and other clients use, per role."""
import json

import pytest

pytestmark = pytest.mark.django_db

BASE = "/api/assistants/pizza-bot/comments"


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("role", ["owner", "designer", "writer", "viewer"])
def test_every_member_starts_a_thread_and_reads_the_step_counts(role, client_for, content):
    client = client_for(role)
    made = _post(client, f"{BASE}/threads", {"kind": "flow-step", "flow_id": "transfer", "step_id": "ask_amount",
                                              "body": "<b>hi</b> @viewer"})
    assert made.status_code == 201, made.content
    thread = made.json()
    assert (thread["target"], thread["outdated"], thread["resolved"]) == ("transfer / ask_amount", False, False)
    [comment] = thread["comments"]
    assert comment["body"] == "<b>hi</b> @viewer" and comment["html"].startswith("&lt;b&gt;hi&lt;/b&gt; ")
    assert comment["mentions"] == ([] if role == "viewer" else ["viewer"])
    counts = client.get(f"{BASE}/steps?flow_id=transfer")
    assert counts.json() == {"ask_amount": {"open": 1, "resolved": 0}}


def test_an_outsider_gets_404_from_every_route(start, on_step, client_for, content):
    thread = start("writer", on_step("ask_amount"))
    client = client_for("outsider")
    comment_id = thread.comments.get().pk
    answers = [
        client.get(f"{BASE}/steps?flow_id=transfer"),
        client.get(f"{BASE}/threads?kind=flow-step&flow_id=transfer&step_id=ask_amount"),
        client.get(f"{BASE}/threads/{thread.pk}"),
        _post(client, f"{BASE}/threads/{thread.pk}/comments", {"body": "x"}),
        _post(client, f"{BASE}/threads/{thread.pk}/resolve", {}),
        client.delete(f"{BASE}/{comment_id}"),
    ]
    assert [a.status_code for a in answers] == [404] * 6
    assert answers[0].json() == {"detail": "Assistant 'pizza-bot' not found"}


def test_a_bad_kind_or_missing_step_names_the_field(client_for, content):
    client = client_for("viewer")
    bad_kind = _post(client, f"{BASE}/threads", {"kind": "slot", "body": "x"})
    assert bad_kind.status_code == 422
    assert bad_kind.json() == {"detail": [{"loc": ["kind"], "msg": "'slot' is not one of flow-step, response"}]}
    no_step = client.get(f"{BASE}/threads?kind=flow-step&flow_id=transfer")
    assert no_step.json() == {"detail": [{"loc": ["step_id"], "msg": "Name the step"}]}


def test_reply_resolve_reopen_and_counts(start, on_step, client_for, content):
    thread = start("writer", on_step("ask_amount"))
    client = client_for("viewer")
    reply = _post(client, f"{BASE}/threads/{thread.pk}/comments", {"body": "ok"})
    assert reply.status_code == 201 and reply.json()["author"] == "viewer"
    resolved = _post(client, f"{BASE}/threads/{thread.pk}/resolve", {})
    assert resolved.json()["resolved_by"] == "viewer"
    assert client.get(f"{BASE}/steps?flow_id=transfer").json() == {"ask_amount": {"open": 0, "resolved": 1}}
    again = _post(client, f"{BASE}/threads/{thread.pk}/resolve", {})
    assert again.status_code == 409 and again.json() == {"detail": "This thread was already resolved by viewer"}
    assert _post(client, f"{BASE}/threads/{thread.pk}/reopen", {}).json()["resolved"] is False


def test_editing_needs_the_author_and_the_current_revision(start, on_step, client_for, content):
    comment_id = start("writer", on_step("ask_amount")).comments.get().pk
    url = f"{BASE}/{comment_id}"
    body = json.dumps({"body": "new", "revision": 1})
    assert client_for("owner").patch(url, body, content_type="application/json").status_code == 403
    writer = client_for("writer")
    assert writer.patch(url, body, content_type="application/json").json()["revision"] == 2
    stale = writer.patch(url, body, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["current"] == {"id": comment_id, "revision": 2, "body": "new"}


def test_an_owner_deletes_someone_elses_comment(start, on_step, client_for, content):
    comment_id = start("writer", on_step("ask_amount")).comments.get().pk
    assert client_for("designer").delete(f"{BASE}/{comment_id}").status_code == 403
    assert client_for("owner").delete(f"{BASE}/{comment_id}").status_code == 204
    assert client_for("owner").get(f"{BASE}/steps?flow_id=transfer").json() == {}
