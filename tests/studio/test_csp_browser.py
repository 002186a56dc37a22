"""In headless Chromium, the studio's pages run under the default Content-Security-Policy without a violation."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def open_as(chromium, live_server, users):
    """open_as(user, path) -> (page, problems): problems are CSP violations and script errors."""
    from django.test import Client

    contexts = []

    def open_(user, path: str):
        client = Client()
        client.force_login(user)
        context = chromium.new_context(viewport={"width": 1400, "height": 900})
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
        contexts.append(context)
        page = context.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        page.on("console", lambda msg: "Content Security Policy" in msg.text and problems.append(msg.text))
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        return page, problems

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def flow(assistant, users):
    from studio.assistants import services

    services.response_save(user=users["owner"], assistant=assistant, name="utter_done",
                           variations=[{"text": "Done"}], revision=None)
    services.flow_create(user=users["owner"], assistant=assistant, flow_id="main",
                         data={"description": "say done", "steps": [{"action": "utter_done"}]})
    return "main"


@pytest.mark.parametrize("path", [
    "/", "/assistants/pizza-bot/", "/assistants/pizza-bot/settings/", "/assistants/pizza-bot/members/",
    "/assistants/pizza-bot/flows/", "/import/", "/password/change/",
])
def test_pages_run_without_a_policy_violation(open_as, users, assistant, path):
    page, problems = open_as(users["owner"], path)
    assert problems == []
    # htmx loaded and processed the page (it would not under a blocked script).
    assert page.evaluate("typeof window.htmx") == "object"


def test_the_graph_editor_draws_and_exports_images_under_the_policy(open_as, users, assistant, flow):
    page, problems = open_as(users["owner"], f"/assistants/{assistant.slug}/flows/{flow}/edit/")
    page.wait_for_selector("#flow-editor[data-ready=true]", state="attached", timeout=15000)
    for image in ("PNG", "SVG"):  # html-to-image inlines styles and fetches data: URLs
        with page.expect_download():
            page.get_by_role("button", name=image).click()
    assert problems == []


def test_the_api_docs_render_from_local_files_under_the_policy(open_as, users):
    page, problems = open_as(users["owner"], "/api/docs")
    page.wait_for_selector(".swagger-ui .info", timeout=15000)
    assert problems == []


def test_the_admin_works_under_the_policy(open_as, make_user):
    page, problems = open_as(make_user("boss", is_staff=True, is_superuser=True), "/admin/auth/user/")
    assert page.locator("#result_list").count() == 1
    assert problems == []
