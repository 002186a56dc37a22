"""Repeated failed logins lock that username out from that address for a while, with a clear message."""
from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import PASSWORD

LOCKED = "Too many failed logins for this account from your address. Try again in 15 minutes."


def fail_logins(client: Client, username: str, times: int, url: str = "/login/") -> None:
    for _ in range(times):
        assert client.post(url, {"username": username, "password": "wrong"}).status_code == 200


def test_five_failed_logins_lock_the_account_out_even_with_the_right_password(users, settings):
    client = Client()
    fail_logins(client, "viewer", settings.AXES_FAILURE_LIMIT - 1)
    response = client.post("/login/", {"username": "viewer", "password": "wrong"})
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    response = client.post("/login/", {"username": "viewer", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_does_not_touch_other_accounts_or_other_addresses(users, settings):
    fail_logins(Client(), "viewer", settings.AXES_FAILURE_LIMIT - 1)
    Client().post("/login/", {"username": "viewer", "password": "wrong"})
    assert Client().post("/login/", {"username": "owner", "password": PASSWORD}).status_code == 302
    other_address = Client(REMOTE_ADDR="10.9.8.7")
    assert other_address.post("/login/", {"username": "viewer", "password": PASSWORD}).status_code == 302


def test_a_spoofed_forwarded_for_header_does_not_dodge_the_lockout(users, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        Client(HTTP_X_FORWARDED_FOR=f"203.0.113.{number}").post("/login/", {"username": "viewer", "password": "x"})
    response = Client(HTTP_X_FORWARDED_FOR="203.0.113.99").post("/login/", {"username": "viewer", "password": PASSWORD})
    assert response.status_code == 429


def test_the_admin_login_is_throttled_too(users, settings, make_user):
    make_user("boss", is_staff=True, is_superuser=True)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "boss", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "boss", "password": PASSWORD})
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


def test_a_successful_login_resets_the_count(users, settings):
    client = Client()
    fail_logins(client, "viewer", settings.AXES_FAILURE_LIMIT - 1)
    assert client.post("/login/", {"username": "viewer", "password": PASSWORD}).status_code == 302
    client.post("/logout/")
    fail_logins(client, "viewer", settings.AXES_FAILURE_LIMIT - 1)
    assert client.post("/login/", {"username": "viewer", "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize(("variable", "value", "message"), [
    ("LOGIN_FAILURE_LIMIT", "zero", "Environment variable LOGIN_FAILURE_LIMIT: expected a whole number"),
    ("LOGIN_LOCKOUT_MINUTES", "-1", "Environment variable LOGIN_LOCKOUT_MINUTES: must be greater than 0"),
])
def test_a_malformed_throttling_variable_stops_startup_naming_it(variable, value, message):
    from tests.studio.test_settings_env import start_django

    result = start_django(**{variable: value})
    assert result.returncode != 0
    assert result.stderr.startswith(f"Flowstudio cannot start: {message}")
