"""The operator's LLM key goes only to base URLs the operator allows; assistant URLs stay off internal hosts."""
from __future__ import annotations

import importlib

import pytest

from studio.assistants import services as content
from studio.tryit import services as tryit
from studio.tryit.runtime import TryItUnavailable, built_assistants
from tests.understanding.fake_llm import FakeLLM, Reply

OPERATOR_KEY = "operator-secret-key"
REFUSED = ("is an internal address; only the operator can allow it "
           "(LLM_KEY_ALLOWED_BASE_URLS or LLM_ALLOW_INTERNAL_URLS)")


@pytest.fixture
def fakes():
    started = [FakeLLM().start(), FakeLLM().start()]
    yield started
    for fake in started:
        fake.stop()


@pytest.fixture
def operator(settings, fakes):
    """The operator runs the first fake LLM (LLM_BASE_URL); the second one is a stranger's."""
    settings.LLM_BASE_URL = fakes[0].base_url
    settings.LLM_API_KEY = OPERATOR_KEY
    settings.LLM_MODEL = "operator-model"
    settings.LLM_TIMEOUT = 5.0
    settings.LLM_KEY_ALLOWED_BASE_URLS = []
    settings.LLM_ALLOW_INTERNAL_URLS = False
    return settings


@pytest.fixture
def bot(assistant, users):
    built_assistants.clear()
    content.flow_create(user=users["owner"], assistant=assistant, flow_id="greet",
                        data={"description": "say hello", "steps": [{"action": "utter_hello"}]})
    content.response_save(user=users["owner"], assistant=assistant, name="utter_hello", revision=None,
                          variations=[{"text": "Hello!"}])
    return assistant


def use_llm(bot, owner, *, llm=None, endpoints=None, config=None):
    changes = {"settings": {"generator": "llm", "llm": {"max_retries": 0, "timeout": 5, **(llm or {})}}}
    if endpoints is not None:
        changes["endpoints_yaml"] = endpoints
    if config is not None:
        changes["config_yaml"] = config
    content.assistant_update(user=owner, assistant=bot, **changes)
    bot.refresh_from_db()


def talk(bot, user):
    conversation, _ = tryit.conversation_start(user=user, assistant=bot)
    return tryit.conversation_turn(user=user, conversation=conversation, text="hello there")


def authorizations(fake) -> list[str]:
    return [{k.lower(): v for k, v in headers.items()}.get("authorization") for headers in fake.headers]


def endpoints_with_api_base(url: str) -> str:
    return ("model_groups:\n  - id: rasa_command_generation_model\n    models:\n"
            f"      - provider: openai\n        model: m\n        api_base: {url}\n")


def config_with_base_url(slug: str, url: str) -> str:
    return (f"recipe: default.v1\nlanguage: en\nassistant_id: {slug}\npipeline:\n"
            f"  - name: CompactLLMCommandGenerator\n    llm:\n      model: m\n      base_url: {url}\n"
            "policies:\n  - name: FlowPolicy\n")


def test_the_operator_key_goes_to_the_operators_own_base_url(operator, fakes, bot, users):
    use_llm(bot, users["owner"])
    talk(bot, users["viewer"])
    assert authorizations(fakes[0]) == [f"Bearer {OPERATOR_KEY}"]


def test_an_allowed_base_url_chosen_by_the_assistant_gets_the_key_even_with_a_trailing_slash(
        operator, fakes, bot, users):
    use_llm(bot, users["owner"], llm={"base_url": fakes[0].base_url + "/"})
    talk(bot, users["viewer"])
    assert authorizations(fakes[0]) == [f"Bearer {OPERATOR_KEY}"]


def test_a_base_url_on_the_operators_allow_list_gets_the_key_and_may_be_internal(operator, fakes, bot, users):
    operator.LLM_KEY_ALLOWED_BASE_URLS = ["http://llm.example.com/v1", fakes[1].base_url]
    use_llm(bot, users["owner"], endpoints=endpoints_with_api_base(fakes[1].base_url))
    talk(bot, users["viewer"])
    assert authorizations(fakes[1]) == [f"Bearer {OPERATOR_KEY}"]


