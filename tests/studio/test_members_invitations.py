"""Owners invite people from the Members page: a one-time link or a temporary password, shown once."""
from __future__ import annotations

import hashlib
import logging
import re
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from studio.accounts.models import Invitation, Membership

NEW_PASSWORD = "a passphrase of my own"
INVALID_LINK = "This invitation link is not valid: it was already used, or it was revoked."


def roles_of(assistant) -> dict[str, str]:
    return dict(Membership.objects.filter(assistant=assistant).values_list("user__username", "role"))


def invite(client, assistant, username="newbie", role="writer", method="link", **extra):
    data = {"username": username, "role": role, "method": method, "email": "", **extra}
    return client.post(f"/assistants/{assistant.slug}/members/invite/", data)


def shown(response, field: str) -> str:
    match = re.search(rf'id="invitation-{field}" readonly value="([^"]+)"', response.content.decode())
    assert match, f"no {field} on the page"
    return match.group(1)


def accept(link: str, password: str = NEW_PASSWORD, client: Client | None = None):
    client = client or Client()
    opened = client.get(link)
    assert (opened.status_code, opened["Location"]) == (302, "/invitations/accept/")
    return client, client.post("/invitations/accept/", {"new_password1": password, "new_password2": password})


def text(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def test_a_person_invited_with_a_link_sets_a_password_and_lands_on_the_assistant(client_for, assistant):
    response = invite(client_for("owner"), assistant, email="new@example.com")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    link = shown(response, "link")
    assert link.startswith("http://testserver/invitations/")
    assert roles_of(assistant)["newbie"] == "writer"

    client = Client()
    client.get(link)
    page = client.get("/invitations/accept/")
    assert "You are invited to <strong>Pizza Bot</strong> as <strong>newbie</strong>" in page.content.decode()
    _, done = accept(link, client=client)
    assert (done.status_code, done["Location"]) == (302, f"/assistants/{assistant.slug}/")
    overview = client.get(done["Location"])
    assert "your role: writer" in overview.content.decode()
    assert "Welcome, newbie: you are writer on Pizza Bot." in overview.content.decode()
    assert Client().post("/login/", {"username": "newbie", "password": NEW_PASSWORD}).status_code == 302
    assert get_user_model().objects.get(username="newbie").email == "new@example.com"


def test_only_a_hash_of_the_link_is_stored_and_the_account_has_no_password_until_then(client_for, assistant):
    link = shown(invite(client_for("owner"), assistant), "link")
    token = link.rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get(user__username="newbie")
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not invitation.user.has_usable_password()


def test_the_link_works_once(client_for, assistant):
    link = shown(invite(client_for("owner"), assistant), "link")
    accept(link)
    _, again = accept(link, password="another passphrase here")
    assert again.status_code == 404
    assert INVALID_LINK in text(again)
    assert Client().post("/login/", {"username": "newbie", "password": NEW_PASSWORD}).status_code == 302


def test_an_expired_link_says_so_and_sets_nothing(client_for, assistant):
    link = shown(invite(client_for("owner"), assistant), "link")
    Invitation.objects.update(expires_at=datetime(2026, 1, 2, 3, 4, tzinfo=dt_timezone.utc))
    _, response = accept(link)
    assert response.status_code == 410
    assert ("This invitation link expired on 2 Jan 2026, 03:04 UTC. Ask an owner of 'Pizza Bot' to invite you "
            "again.") in text(response)
    assert not get_user_model().objects.get(username="newbie").has_usable_password()


def test_a_made_up_link_is_refused(db):
    client = Client()
    client.get("/invitations/made-up-token/")
    response = client.get("/invitations/accept/")
    assert response.status_code == 404
    assert INVALID_LINK in text(response)


def test_a_weak_password_is_refused_on_the_invitation_page(client_for, assistant):
    link = shown(invite(client_for("owner"), assistant), "link")
    client, response = accept(link, password="short")
    assert response.status_code == 400
    assert "This password is too short. It must contain at least 8 characters." in text(response)
    assert accept(link, client=client)[1].status_code == 302  # the link is still good


def test_the_secret_is_shown_once_and_the_invitation_stays_pending_until_used(client_for, assistant):
    owner = client_for("owner")
    link = shown(invite(owner, assistant), "link")
    page = owner.get(f"/assistants/{assistant.slug}/members/").content.decode()
    assert link not in page
    assert 'id="pending-invitations"' in page and "Revoke" in page and "newbie" in page
    accept(link)
    assert 'id="pending-invitations"' not in owner.get(f"/assistants/{assistant.slug}/members/").content.decode()


def test_no_log_line_carries_the_link_or_the_temporary_password(client_for, assistant, caplog):
    caplog.set_level(logging.DEBUG)
    owner = client_for("owner")
    link = shown(invite(owner, assistant), "link")
    token = link.rstrip("/").rsplit("/", 1)[1]
    accept(link)
    accept(link)  # a refused reuse is logged as a 404, without the token
    password = shown(invite(owner, assistant, username="temp", method="password"), "password")
    Client().post("/login/", {"username": "temp", "password": password})
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Not Found: /invitations/accept/" in logged  # the refused reuse was logged, without the token
    assert token not in logged and password not in logged


def test_a_temporary_password_must_be_changed_at_first_login(client_for, assistant):
    password = shown(invite(client_for("owner"), assistant, role="viewer", method="password"), "password")
    client = Client()
    assert client.post("/login/", {"username": "newbie", "password": password}).status_code == 302
    assert client.get(f"/assistants/{assistant.slug}/")["Location"] == "/password/change/"
    api = client.get("/api/assistants/")
    assert (api.status_code, api.json()) == (403, {"detail": "Change your temporary password first: open "
                                                             "/password/change/"})
    assert "You logged in with a temporary password." in client.get("/password/change/").content.decode()

    same = client.post("/password/change/", {"old_password": password, "new_password1": password,
                                             "new_password2": password})
    assert same.status_code == 400
    assert "Choose a new password, not the one you have now." in same.content.decode()
    done = client.post("/password/change/", {"old_password": password, "new_password1": NEW_PASSWORD,
                                             "new_password2": NEW_PASSWORD})
    assert (done.status_code, done["Location"]) == (302, f"/assistants/{assistant.slug}/")
    assert "your role: viewer" in client.get(done["Location"]).content.decode()
    assert Invitation.objects.get(user__username="newbie").accepted_at is not None
    fresh = Client()
    fresh.post("/login/", {"username": "newbie", "password": NEW_PASSWORD})
    assert fresh.get("/").status_code == 200  # no second forced change


def test_an_expired_temporary_password_opens_nothing(client_for, assistant):
    password = shown(invite(client_for("owner"), assistant, method="password"), "password")
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client = Client()
    client.post("/login/", {"username": "newbie", "password": password})
    response = client.post("/password/change/", {"old_password": password, "new_password1": NEW_PASSWORD,
                                                  "new_password2": NEW_PASSWORD})
    assert response.status_code == 410
    assert "Your temporary password expired on " in text(response)
    assert "Ask an owner of 'Pizza Bot' to invite you again." in text(response)
    assert client.get("/")["Location"] == "/password/change/"


def test_an_existing_account_is_added_directly(client_for, assistant):
    response = invite(client_for("owner"), assistant, username="outsider", role="designer")
    assert response.status_code == 200
    assert "<strong>outsider</strong> already had an account and is now designer." in response.content.decode()
    assert roles_of(assistant)["outsider"] == "designer"
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"username": "writer"}, "Username: 'writer' is already a member; change their role in the list"),
        ({"username": "two words"}, "Username: Enter a valid username. This value may contain only letters, "
                                    "numbers, and @/./+/-/_ characters."),
        ({"email": "not-an-email"}, "Email (optional): Enter a valid email address."),
        ({"method": "pigeon"}, "If the account is new, give them: Select a valid choice. pigeon is not one of "
                               "the available choices."),
    ],
)
def test_bad_invitations_are_refused_naming_the_field(client_for, assistant, extra, message):
    response = invite(client_for("owner"), assistant, **extra)
    assert response.status_code == 400
    assert message in text(response)
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", ("designer", "writer", "viewer"))
def test_only_owners_invite_or_revoke(client_for, assistant, role):
    issued = invite(client_for("owner"), assistant, username="pending")
    pending = Invitation.objects.get().pk
    client = client_for(role)
    assert invite(client, assistant).status_code == 403
    assert client.post(f"/assistants/{assistant.slug}/invitations/{pending}/revoke/").status_code == 403
    page = client.get(f"/assistants/{assistant.slug}/members/").content.decode()
    assert "Revoke" not in page and shown(issued, "link") not in page
    assert "newbie" not in roles_of(assistant)
    assert Invitation.objects.filter(pk=pending).exists()


