"""Looks like a product: API docs from the studio's own files, a favicon, a settings page in sections."""
import re

import pytest

from studio.assistants.models import Assistant

pytestmark = pytest.mark.django_db

URL_ATTR = re.compile(r'(?:src|href)\s*=\s*"([^"]*)"')


def test_the_api_docs_page_loads_nothing_from_outside_the_site(client_for):
    response = client_for("viewer").get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    urls = URL_ATTR.findall(html)
    assert any(url.endswith("swagger-ui-bundle.js") for url in urls)
    assert [url for url in urls if not url.startswith("/")] == []
    assert not re.search(r"https?://|//cdn", html)
    for url in urls:  # and every file it names is served here
        assert client_for("viewer").get(url).status_code == 200, url


def test_every_page_links_the_studios_favicon_and_it_is_served(client_for):
    html = client_for("viewer").get("/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    icon = client_for("viewer").get("/static/favicon.svg")
    assert icon.status_code == 200
    assert icon["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in b"".join(icon.streaming_content)


def test_the_settings_page_groups_the_llm_fields_and_folds_the_rasa_files(client_for, assistant):
    html = client_for("owner").get(f"/assistants/{assistant.slug}/settings/").content.decode()
    for section in ("Assistant", "Understanding (try-it)", "Prompt"):
        assert f"<h2>{section}</h2>" in html
    for field in ("llm_model", "llm_base_url", "llm_temperature", "llm_timeout", "llm_max_retries"):
        assert f'name="{field}"' in html
    assert '<details>\n      <summary>Advanced: Rasa files' in html
    assert 'type="radio" name="generator" value="offline"' in html
    assert "Calls go to the server's LLM endpoint with the server's API key." in html


def test_a_base_url_off_the_allow_list_is_said_to_go_without_the_key(client_for, assistant, settings):
    settings.LLM_BASE_URL = "https://llm.example.com/v1"
    settings.LLM_KEY_ALLOWED_BASE_URLS = []
    Assistant.objects.filter(pk=assistant.pk).update(settings={"llm": {"base_url": "https://other.example/v1"}})
    html = client_for("owner").get(f"/assistants/{assistant.slug}/settings/").content.decode()
    assert "https://other.example/v1 is not on the operator's list" in html
    assert 'placeholder="server default: https://llm.example.com/v1"' in html


def test_a_config_error_opens_the_advanced_section_and_names_the_file(client_for, assistant):
    form = {"name": "Pizza Bot", "language": "en", "generator": "offline", "config_yaml": "pipeline: [\n",
            "endpoints_yaml": assistant.endpoints_yaml}
    response = client_for("owner").post(f"/assistants/{assistant.slug}/settings/", form)
    assert response.status_code == 400
    html = response.content.decode()
    assert "<details open>" in html and "config.yml: config.yml, line 2" in html


def test_retries_are_saved_and_checked_like_the_other_llm_numbers(client_for, assistant):
    form = {"name": "Pizza Bot", "language": "en", "generator": "llm", "llm_max_retries": "3",
            "config_yaml": assistant.config_yaml, "endpoints_yaml": assistant.endpoints_yaml}
    client = client_for("owner")
    assert client.post(f"/assistants/{assistant.slug}/settings/", form).status_code == 302
    assert Assistant.objects.get(pk=assistant.pk).settings["llm"] == {"max_retries": 3}
    response = client.post(f"/assistants/{assistant.slug}/settings/", {**form, "llm_max_retries": "11"})
    assert response.status_code == 400
    assert "LLM retries: Ensure this value is less than or equal to 10" in response.content.decode()
