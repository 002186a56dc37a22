"""Typed readers for settings from the environment; a bad value stops start-up naming the variable."""
from __future__ import annotations

import os
from urllib.parse import urlsplit


class ImproperlyConfiguredVariable(Exception):
    """Raised at start-up when an environment variable holds a value we cannot use."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"Environment variable {name}: {problem}")
        self.name = name


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None else value.strip()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfiguredVariable(name, f"expected true/false (1/0, yes/no), got {value!r}")


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = float(value)
    except ValueError:
        raise ImproperlyConfiguredVariable(name, f"expected a number of seconds, got {value!r}") from None
    if number <= 0:
        raise ImproperlyConfiguredVariable(name, f"must be greater than 0, got {value!r}")
    return number


def env_int(name: str, default: int, minimum: int = 1) -> int:
    """A whole number of at least `minimum` (greater than 0 unless told)."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfiguredVariable(name, f"expected a whole number, got {value!r}") from None
    if number < minimum:
        bound = "greater than 0" if minimum == 1 else f"at least {minimum}"
        raise ImproperlyConfiguredVariable(name, f"must be {bound}, got {value!r}")
    return number


def env_header(name: str) -> tuple[str, str] | None:
    """`Header-Name: value` as Django's request.META pair ("HTTP_HEADER_NAME", "value"), or None."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return None
    header, sep, expected = value.partition(":")
    if not sep or not header.strip() or not expected.strip() or " " in header.strip():
        raise ImproperlyConfiguredVariable(name, f"expected a header and its value such as 'X-Forwarded-Proto: https', "
                                                 f"got {value!r}")
    return "HTTP_" + header.strip().upper().replace("-", "_"), expected.strip()


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    items = [item.strip() for item in value.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfiguredVariable(name, "must list at least one comma-separated value")
    return items


def env_url(name: str, schemes: tuple[str, ...]) -> str | None:
    """A URL with one of `schemes` and a host, or None when the variable is absent or empty."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return None
    return _checked_url(name, value.strip(), schemes)


def env_url_list(name: str, schemes: tuple[str, ...], default: list[str]) -> list[str]:
    """Comma-separated URLs, each checked like `env_url`."""
    return [_checked_url(name, item, schemes) for item in env_list(name, default=default)]


def _checked_url(name: str, value: str, schemes: tuple[str, ...]) -> str:
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as exc:
        raise ImproperlyConfiguredVariable(name, f"malformed URL {value!r} ({exc})") from None
    if parts.scheme not in schemes:
        expected = ", ".join(f"{s}://" for s in schemes)
        raise ImproperlyConfiguredVariable(name, f"expected a URL starting with {expected}, got {value!r}")
    if not parts.hostname and parts.scheme != "sqlite":
        raise ImproperlyConfiguredVariable(name, f"URL has no host: {value!r}")
    return value
