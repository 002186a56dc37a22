"""The comments panel on the response page and the step page, with and without htmx, per role."""
import pytest
from django.urls import reverse

from studio.comments.models import Thread

pytestmark = pytest.mark.django_db

ROLES = ["owner", "designer", "writer", "viewer"]


def _step_url(step="ask_amount", flow="transfer"):
    return reverse("step_comments", args=["pizza-bot", flow, step])


@pytest.mark.parametrize("role", ROLES)
def test_every_member_sees_the_panel_on_the_response_page(role, start, on_response, client_for, content):
    start("writer", on_response(), "Too <em>formal</em>?")
    page = client_for(role).get(reverse("response_edit", args=["pizza-bot", "utter_greet"]))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="comments"' in text and "Too &lt;em&gt;formal&lt;/em&gt;?" in text
    assert "Start a thread" in text


@pytest.mark.parametrize("url", [_step_url(), reverse("assistant_comments", args=["pizza-bot"])])
def test_an_outsider_gets_404_on_comment_pages(url, client_for, content):
    assert client_for("outsider").get(url).status_code == 404


def test_a_viewer_starts_a_thread_on_a_step_without_javascript(client_for, content):
    client = client_for("viewer")
    answer = client.post(reverse("thread_start", args=["pizza-bot"]), {
        "kind": "flow-step", "flow_id": "transfer", "step_id": "ask_amount", "body": "Ask for currency?",
        "next": _step_url()})
    assert answer.status_code == 302 and answer["Location"] == _step_url()
    page = client.get(_step_url()).content.decode()
    assert "Ask for currency?" in page and "<strong>viewer</strong>" in page


def test_an_offsite_next_is_ignored(client_for, content):
    answer = client_for("viewer").post(reverse("thread_start", args=["pizza-bot"]), {
        "kind": "response", "response": "utter_greet", "body": "hm", "next": "https://evil.example/"})
    assert answer["Location"] == reverse("response_edit", args=["pizza-bot", "utter_greet"]) + "#comments"


def test_under_htmx_a_reply_answers_with_the_panel_alone(start, on_step, client_for, content):
    thread = start("writer", on_step("ask_amount"))
    answer = client_for("designer").post(reverse("thread_reply", args=["pizza-bot", thread.pk]),
                                         {"body": "@writer done", "next": _step_url()}, HTTP_HX_REQUEST="true")
    text = answer.content.decode()
    assert answer.status_code == 200 and text.lstrip().startswith("<section")
    assert '<a class="mention" href="/assistants/pizza-bot/members/">@writer</a> done' in text


def test_under_htmx_an_empty_comment_shows_the_error_in_the_panel(client_for, content):
    answer = client_for("viewer").post(reverse("thread_start", args=["pizza-bot"]), {
        "kind": "response", "response": "utter_greet", "body": " "}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 422
    assert '<div class="msg msg-error" role="alert">body: Write a comment first</div>' in answer.content.decode()


def test_without_javascript_a_refusal_is_a_message_on_the_page(start, on_step, client_for, content):
    thread = start("writer", on_step("ask_amount"))
    client = client_for("viewer")
    client.post(reverse("thread_resolve", args=["pizza-bot", thread.pk]), {"next": _step_url()})
    answer = client.post(reverse("thread_resolve", args=["pizza-bot", thread.pk]), {"next": _step_url()}, follow=True)
    assert "This thread was already resolved by viewer" in answer.content.decode()


def test_resolve_then_reopen_from_the_panel(start, on_step, client_for, content):
    thread = start("writer", on_step("ask_amount"))
    client = client_for("viewer")
    resolved = client.post(reverse("thread_resolve", args=["pizza-bot", thread.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "resolved by viewer" in resolved and ">Reopen</button>" in resolved
    reopened = client.post(reverse("thread_reopen", args=["pizza-bot", thread.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert ">Resolve</button>" in reopened and Thread.objects.get().resolved_at is None


def test_edit_and_delete_buttons_show_only_for_the_author_and_delete_for_an_owner(start, on_step, client_for, content):
    start("writer", on_step("ask_amount"))
    as_writer = client_for("writer").get(_step_url()).content.decode()
    as_owner = client_for("owner").get(_step_url()).content.decode()
    as_viewer = client_for("viewer").get(_step_url()).content.decode()
    assert "<summary>Edit</summary>" in as_writer and ">Delete</button>" in as_writer
    assert "<summary>Edit</summary>" not in as_owner and ">Delete</button>" in as_owner
    assert ">Delete</button>" not in as_viewer


def test_an_author_edits_a_comment_from_the_page(start, on_step, client_for, content):
    comment = start("writer", on_step("ask_amount")).comments.get()
    client_for("writer").post(reverse("comment_edit", args=["pizza-bot", comment.pk]),
                              {"body": "Reworded", "revision": "1"})
    comment.refresh_from_db()
    assert comment.body == "Reworded"
    assert "Reworded</div>" in client_for("viewer").get(_step_url()).content.decode()


def test_the_step_page_of_a_deleted_step_lists_its_threads_as_outdated(start, on_step, client_for, users, content):
    from studio.assistants import services as items

    start("writer", on_step("ask_amount"), "keep me")
    items.flow_delete(user=users["owner"], assistant=content, flow_id="transfer")
    page = client_for("viewer").get(_step_url()).content.decode()
    assert "This step no longer exists; its threads are kept, marked outdated." in page
    assert "keep me" in page and '<span class="pill pill-outdated">outdated</span>' in page
    assert "Start a thread" not in page
    listing = client_for("viewer").get(reverse("assistant_comments", args=["pizza-bot"])).content.decode()
    assert "step <code>transfer / ask_amount</code>" in listing and "outdated" in listing


@pytest.mark.parametrize("role", ROLES)
def test_every_member_opens_a_steps_comments_page_linked_back_to_the_editor(role, start, on_step, client_for, content):
    start("viewer", on_step("transfer_1_utter_confirm"), "Say the amount back?")
    page = client_for(role).get(_step_url("transfer_1_utter_confirm"))
    text = page.content.decode()
    assert page.status_code == 200 and "Say the amount back?" in text
    assert 'href="/assistants/pizza-bot/flows/transfer/edit/#step=transfer_1_utter_confirm"' in text


def test_the_editor_page_tells_the_badges_where_counts_and_threads_are(client_for, content):
    text = client_for("viewer").get(reverse("flow_editor", args=["pizza-bot", "transfer"])).content.decode()
    assert 'data-comments-counts-url="/api/assistants/pizza-bot/comments/steps?flow_id=transfer"' in text
    assert 'data-comments-url-template="/assistants/pizza-bot/comments/step/transfer/__STEP__/"' in text