def test_outsiders_get_404_on_invitations(client_for, assistant):
    client = client_for("outsider")
    assert invite(client, assistant).status_code == 404
    assert client.post(f"/assistants/{assistant.slug}/invitations/1/revoke/").status_code == 404
    assert not get_user_model().objects.filter(username="newbie").exists()


def test_invitations_need_the_csrf_token(users, assistant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["owner"])
    assert invite(client, assistant).status_code == 403
    assert not get_user_model().objects.filter(username="newbie").exists()


def test_revoking_removes_the_member_the_account_and_the_link(client_for, assistant):
    owner = client_for("owner")
    link = shown(invite(owner, assistant), "link")
    pending = Invitation.objects.get().pk
    response = owner.post(f"/assistants/{assistant.slug}/invitations/{pending}/revoke/", HTTP_HX_REQUEST="true")
    assert response.content.decode().lstrip().startswith('<section id="members-panel"')
    assert "newbie" not in roles_of(assistant)
    assert not get_user_model().objects.filter(username="newbie").exists()
    assert accept(link)[1].status_code == 404


def test_revoking_keeps_an_account_another_assistant_uses_but_not_its_password(
        client_for, assistant, users, make_assistant):
    owner = client_for("owner")
    password = shown(invite(owner, assistant, method="password"), "password")
    other = make_assistant(users["designer"], name="Other Bot")
    invite(client_for("designer"), other, username="newbie")  # an account now: added directly
    owner.post(f"/assistants/{assistant.slug}/invitations/{Invitation.objects.get().pk}/revoke/")
    newbie = get_user_model().objects.get(username="newbie")
    assert roles_of(other)["newbie"] == "writer" and "newbie" not in roles_of(assistant)
    assert not newbie.check_password(password) and not newbie.has_usable_password()


