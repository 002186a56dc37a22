"""Settings come from the environment; a malformed value stops start-up naming the variable."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from studio.env import ImproperlyConfiguredVariable, env_bool, env_float, env_list, env_url

ROOT = Path(__file__).resolve().parents[2]


def start_django(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "LLM_TIMEOUT"}}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60,
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DATABASE_URL", "mysql://db/flowstudio", "Environment variable DATABASE_URL: expected a URL starting with"),
        ("DATABASE_URL", "postgres://host:notaport/db", "Environment variable DATABASE_URL: malformed URL"),
        ("REDIS_URL", "http://127.0.0.1:6379", "Environment variable REDIS_URL: expected a URL starting with redis://"),
        ("DEBUG", "maybe", "Environment variable DEBUG: expected true/false"),
        ("LLM_TIMEOUT", "soon", "Environment variable LLM_TIMEOUT: expected a number of seconds"),
        ("SECRET_KEY", "short", "Environment variable SECRET_KEY: must be at least 32 characters long"),
        ("DATABASE_POOL_SIZE", "lots", "Environment variable DATABASE_POOL_SIZE: expected a whole number, got 'lots'"),
        ("DATABASE_POOL_SIZE", "0", "Environment variable DATABASE_POOL_SIZE: must be greater than 0, got '0'"),
        ("BUILD_TIMEOUT", "-5", "Environment variable BUILD_TIMEOUT: must be greater than 0, got '-5'"),
        ("LLM_KEY_ALLOWED_BASE_URLS", "https://llm.example/v1,ftp://x",
         "Environment variable LLM_KEY_ALLOWED_BASE_URLS: expected a URL starting with http://, https://, got 'ftp://x'"),
    ],
)
def test_malformed_variable_stops_startup_naming_it(variable, value, message):
    result = start_django(**{variable: value})
    assert result.returncode != 0
    assert result.stderr.startswith(f"Flowstudio cannot start: {message}")
    assert "Traceback" not in result.stderr


def test_the_asgi_server_refuses_to_start_with_a_malformed_variable():
    clean = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    result = subprocess.run(
        [sys.executable, "-c", "import studio.asgi"],
        cwd=ROOT, env={**clean, "REDIS_URL": "redis://:x:y@"}, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    assert "Flowstudio cannot start: Environment variable REDIS_URL" in result.stderr


def test_startup_with_no_variables_uses_the_embedded_defaults():
    result = start_django()
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_boolean_accepts_common_spellings(monkeypatch):
    monkeypatch.setenv("DEBUG", "Yes")
    assert env_bool("DEBUG", default=False) is True
    monkeypatch.setenv("DEBUG", "0")
    assert env_bool("DEBUG", default=True) is False


def test_absent_variables_fall_back_to_defaults(monkeypatch):
    for name in ("X_BOOL", "X_FLOAT", "X_LIST", "X_URL"):
        monkeypatch.delenv(name, raising=False)
    assert env_bool("X_BOOL", default=True) is True
    assert env_float("X_FLOAT", default=2.5) == 2.5
    assert env_list("X_LIST", default=["a"]) == ["a"]
    assert env_url("X_URL", schemes=("redis",)) is None


def test_empty_allowed_hosts_is_rejected(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " , ")
    with pytest.raises(ImproperlyConfiguredVariable, match="ALLOWED_HOSTS: must list at least one"):
        env_list("ALLOWED_HOSTS", default=[])


def test_negative_timeout_is_rejected(monkeypatch):
    monkeypatch.setenv("LLM_TIMEOUT", "-3")
    with pytest.raises(ImproperlyConfiguredVariable, match="LLM_TIMEOUT: must be greater than 0"):
        env_float("LLM_TIMEOUT", default=1.0)
