"""A Content-Security-Policy on every response; HSTS, secure cookies and TLS redirects from the environment."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("path", ["/login/", "/", "/assistants/pizza-bot/", "/api/assistants/", "/health"])
def test_every_response_carries_the_default_content_security_policy(client_for, assistant, path):
    policy = client_for("owner").get(path)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # no inline scripts, no eval
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["form-action"] == "'self'"


def test_the_operator_can_replace_or_drop_the_policy(client, settings):
    settings.CONTENT_SECURITY_POLICY = "default-src 'none'"
    assert client.get("/login/")["Content-Security-Policy"] == "default-src 'none'"
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = True
    response = client.get("/login/")
    assert response["Content-Security-Policy-Report-Only"] == "default-src 'none'"
    assert "Content-Security-Policy" not in response
    settings.CONTENT_SECURITY_POLICY = ""
    assert "Content-Security-Policy-Report-Only" not in client.get("/login/")


TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_inline_scripts_or_event_handlers(template):
    # script-src 'self' blocks these in the browser; catching them here names the template.
    text = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", text)
    assert not re.search(r"\son[a-z]+\s*=", text)
    assert "javascript:" not in text


def settings_under(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    code = ("import django, json; django.setup(); from django.conf import settings as s; "
            "print(json.dumps({k: getattr(s, k) for k in ('SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD', "
            "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', 'SECURE_PROXY_SSL_HEADER', "
            "'CONTENT_SECURITY_POLICY')}))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**clean, "DJANGO_SETTINGS_MODULE": "studio.settings", **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_tls_settings_are_off_by_default_and_read_from_the_environment():
    assert settings_under() | {"CONTENT_SECURITY_POLICY": None} == {
        "SECURE_HSTS_SECONDS": 0, "SECURE_HSTS_INCLUDE_SUBDOMAINS": False, "SECURE_HSTS_PRELOAD": False,
        "SESSION_COOKIE_SECURE": False, "CSRF_COOKIE_SECURE": False, "SECURE_SSL_REDIRECT": False,
        "SECURE_PROXY_SSL_HEADER": None, "CONTENT_SECURITY_POLICY": None}
    assert settings_under(
        SECURE_HSTS_SECONDS="31536000", SECURE_HSTS_INCLUDE_SUBDOMAINS="true", SECURE_HSTS_PRELOAD="yes",
        SESSION_COOKIE_SECURE="1", CSRF_COOKIE_SECURE="true", SECURE_SSL_REDIRECT="on",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https", CONTENT_SECURITY_POLICY="default-src 'self'",
    ) == {
        "SECURE_HSTS_SECONDS": 31536000, "SECURE_HSTS_INCLUDE_SUBDOMAINS": True, "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True, "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"], "CONTENT_SECURITY_POLICY": "default-src 'self'"}


@pytest.mark.parametrize(("variable", "value", "message"), [
    ("SECURE_HSTS_SECONDS", "a year", "Environment variable SECURE_HSTS_SECONDS: expected a whole number"),
    ("SECURE_PROXY_SSL_HEADER", "https",
     "Environment variable SECURE_PROXY_SSL_HEADER: expected a header and its value"),
    ("SESSION_COOKIE_SECURE", "maybe", "Environment variable SESSION_COOKIE_SECURE: expected true/false"),
])
def test_a_malformed_security_variable_stops_startup_naming_it(variable, value, message):
    from tests.studio.test_settings_env import start_django

    result = start_django(**{variable: value})
    assert result.returncode != 0
    assert result.stderr.startswith(f"Flowstudio cannot start: {message}")


def test_hsts_is_sent_over_https_once_configured(client, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    assert client.get("/login/", secure=True)["Strict-Transport-Security"] == "max-age=3600"


def test_behind_a_tls_proxy_the_forwarded_scheme_counts(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert Client().get("/login/").status_code == 301
    assert Client().get("/login/", HTTP_X_FORWARDED_PROTO="https").status_code == 200
