"""Garbage sent to every foundation route and form gets a 4xx answer, never a 500."""
import pytest

BODIES = ["", "null", "[]", "42", '"text"', "{not json", '{"name": null, "role": 7, "note": []}', "\u0000\xff",
          '{"name": "a\\u0000b", "username": "\\u0000", "note": "\\u0000", "settings": {"k\\u0000": 1}}',
          '{"name": "a\\ud800b", "username": "\\udfff", "role": "\\ud800", "settings": {"k": "\\ud800"}}',
          '{"settings": {"x": ' + "[" * 500 + "]" * 500 + "}}"]


def api_routes(slug: str) -> list[tuple[str, str]]:
    return [
        ("post", "/api/assistants/"),
        ("patch", f"/api/assistants/{slug}"),
        ("post", f"/api/assistants/{slug}/members"),
        ("post", f"/api/assistants/{slug}/versions"),
        ("delete", f"/api/assistants/{slug}/members/%00"),
        ("post", f"/api/assistants/{slug}/invitations"),
        ("delete", f"/api/assistants/{slug}/invitations/%00"),
        ("get", f"/api/assistants/{slug}/flows/%20%00"),
    ]


def form_routes(slug: str) -> list[str]:
    return [
        "/assistants/new/",
        f"/assistants/{slug}/settings/",
        f"/assistants/{slug}/delete/",
        f"/assistants/{slug}/members/set/",
        f"/assistants/{slug}/members/nobody/remove/",
        f"/assistants/{slug}/members/invite/",
        f"/assistants/{slug}/versions/new/",
    ]


@pytest.mark.parametrize("body", BODIES)
def test_api_routes_answer_garbage_with_a_client_error(client_for, assistant, body):
    client = client_for("owner")
    for method, url in api_routes(assistant.slug):
        if method == "get":
            response = client.get(url)
        else:
            response = getattr(client, method)(url, body, content_type="application/json")
        assert 400 <= response.status_code < 500, (method, url, body, response.status_code)
        assert response["Content-Type"].startswith("application/json"), (method, url)


def test_api_rejects_form_encoded_bodies_with_422(client_for):
    response = client_for("owner").post("/api/assistants/", {"name": "x"})
    assert response.status_code in (400, 422)


@pytest.mark.parametrize("data", [{}, {"name": "\x00", "language": "\x00", "username": "\x00", "role": "\x00",
                                       "confirm": "\x00", "note": "x" * 10_000,
                                       "config_yaml": "\x00: [", "llm_timeout": "NaN", "generator": "\x00"}])
def test_forms_answer_garbage_without_crashing(client_for, assistant, data):
    client = client_for("owner")
    for url in form_routes(assistant.slug):
        response = client.post(url, data)
        assert response.status_code < 500, (url, data, response.status_code)


def test_nul_characters_are_refused_naming_the_field(client_for):
    response = client_for("owner").post("/api/assistants/", '{"name": "a\\u0000b"}', content_type="application/json")
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["loc"][-1] == "name"
    assert "must not contain NUL characters" in error["msg"]


def test_nul_in_the_url_is_a_400_naming_the_path(client_for, assistant):
    response = client_for("owner").get(f"/api/assistants/{assistant.slug}/flows/a%00b")
    assert (response.status_code, response.json()["detail"][0]["loc"]) == (400, ["path"])
    assert client_for("owner").get("/?q=%00").status_code == 400
