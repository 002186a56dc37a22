"""The invitations API: owners only; the link or temporary password is in the creating response only."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from studio.accounts.models import Invitation, Membership


def url(assistant, rest: str = "") -> str:
    return f"/api/assistants/{assistant.slug}/invitations{rest}"


def post(client, assistant, **payload):
    body = {"username": "newbie", "role": "writer", **payload}
    return client.post(url(assistant), body, content_type="application/json")


def test_owner_invites_with_a_link_and_the_list_never_repeats_it(client_for, assistant):
    owner = client_for("owner")
    response = post(owner, assistant, email="new@example.com")
    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["link"].startswith("http://testserver/invitations/")
    assert {key: body[key] for key in ("username", "role", "added", "temporary_password")} == {
        "username": "newbie", "role": "writer", "added": False, "temporary_password": None}
    assert body["invitation"]["method"] == "link" and body["invitation"]["invited_by"] == "owner"
    listed = owner.get(url(assistant))
    assert listed.status_code == 200
    [row] = listed.json()
    assert {key: row[key] for key in ("username", "email", "role", "method", "expired")} == {
        "username": "newbie", "email": "new@example.com", "role": "writer", "method": "link", "expired": False}
    assert body["link"].rsplit("/", 2)[1] not in listed.content.decode()


def test_a_link_from_the_api_opens_the_same_page(client_for, assistant):
    link = post(client_for("owner"), assistant).json()["link"]
    client = Client()
    client.get(link)
    done = client.post("/invitations/accept/", {"new_password1": "my own passphrase",
                                                "new_password2": "my own passphrase"})
    assert (done.status_code, done["Location"]) == (302, f"/assistants/{assistant.slug}/")
    assert client_for("owner").get(url(assistant)).json() == []


def test_owner_invites_with_a_temporary_password(client_for, assistant):
    body = post(client_for("owner"), assistant, method="password", role="viewer").json()
    assert body["link"] is None and len(body["temporary_password"]) >= 12
    assert get_user_model().objects.get(username="newbie").check_password(body["temporary_password"])


def test_an_existing_account_is_added_without_an_invitation(client_for, assistant):
    response = post(client_for("owner"), assistant, username="outsider")
    assert (response.status_code, response.json()) == (201, {
        "username": "outsider", "role": "writer", "added": True, "invitation": None, "link": None,
        "temporary_password": None})


@pytest.mark.parametrize(
    ("payload", "loc", "msg"),
    [
        ({"username": "viewer"}, ["username"], "'viewer' is already a member; change their role in the list"),
        ({"role": "boss"}, ["role"], "'boss' is not a role; use one of owner, designer, writer, viewer"),
        ({"method": "pigeon"}, ["method"], "'pigeon' is not a way to invite; use link or password"),
        ({"email": "nope"}, ["email"], "Enter a valid email address."),
        ({"username": "a b"}, ["username"], "Enter a valid username. This value may contain only letters, "
                                            "numbers, and @/./+/-/_ characters."),
    ],
)
def test_bad_invitations_are_422_naming_the_field(client_for, assistant, payload, loc, msg):
    response = post(client_for("owner"), assistant, **payload)
    assert (response.status_code, response.json()) == (422, {"detail": [{"loc": loc, "msg": msg}]})
    assert not Invitation.objects.exists()


def test_owner_revokes_and_an_unknown_invitation_is_404(client_for, assistant):
    owner = client_for("owner")
    pending = post(owner, assistant).json()["invitation"]["id"]
    assert owner.delete(url(assistant, f"/{pending}")).status_code == 204
    assert "newbie" not in dict(Membership.objects.values_list("user__username", "role"))
    response = owner.delete(url(assistant, f"/{pending}"))
    assert (response.status_code, response.json()) == (
        404, {"detail": f"There is no pending invitation {pending} on 'pizza-bot'"})


@pytest.mark.parametrize("role", ("designer", "writer", "viewer"))
def test_non_owners_get_403(client_for, assistant, role):
    pending = post(client_for("owner"), assistant, username="pending").json()["invitation"]["id"]
    client = client_for(role)
    assert client.get(url(assistant)).status_code == 403
    response = post(client, assistant)
    assert (response.status_code, response.json()) == (
        403, {"detail": f"Your role on 'Pizza Bot' is {role}; this needs owner"})
    assert client.delete(url(assistant, f"/{pending}")).status_code == 403
    assert Invitation.objects.count() == 1


def test_outsiders_get_404(client_for, assistant):
    client = client_for("outsider")
    assert client.get(url(assistant)).status_code == 404
    assert post(client, assistant).status_code == 404
    assert not get_user_model().objects.filter(username="newbie").exists()


def test_the_routes_are_in_the_openapi_document(client_for, assistant):
    paths = client_for("owner").get("/api/openapi.json").json()["paths"]
    assert set(paths["/api/assistants/{slug}/invitations"]) == {"get", "post"}
    assert set(paths["/api/assistants/{slug}/invitations/{invitation_id}"]) == {"delete"}
