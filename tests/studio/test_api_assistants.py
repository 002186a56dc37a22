"""The assistants API: per-role access, anonymous 401, bad input named, never a 500."""
import json

import pytest
from django.test import Client

from studio.assistants.models import Assistant
from studio.assistants.services import flow_create

ROLES = ("owner", "designer", "writer", "viewer")


@pytest.fixture
def greet_flow(assistant, users):
    body = {"description": "Say hello", "steps": [{"action": "utter_greet"}]}
    return flow_create(user=users["owner"], assistant=assistant, flow_id="greet", data=body)


def read_routes(slug: str) -> list[str]:
    return [
        f"/api/assistants/{slug}",
        f"/api/assistants/{slug}/flows",
        f"/api/assistants/{slug}/flows/greet",
        f"/api/assistants/{slug}/members",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_can_read_the_assistant_routes(client_for, assistant, greet_flow, role):
    client = client_for(role)
    for url in read_routes(assistant.slug):
        assert client.get(url).status_code == 200, url


def test_outsider_gets_404_on_every_route_of_the_assistant(client_for, assistant, greet_flow):
    client = client_for("outsider")
    for url in read_routes(assistant.slug):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "Assistant 'pizza-bot' not found"}
    assert client.delete(f"/api/assistants/{assistant.slug}").status_code == 404


def test_anonymous_gets_401_on_every_route(assistant, greet_flow):
    client = Client()
    for url in ["/api/assistants/", *read_routes(assistant.slug)]:
        assert client.get(url).status_code == 401, url
    assert client.post("/api/assistants/", {"name": "x"}, content_type="application/json").status_code == 401
    assert client.delete(f"/api/assistants/{assistant.slug}").status_code == 401


def test_list_shows_only_assistants_the_user_has_a_role_on(client_for, assistant, make_assistant, users):
    make_assistant(users["outsider"], name="Private Bot")
    names = [a["name"] for a in client_for("viewer").get("/api/assistants/").json()]
    assert names == ["Pizza Bot"]
    listed = client_for("outsider").get("/api/assistants/").json()
    assert [(a["name"], a["role"]) for a in listed] == [("Private Bot", "owner")]


def test_detail_reports_the_role_and_counts(client_for, assistant, greet_flow):
    body = client_for("writer").get(f"/api/assistants/{assistant.slug}").json()
    assert body["role"] == "writer"
    assert body["counts"] == {"flows": 1, "patterns": 0, "slots": 0, "responses": 0, "actions": 0}


def test_flow_detail_returns_the_rasa_shape_and_revision(client_for, assistant, greet_flow):
    body = client_for("viewer").get(f"/api/assistants/{assistant.slug}/flows/greet").json()
    assert body["revision"] == 1
    assert body["updated_by"] == "owner"
    assert body["body"] == {"description": "Say hello", "steps": [{"action": "utter_greet"}]}


def test_unknown_flow_is_404_naming_it(client_for, assistant):
    response = client_for("viewer").get(f"/api/assistants/{assistant.slug}/flows/nope")
    assert response.status_code == 404
    assert response.json() == {"detail": "Flow 'nope' not found in 'pizza-bot'"}


def test_members_lists_every_role(client_for, assistant):
    members = client_for("viewer").get(f"/api/assistants/{assistant.slug}/members").json()
    assert {(m["username"], m["role"]) for m in members} == {
        ("owner", "owner"), ("designer", "designer"), ("writer", "writer"), ("viewer", "viewer")
    }


def test_any_user_can_create_an_assistant_and_becomes_its_owner(client_for):
    response = client_for("outsider").post(
        "/api/assistants/", {"name": "Travel Bot", "language": "de", "description": "trips"},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["slug"], body["language"], body["role"]) == ("travel-bot", "de", "owner")
    assert "language: de" in Assistant.objects.get(slug="travel-bot").config_yaml


def test_slugs_stay_unique_for_equal_names(client_for):
    client = client_for("outsider")
    slugs = [
        client.post("/api/assistants/", {"name": "Twin"}, content_type="application/json").json()["slug"]
        for _ in range(2)
    ]
    assert slugs == ["twin", "twin-2"]


@pytest.mark.parametrize(
    ("payload", "loc", "msg"),
    [
        ({"name": "   "}, ["name"], "Give the assistant a name"),
        ({"name": "Bot", "language": "english please"}, ["language"],
         "'english please' is not a language code such as en or pt-BR"),
    ],
)
def test_create_with_bad_fields_is_422_naming_the_field(client_for, payload, loc, msg):
    response = client_for("owner").post("/api/assistants/", payload, content_type="application/json")
    assert response.status_code == 422
    assert response.json() == {"detail": [{"loc": loc, "msg": msg}]}


@pytest.mark.parametrize(
    ("payload", "field"),
    [({}, "name"), ({"name": 5}, "name"), ({"name": "x" * 121}, "name"), ({"name": "ok", "language": []}, "language")],
)
def test_create_with_wrong_types_is_422_naming_the_field(client_for, payload, field):
    response = client_for("owner").post("/api/assistants/", payload, content_type="application/json")
    assert response.status_code == 422
    assert [error["loc"][-1] for error in response.json()["detail"]] == [field]


def test_create_with_malformed_json_is_400(client_for):
    response = client_for("owner").post("/api/assistants/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "Cannot parse request body" in response.json()["detail"]


def test_unsafe_methods_need_the_csrf_token(client_for, assistant):
    client = client_for("owner", enforce_csrf=True)
    response = client.post("/api/assistants/", json.dumps({"name": "x"}), content_type="application/json")
    assert response.status_code == 403
    assert client.delete(f"/api/assistants/{assistant.slug}").status_code == 403
    assert Assistant.objects.filter(pk=assistant.pk).exists()


def test_only_the_owner_can_delete_an_assistant(client_for, assistant):
    for role in ("designer", "writer", "viewer"):
        response = client_for(role).delete(f"/api/assistants/{assistant.slug}")
        assert response.status_code == 403, role
        assert response.json() == {"detail": f"Your role on 'Pizza Bot' is {role}; this needs owner"}
    assert client_for("owner").delete(f"/api/assistants/{assistant.slug}").status_code == 204
    assert not Assistant.objects.filter(pk=assistant.pk).exists()


def test_superuser_acts_as_owner_without_a_membership(make_user, assistant):
    admin = make_user("root", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin)
    assert client.get(f"/api/assistants/{assistant.slug}").json()["role"] == "owner"
    assert client.delete(f"/api/assistants/{assistant.slug}").status_code == 204


def test_openapi_docs_are_served(client_for):
    assert client_for("viewer").get("/api/docs").status_code == 200
    schema = client_for("viewer").get("/api/openapi.json").json()
    assert "/api/assistants/{slug}/flows" in schema["paths"]


# "²" is a digit to str.isdigit() but int("²") raises.
@pytest.mark.parametrize("key", ["99999999999999999999999", "0", "%20", "Pizza-Bot", "%C2%B2"])
def test_odd_assistant_keys_are_404_not_500(client_for, assistant, key):
    assert client_for("owner").get(f"/api/assistants/{key}").status_code == 404


def test_assistant_can_be_read_by_numeric_id(client_for, assistant):
    assert client_for("viewer").get(f"/api/assistants/{assistant.pk}").json()["slug"] == "pizza-bot"
