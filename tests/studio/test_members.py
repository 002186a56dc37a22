"""Members: every role sees them, only owners change them, an assistant always keeps an owner."""
import pytest

from studio.accounts.models import Membership

ROLES = ("owner", "designer", "writer", "viewer")


def roles_of(assistant) -> dict[str, str]:
    return dict(Membership.objects.filter(assistant=assistant).values_list("user__username", "role"))


def test_owner_adds_a_member_through_the_api(client_for, assistant, users):
    response = client_for("owner").post(f"/api/assistants/{assistant.slug}/members",
                                        {"username": "outsider", "role": "writer"}, content_type="application/json")
    assert (response.status_code, response.json()) == (200, {"username": "outsider", "role": "writer"})
    assert roles_of(assistant)["outsider"] == "writer"


@pytest.mark.parametrize("role", ("designer", "writer", "viewer"))
def test_non_owners_cannot_change_members(client_for, assistant, role):
    client = client_for(role)
    response = client.post(f"/api/assistants/{assistant.slug}/members", {"username": "outsider", "role": "owner"},
                           content_type="application/json")
    assert response.status_code == 403
    assert client.delete(f"/api/assistants/{assistant.slug}/members/viewer").status_code == 403
    assert client.post(f"/assistants/{assistant.slug}/members/set/", {"username": "outsider", "role": "owner"}
                       ).status_code == 403
    assert "outsider" not in roles_of(assistant)


def test_outsider_gets_404_on_members(client_for, assistant):
    client = client_for("outsider")
    assert client.get(f"/assistants/{assistant.slug}/members/").status_code == 404
    assert client.post(f"/api/assistants/{assistant.slug}/members", {"username": "outsider", "role": "owner"},
                       content_type="application/json").status_code == 404


@pytest.mark.parametrize(
    ("payload", "loc", "msg"),
    [
        ({"username": "ghost", "role": "viewer"}, ["username"], "there is no user named 'ghost'"),
        ({"username": "viewer", "role": "boss"}, ["role"],
         "'boss' is not a role; use one of owner, designer, writer, viewer"),
        ({"username": "owner", "role": "viewer"}, ["role"], "an assistant needs at least one owner"),
    ],
)
def test_bad_member_changes_are_422_naming_the_field(client_for, assistant, payload, loc, msg):
    response = client_for("owner").post(f"/api/assistants/{assistant.slug}/members", payload,
                                        content_type="application/json")
    assert response.status_code == 422
    assert response.json() == {"detail": [{"loc": loc, "msg": msg}]}


def test_the_last_owner_cannot_be_removed(client_for, assistant):
    response = client_for("owner").delete(f"/api/assistants/{assistant.slug}/members/owner")
    assert response.status_code == 422
    assert roles_of(assistant)["owner"] == "owner"


def test_owner_removes_a_member_and_unknown_members_are_404(client_for, assistant):
    client = client_for("owner")
    assert client.delete(f"/api/assistants/{assistant.slug}/members/viewer").status_code == 204
    assert "viewer" not in roles_of(assistant)
    response = client.delete(f"/api/assistants/{assistant.slug}/members/viewer")
    assert (response.status_code, response.json()) == (404, {"detail": "'viewer' is not a member of 'pizza-bot'"})


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_members_page_but_only_owners_get_the_forms(client_for, assistant, role):
    html = client_for(role).get(f"/assistants/{assistant.slug}/members/").content.decode()
    assert "designer" in html and "writer" in html
    assert ("Invite someone" in html) == ("Change role" in html) == (role == "owner")


def test_members_page_form_adds_and_reports_field_errors(client_for, assistant):
    client = client_for("owner")
    response = client.post(f"/assistants/{assistant.slug}/members/set/", {"username": "ghost", "role": "viewer"})
    assert response.status_code == 400
    assert "Username: there is no user named &#x27;ghost&#x27;" in response.content.decode()
    response = client.post(f"/assistants/{assistant.slug}/members/set/", {"username": "outsider", "role": "nope"})
    assert response.status_code == 400
    assert "Role: Select a valid choice" in response.content.decode()
    response = client.post(f"/assistants/{assistant.slug}/members/set/", {"username": "outsider", "role": "viewer"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<section id="members-panel"')
    assert roles_of(assistant)["outsider"] == "viewer"


def test_removing_the_last_owner_on_the_page_explains_why(client_for, assistant):
    response = client_for("owner").post(f"/assistants/{assistant.slug}/members/owner/remove/")
    assert response.status_code == 400
    assert "owner: an assistant needs at least one owner" in response.content.decode()