def test_removing_a_pending_member_revokes_the_invitation(client_for, assistant):
    owner = client_for("owner")
    link = shown(invite(owner, assistant), "link")
    assert owner.post(f"/assistants/{assistant.slug}/members/newbie/remove/").status_code == 302
    assert not Invitation.objects.exists()
    assert accept(link)[1].status_code == 404


def test_owner_changes_a_role_on_the_page(client_for, assistant):
    response = client_for("owner").post(f"/assistants/{assistant.slug}/members/set/",
                                        {"username": "writer", "role": "designer"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert '<option value="designer" selected>' in response.content.decode()
    assert roles_of(assistant)["writer"] == "designer"


def test_an_invited_owner_does_not_count_until_they_set_a_password(client_for, assistant):
    owner = client_for("owner")
    link = shown(invite(owner, assistant, username="heir", role="owner"), "link")
    demote = {"username": "owner", "role": "viewer"}
    response = owner.post(f"/assistants/{assistant.slug}/members/set/", demote)
    assert response.status_code == 400
    assert "Role: an assistant needs at least one owner" in response.content.decode()
    accept(link)
    assert owner.post(f"/assistants/{assistant.slug}/members/set/", demote).status_code == 302
    assert (roles_of(assistant)["owner"], roles_of(assistant)["heir"]) == ("viewer", "owner")
