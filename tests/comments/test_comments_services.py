"""Threads per role: who may comment, edit, delete, resolve and reopen."""
import pytest

from studio.comments import services
from studio.comments.models import Comment, Thread
from studio.comments.selectors import threads_for_target
from studio.core.exceptions import Conflict, Forbidden, NotFound, RevisionConflict, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["owner", "designer", "writer", "viewer"])
def test_every_member_including_a_viewer_can_start_a_thread_and_reply(role, start, on_step, users, content):
    thread = start(role, on_step("ask_amount"), "Should we ask for the currency too?")
    services.comment_add(user=users["owner"], assistant=content, thread_id=thread.pk, body="Yes")
    [seen] = threads_for_target(users[role], content, on_step("ask_amount"))
    assert [c.body for c in seen.comments.all()] == ["Should we ask for the currency too?", "Yes"]
    assert seen.comments.first().author == users[role]


def test_an_outsider_can_neither_read_nor_comment(start, on_step, users, content):
    thread = start("viewer", on_step("ask_amount"))
    with pytest.raises(NotFound, match="Assistant 'pizza-bot' not found"):
        threads_for_target(users["outsider"], content, on_step("ask_amount"))
    with pytest.raises(NotFound):
        services.comment_add(user=users["outsider"], assistant=content, thread_id=thread.pk, body="hi")
    with pytest.raises(NotFound):
        start("outsider", on_step("ask_amount"))


def test_an_empty_or_too_long_comment_is_refused_naming_the_body(start, on_step):
    with pytest.raises(ValidationFailed) as empty:
        start("writer", on_step("ask_amount"), "   ")
    assert empty.value.problems[0].as_dict() == {"loc": ["body"], "msg": "Write a comment first"}
    with pytest.raises(ValidationFailed) as long:
        start("writer", on_step("ask_amount"), "x" * 4001)
    assert long.value.problems[0].msg == "A comment is at most 4000 characters (this one has 4001)"
    assert not Thread.objects.exists()


def test_a_thread_on_a_step_or_response_that_does_not_exist_is_refused(start, on_step, on_response):
    with pytest.raises(NotFound, match="Step 'nope' not found in flow 'transfer'"):
        start("writer", on_step("nope"))
    with pytest.raises(NotFound, match="Flow 'other' not found"):
        start("writer", on_step("ask_amount", flow_id="other"))
    with pytest.raises(NotFound, match="Response 'utter_nope' not found"):
        start("writer", on_response("utter_nope"))


def test_a_step_without_an_explicit_id_is_named_by_its_default_id(start, on_step):
    thread = start("writer", on_step("transfer_1_utter_confirm"))
    assert thread.step_id == "transfer_1_utter_confirm"


def test_only_the_author_edits_a_comment_and_a_stale_revision_is_a_conflict(start, on_response, users, content):
    comment = start("writer", on_response()).comments.get()
    with pytest.raises(Forbidden, match="Only the author can edit this comment"):
        services.comment_edit(user=users["owner"], assistant=content, comment_id=comment.pk, body="x", revision=1)
    edited = services.comment_edit(user=users["writer"], assistant=content, comment_id=comment.pk,
                                   body="Better wording", revision=1)
    assert (edited.body, edited.revision, edited.edited_at is not None) == ("Better wording", 2, True)
    with pytest.raises(RevisionConflict, match="edited in another window"):
        services.comment_edit(user=users["writer"], assistant=content, comment_id=comment.pk, body="Again", revision=1)


@pytest.mark.parametrize("role, allowed", [("writer", True), ("owner", True), ("designer", False), ("viewer", False)])
def test_the_author_or_an_owner_may_delete_a_comment(role, allowed, start, on_response, users, content):
    thread = start("writer", on_response())
    reply = services.comment_add(user=users["viewer"], assistant=content, thread_id=thread.pk, body="agreed")
    first = thread.comments.order_by("id").first()
    if not allowed:
        with pytest.raises(Forbidden, match="Only the author or an owner can delete this comment"):
            services.comment_delete(user=users[role], assistant=content, comment_id=first.pk)
        return
    services.comment_delete(user=users[role], assistant=content, comment_id=first.pk)
    assert list(Comment.objects.values_list("pk", flat=True)) == [reply.pk]


def test_deleting_the_last_comment_removes_the_thread(start, on_response, users, content):
    thread = start("viewer", on_response())
    services.comment_delete(user=users["viewer"], assistant=content, comment_id=thread.comments.get().pk)
    assert not Thread.objects.filter(pk=thread.pk).exists()


def test_a_comment_of_another_assistant_is_not_found(start, on_response, users, make_assistant):
    comment = start("owner", on_response()).comments.get()
    other = make_assistant(users["owner"], name="Other Bot")
    with pytest.raises(NotFound, match=f"Comment {comment.pk} not found in 'other-bot'"):
        services.comment_delete(user=users["owner"], assistant=other, comment_id=comment.pk)


@pytest.mark.parametrize("role", ["owner", "viewer"])
def test_any_member_resolves_and_reopens_a_thread(role, start, on_step, users, content):
    thread = start("writer", on_step("ask_amount"))
    resolved = services.thread_resolve(user=users[role], assistant=content, thread_id=thread.pk)
    assert resolved.resolved and resolved.resolved_by == users[role]
    reopened = services.thread_reopen(user=users[role], assistant=content, thread_id=thread.pk)
    assert not reopened.resolved and reopened.resolved_by is None


def test_resolving_twice_says_who_resolved_it_and_reopening_an_open_thread_is_refused(start, on_step, users, content):
    thread = start("writer", on_step("ask_amount"))
    services.thread_resolve(user=users["designer"], assistant=content, thread_id=thread.pk)
    with pytest.raises(Conflict, match="This thread was already resolved by designer"):
        services.thread_resolve(user=users["owner"], assistant=content, thread_id=thread.pk)
    services.thread_reopen(user=users["owner"], assistant=content, thread_id=thread.pk)
    with pytest.raises(Conflict, match="This thread is already open"):
        services.thread_reopen(user=users["owner"], assistant=content, thread_id=thread.pk)
