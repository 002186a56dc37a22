"""@mentions: only members of the assistant, the text escaped, an inbox with an unread count."""
import pytest
from django.urls import reverse

from studio.accounts.models import Membership
from studio.comments import services
from studio.comments.mentions import mentioned_names, render_body
from studio.comments.models import Mention
from studio.comments.selectors import comment_html, mention_unread_count, threads_for_target

pytestmark = pytest.mark.django_db


def test_names_are_found_once_each_and_trailing_punctuation_is_not_part_of_them():
    assert mentioned_names("@ana, thanks @bo.b. and @ana again; mail me at x@ana.org") == ["ana", "bo.b"]


def test_the_body_is_escaped_and_only_linked_names_become_links():
    html = render_body("<b>@ana</b> & @nobody\nsecond line", {"ana": "/m/"})
    assert html == '&lt;b&gt;<a class="mention" href="/m/">@ana</a>&lt;/b&gt; &amp; @nobody<br>second line'


def test_only_members_of_that_assistant_are_mentioned(start, on_response, users, make_user, content):
    make_user("stranger")
    thread = start("writer", on_response(), "@viewer @outsider @stranger @ghost please check <script>")
    assert [m.user.username for m in Mention.objects.all()] == ["viewer"]
    [seen] = threads_for_target(users["viewer"], content, on_response())
    members = reverse("members", args=[content.slug])
    assert comment_html(seen.comments.get()) == (
        f'<a class="mention" href="{members}">@viewer</a> @outsider @stranger @ghost please check &lt;script&gt;')
    assert mention_unread_count(users["viewer"]) == 1 and mention_unread_count(users["outsider"]) == 0
    assert thread.pk


def test_mentioning_yourself_notifies_nobody(start, on_response, users):
    start("writer", on_response(), "note to self @writer")
    assert mention_unread_count(users["writer"]) == 0


def test_an_edit_that_drops_a_name_drops_its_mention_and_a_new_name_adds_one(start, on_response, users, content):
    comment = start("writer", on_response(), "@viewer look").comments.get()
    services.comment_edit(user=users["writer"], assistant=content, comment_id=comment.pk, body="@designer look",
                          revision=1)
    assert [m.user.username for m in Mention.objects.all()] == ["designer"]


def test_the_nav_shows_the_unread_count_and_the_inbox_lists_the_mention(start, on_step, client_for, users):
    start("writer", on_step("ask_amount"), "@viewer is <i>this</i> wording ok?")
    page = client_for("viewer").get(reverse("mentions"))
    text = page.content.decode()
    assert '<span class="pill mentions-count" aria-label="1 unread">1</span>' in text
    assert "is &lt;i&gt;this&lt;/i&gt; wording ok?" in text
    assert "Pizza Bot: step <code>transfer / ask_amount</code>" in text
    assert 'aria-label="1 unread"' not in client_for("designer").get(reverse("mentions")).content.decode()


def test_opening_a_mention_marks_it_read_and_goes_to_the_thread(start, on_step, client_for, users):
    start("writer", on_step("ask_amount"), "@viewer ?")
    mention = Mention.objects.get()
    client = client_for("viewer")
    opened = client.get(reverse("mention_open", args=[mention.pk]))
    assert opened.status_code == 302
    assert opened["Location"] == reverse("step_comments", args=["pizza-bot", "transfer", "ask_amount"])
    assert mention_unread_count(users["viewer"]) == 0
    assert 'aria-label="1 unread"' not in client.get(reverse("mentions")).content.decode()


def test_someone_elses_mention_cannot_be_opened(start, on_step, client_for):
    start("writer", on_step("ask_amount"), "@viewer ?")
    assert client_for("designer").get(reverse("mention_open", args=[Mention.objects.get().pk])).status_code == 404


def test_mark_all_read_clears_the_count(start, on_step, on_response, client_for, users):
    start("writer", on_step("ask_amount"), "@viewer one")
    start("owner", on_response(), "@viewer two")
    assert mention_unread_count(users["viewer"]) == 2
    client_for("viewer").post(reverse("mentions_read"))
    assert mention_unread_count(users["viewer"]) == 0


def test_a_removed_member_no_longer_sees_mentions_from_that_assistant(start, on_response, users, client_for):
    start("writer", on_response(), "@viewer ?")
    Membership.objects.filter(user=users["viewer"]).delete()
    assert mention_unread_count(users["viewer"]) == 0
    assert "Nobody has mentioned you yet." in client_for("viewer").get(reverse("mentions")).content.decode()