@pytest.mark.parametrize("place", ["settings", "endpoints.yml", "config.yml"])
def test_a_base_url_the_operator_did_not_allow_is_called_without_the_operator_key(
        operator, fakes, bot, users, place):
    operator.LLM_ALLOW_INTERNAL_URLS = True  # the stranger's server is on loopback in this test
    stranger = fakes[1].base_url
    if place == "settings":
        use_llm(bot, users["owner"], llm={"base_url": stranger})
    elif place == "endpoints.yml":
        use_llm(bot, users["owner"], endpoints=endpoints_with_api_base(stranger))
    else:
        use_llm(bot, users["owner"], config=config_with_base_url(bot.slug, stranger))
    talk(bot, users["viewer"])
    assert len(fakes[1].headers) == 1
    assert OPERATOR_KEY not in str(fakes[1].headers)
    assert fakes[0].headers == []


def test_a_redirect_from_a_stranger_url_is_not_followed(operator, fakes, bot, users):
    operator.LLM_ALLOW_INTERNAL_URLS = True
    fakes[1].script(Reply(status=307, headers={"location": fakes[0].base_url + "/chat/completions"}))
    use_llm(bot, users["owner"], llm={"base_url": fakes[1].base_url})
    turn = talk(bot, users["viewer"])
    assert fakes[0].headers == []
    assert "HTTP 307" in turn["understanding"]["error"]


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/v1", "http://localhost:9/v1", "http://10.1.2.3/v1", "http://192.168.0.1/v1",
    "http://169.254.169.254/latest", "http://[::1]:9/v1", "http://[::ffff:127.0.0.1]:9/v1",
    "http://2130706433:9/v1", "http://0.0.0.0:9/v1", "http://100.64.0.1/v1",
])
def test_assistant_chosen_urls_cannot_reach_internal_addresses(operator, fakes, bot, users, url):
    use_llm(bot, users["owner"], llm={"base_url": url})
    with pytest.raises(TryItUnavailable) as refused:
        talk(bot, users["viewer"])
    assert refused.value.message.startswith(f"The LLM base URL {url} ")
    assert refused.value.message.endswith(REFUSED)


def test_the_operator_may_allow_internal_addresses_with_a_switch(operator, fakes, bot, users):
    operator.LLM_ALLOW_INTERNAL_URLS = True
    use_llm(bot, users["owner"], llm={"base_url": fakes[1].base_url})
    talk(bot, users["viewer"])
    assert authorizations(fakes[1]) == ["Bearer not-needed"]


def test_the_try_it_page_explains_a_refused_internal_url(operator, bot, users, client_for):
    use_llm(bot, users["owner"], llm={"base_url": "http://169.254.169.254/latest"})
    response = client_for("viewer").post(f"/assistants/{bot.slug}/try/", {"text": "hi"})
    assert response.status_code == 422
    assert "The LLM base URL http://169.254.169.254/latest " in response.content.decode()


def test_the_api_refuses_an_llm_api_key_naming_the_setting(client_for, assistant):
    response = client_for("owner").patch(f"/api/assistants/{assistant.slug}",
                                         {"settings": {"llm": {"api_key": "sk-mine"}}}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == [{
        "loc": ["settings", "llm", "api_key"],
        "msg": "is not accepted: the LLM API key comes only from the server's LLM_API_KEY environment variable"}]


def test_the_settings_page_refuses_an_llm_api_key_naming_the_setting(client_for, assistant):
    form = {"name": "Pizza Bot", "language": "en", "description": "", "generator": "llm", "llm_api_key": "sk-mine",
            "prompt_template": "", "config_yaml": assistant.config_yaml, "endpoints_yaml": assistant.endpoints_yaml}
    response = client_for("owner").post(f"/assistants/{assistant.slug}/settings/", form)
    assert response.status_code in (400, 422)
    assert "settings.llm.api_key is not accepted" in response.content.decode()
    assistant.refresh_from_db()
    assert "api_key" not in str(assistant.settings)


def test_a_stored_llm_api_key_is_removed_so_nothing_can_show_it(assistant, client_for):
    from django.apps import apps

    from studio.assistants.models import Assistant

    stored = {"generator": "llm", "llm": {"api_key": "sk-old", "model": "m"}}
    Assistant.objects.filter(pk=assistant.pk).update(settings=stored)
    migration = importlib.import_module("studio.assistants.migrations.0002_drop_stored_llm_api_keys")
    migration.drop_stored_llm_api_keys(apps, None)
    body = client_for("owner").get(f"/api/assistants/{assistant.slug}").json()
    assert body["settings"] == {"generator": "llm", "llm": {"model": "m"}}
