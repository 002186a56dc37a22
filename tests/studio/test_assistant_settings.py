"""Owners change name, language, Rasa YAML and the try-it settings; bad values name the field."""
import pytest

from studio.assistants.models import Assistant


def patch(client, slug, payload):
    return client.patch(f"/api/assistants/{slug}", payload, content_type="application/json")


def test_owner_patches_settings_and_unknown_keys_survive(client_for, assistant):
    Assistant.objects.filter(pk=assistant.pk).update(settings={"x_future": 1})
    response = patch(client_for("owner"), assistant.slug,
                     {"name": "Pizza Bot 2", "settings": {"generator": "llm", "llm": {"model": "m", "timeout": 5}}})
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Pizza Bot 2"
    assert body["settings"] == {"x_future": 1, "generator": "llm", "llm": {"model": "m", "timeout": 5}}


@pytest.mark.parametrize("role", ("designer", "writer", "viewer"))
def test_only_owners_change_settings(client_for, assistant, role):
    client = client_for(role)
    assert patch(client, assistant.slug, {"name": "Hijacked"}).status_code == 403
    assert client.get(f"/assistants/{assistant.slug}/settings/").status_code == 403
    assert client.post(f"/assistants/{assistant.slug}/settings/", {"name": "Hijacked"}).status_code == 403
    assert Assistant.objects.get(pk=assistant.pk).name == "Pizza Bot"


def test_outsider_gets_404_on_settings(client_for, assistant):
    assert patch(client_for("outsider"), assistant.slug, {"name": "x"}).status_code == 404
    assert client_for("outsider").get(f"/assistants/{assistant.slug}/settings/").status_code == 404


@pytest.mark.parametrize(
    ("payload", "loc", "msg"),
    [
        ({"config_yaml": "pipeline: [\n"}, ["config_yaml"], "config.yml, line 2: expected the node content"),
        ({"endpoints_yaml": "- a list\n"}, ["endpoints_yaml"], "endpoints.yml, line 1: the top level must be a mapping"),
        ({"settings": {"generator": "magic"}}, ["settings", "generator"], "'magic' is not one of llm, offline, scripted"),
        ({"settings": {"llm": {"temperature": 5}}}, ["settings", "llm", "temperature"], "must be a number from 0 to 2"),
        ({"settings": {"llm": {"base_url": "ftp://x"}}}, ["settings", "llm", "base_url"],
         "must start with http:// or https://"),
        ({"language": "??"}, ["language"], "'??' is not a language code such as en or pt-BR"),
    ],
)
def test_bad_settings_are_422_naming_the_place(client_for, assistant, payload, loc, msg):
    response = patch(client_for("owner"), assistant.slug, payload)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["loc"] == loc
    assert detail[0]["msg"].startswith(msg)


def test_settings_page_shows_and_saves_the_form(client_for, assistant):
    client = client_for("owner")
    html = client.get(f"/assistants/{assistant.slug}/settings/").content.decode()
    assert "config.yml" in html and "recipe: default.v1" in html
    form = {
        "name": "Pizza Bot", "language": "en", "description": "", "generator": "offline",
        "llm_model": "gpt-x", "llm_timeout": "12", "prompt_template": "{{ user_message }}",
        "config_yaml": assistant.config_yaml, "endpoints_yaml": assistant.endpoints_yaml,
    }
    response = client.post(f"/assistants/{assistant.slug}/settings/", form)
    assert (response.status_code, response["Location"]) == (302, f"/assistants/{assistant.slug}/settings/")
    saved = Assistant.objects.get(pk=assistant.pk).settings
    assert saved == {"generator": "offline", "llm": {"model": "gpt-x", "timeout": 12.0},
                     "prompt_template": "{{ user_message }}"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"config_yaml": "pipeline: [\n"}, "config.yml: config.yml, line 2"),
        ({"llm_temperature": "9"}, "LLM temperature: Ensure this value is less than or equal to 2"),
        ({"llm_base_url": "nope"}, "LLM base URL: must start with http:// or https://"),
        ({"generator": "magic"}, "Generator: Select a valid choice"),
    ],
)
def test_settings_page_errors_name_the_field(client_for, assistant, change, message):
    form = {"name": "Pizza Bot", "language": "en", "generator": "offline",
            "config_yaml": assistant.config_yaml, "endpoints_yaml": assistant.endpoints_yaml, **change}
    response = client_for("owner").post(f"/assistants/{assistant.slug}/settings/", form)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize("body", ['42', 'null', '["name"]'])
def test_a_body_that_is_not_an_object_is_422(client_for, assistant, body):
    response = client_for("owner").patch(f"/api/assistants/{assistant.slug}", body, content_type="application/json")
    assert response.status_code == 422
    assert "the request body must be a JSON object" in response.json()["detail"][0]["msg"]


def test_unknown_keys_are_422_naming_them(client_for, assistant):
    response = patch(client_for("owner"), assistant.slug, {"nmae": "typo"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "nmae"
