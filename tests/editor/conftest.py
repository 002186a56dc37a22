from pathlib import Path

import pytest

from tests.browser import headless_chromium


@pytest.fixture
def flows(assistant, users):
    """A small assistant: two flows, where `main` calls `check` and links to `bye`."""
    from studio.assistants import services

    owner = users["owner"]
    services.slot_save(user=owner, assistant=assistant, name="amount", data={"type": "float"}, revision=None)
    services.response_save(user=owner, assistant=assistant, name="utter_ask_amount",
                           variations=[{"text": "How much?"}], revision=None)
    services.response_save(user=owner, assistant=assistant, name="utter_done", variations=[{"text": "Done"}],
                           revision=None)
    for flow_id, body in {
        "check": {"description": "check the balance", "steps": [{"action": "utter_done"}]},
        "bye": {"description": "say goodbye", "steps": [{"action": "utter_done"}]},
        "main": {"name": "main flow", "description": "send money", "steps": [
            {"collect": "amount"}, {"id": "calling", "call": "check"}, {"link": "bye"}]},
    }.items():
        services.flow_create(user=owner, assistant=assistant, flow_id=flow_id, data=body)
    return assistant


@pytest.fixture
def api(client_for, flows):
    """JSON calls to the editor API as a persona: api("designer").put("/flows/main", {...})."""
    import json

    class Caller:
        def __init__(self, role):
            self.client = client_for(role)
            self.base = f"/api/assistants/{flows.slug}/editor"

        def _call(self, method, path, data=None):
            kwargs = {"content_type": "application/json"}
            if data is not None:
                kwargs["data"] = json.dumps(data)
            return getattr(self.client, method)(self.base + path, **kwargs)

        def get(self, path):
            return self.client.get(self.base + path)

        def post(self, path, data):
            return self._call("post", path, data)

        def put(self, path, data):
            return self._call("put", path, data)

        def delete(self, path):
            return self._call("delete", path)

    return Caller


BUNDLE = Path(__file__).resolve().parents[2] / "static" / "editor" / "editor.js"


# Module scope: while sync Playwright is alive its event loop runs in the main thread, which
# makes every later pytest-asyncio test fail with "Runner.run() cannot be called from a running loop"
# (test_presence.py's socket tests run after the browser modules of this package).
@pytest.fixture(scope="module")
def chromium():
    if not BUNDLE.exists():
        pytest.skip("static/editor/editor.js is missing: run `make frontend`")
    with headless_chromium() as browser:
        yield browser


@pytest.fixture
def browser_as(chromium, live_server, users):
    """A fresh browser context logged in as a persona: browser_as("designer")."""
    from django.test import Client

    contexts = []

    def make(role: str):
        client = Client()
        client.force_login(users[role])
        context = chromium.new_context(viewport={"width": 1400, "height": 900})
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def open_editor(live_server):
    """Open the graph editor for a flow in a browser context and wait until it is interactive."""

    def open_(context, slug: str, flow_id: str, fragment: str = ""):
        page = context.new_page()
        page.js_errors = []
        page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
        # live_server speaks WSGI only: the presence socket cannot connect there (tests/editor/test_presence_browser.py
        # runs it under ASGI), and the editor works without it.
        page.on("console", lambda msg: msg.type == "error" and "favicon" not in msg.location.get("url", "")
                and "/presence/" not in msg.text
                and page.js_errors.append(f"{msg.text} {msg.location.get('url', '')}"))
        page.goto(f"{live_server.url}/assistants/{slug}/flows/{flow_id}/edit/{fragment}")
        try:
            page.wait_for_selector("#flow-editor[data-ready=true]", state="attached", timeout=15000)
        except Exception:
            page.screenshot(path="/tmp/editor_failed.png")
            raise AssertionError(f"editor did not become ready; errors: {page.js_errors}") from None
        return page

    return open_
