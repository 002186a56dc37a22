"""Outside DEBUG, someone who logs in with the default admin/admin must change it before anything else."""
from __future__ import annotations

import pytest
from django.test import Client

from studio.accounts.services import admin_ensure

CHANGE_URL = "/password/change/"
API_REFUSAL = "Change the default password first: open /password/change/"
NEW_PASSWORD = "a much better passphrase"


@pytest.fixture
def admin(db, monkeypatch):
    monkeypatch.delenv("STUDIO_ADMIN_PASSWORD", raising=False)
    user, _ = admin_ensure()
    return user


def log_in(password: str = "admin") -> Client:
    client = Client()
    assert client.post("/login/", {"username": "admin", "password": password}).status_code == 302
    return client


@pytest.mark.parametrize("path", ["/", "/assistants/new/", "/admin/", "/import/"])
def test_every_page_sends_a_default_password_user_to_change_it(admin, path):
    response = log_in().get(path)
    assert response.status_code == 302
    assert response["Location"] == CHANGE_URL


def test_the_api_answers_403_saying_what_to_do(admin):
    response = log_in().get("/api/assistants/")
    assert response.status_code == 403
    assert response.json() == {"detail": API_REFUSAL}


def test_the_change_page_explains_why_and_logging_out_still_works(admin):
    client = log_in()
    page = client.get(CHANGE_URL)
    assert page.status_code == 200
    assert "still uses the default password" in page.content.decode()
    assert client.post("/logout/").status_code == 302


def test_after_the_change_everything_opens_and_the_session_stays(admin):
    client = log_in()
    response = client.post(CHANGE_URL, {"old_password": "admin", "new_password1": NEW_PASSWORD,
                                        "new_password2": NEW_PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.get("/").status_code == 200
    assert client.get("/api/assistants/").status_code == 200
    admin.refresh_from_db()
    assert admin.check_password(NEW_PASSWORD)


def test_the_default_password_cannot_be_chosen_again(admin):
    client = log_in()
    response = client.post(CHANGE_URL, {"old_password": "admin", "new_password1": "admin", "new_password2": "admin"})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_in_debug_mode_the_default_password_is_allowed(admin, settings):
    settings.DEBUG = True
    assert log_in().get("/").status_code == 200


def test_a_password_from_the_environment_is_not_the_default(db, monkeypatch):
    monkeypatch.setenv("STUDIO_ADMIN_PASSWORD", "chosen by the operator")
    admin_ensure()
    assert log_in("chosen by the operator").get("/").status_code == 200


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("socket", ["tryit/", "tests/", "presence/flows/"])
async def test_every_socket_refuses_a_session_that_must_change_its_password(make_user, make_assistant, socket):
    from asgiref.sync import sync_to_async
    from django.contrib.sessions.backends.db import SessionStore

    from studio.accounts.password_gate import SESSION_KEY
    from tests.sockets import open_socket, session_cookie

    def flagged_cookie():
        user = make_user("admin2")
        assistant = make_assistant(user)
        cookie = session_cookie(user)
        session = SessionStore(session_key=cookie.decode().split("=", 1)[1])
        session[SESSION_KEY] = True
        session.save()
        return assistant.slug, cookie

    slug, cookie = await sync_to_async(flagged_cookie)()
    _, connected, code = await open_socket(f"/ws/assistants/{slug}/{socket}", cookie=cookie)
    assert (connected, code) == (False, 4403)
