"""The operator's policy for try-it's LLM calls: where LLM_API_KEY may go, which hosts may be called.

An owner can point their assistant's LLM anywhere (settings `llm.base_url`, endpoints.yml
`api_base`, config.yml `llm.base_url`). Without this policy that URL would receive the operator's
key, and could be an internal service (loopback, the private network, cloud metadata).
"""
from __future__ import annotations

import ipaddress
import socket
from typing import Any, Mapping
from urllib.parse import urlsplit

from django.conf import settings as django_settings

from engine.understanding.llm import LLMConfigError, LLMGenerator, LLMSettings
from engine.understanding.selection import llm_component

_DEFAULT_PORTS = {"http": 80, "https": 443}


def operator_defaults(config: Mapping[str, Any] | None, endpoints: Mapping[str, Any] | None,
                      llm: Mapping[str, Any] | None) -> dict[str, Any]:
    """The operator's LLM_* settings for the engine; the key only when the URL in use is allowed."""
    defaults = {"base_url": django_settings.LLM_BASE_URL, "api_key": django_settings.LLM_API_KEY,
                "model": django_settings.LLM_MODEL, "timeout": django_settings.LLM_TIMEOUT}
    try:
        base_url = LLMSettings.resolve(llm_component(config), endpoints, llm, {}, defaults=defaults).base_url
    except LLMConfigError:
        base_url = "unusable"  # the settings check reports it; the key stays home meanwhile
    return defaults if key_allowed(base_url) else {**defaults, "api_key": None}


def key_allowed(base_url: str | None) -> bool:
    """No URL at all means the operator's own default endpoint; otherwise it must be the operator's."""
    if base_url is None:
        return True
    allowed = [django_settings.LLM_BASE_URL, *django_settings.LLM_KEY_ALLOWED_BASE_URLS]
    return _normalized(base_url) in {_normalized(url) for url in allowed if url}


def refusal(generator: Any) -> str | None:
    """Why the generator's LLM URL may not be called, or None. Listed URLs are the operator's own."""
    if not isinstance(generator, LLMGenerator) or key_allowed(generator.settings.base_url):
        return None
    if django_settings.LLM_ALLOW_INTERNAL_URLS:
        return None
    url = generator.settings.base_url
    parts = urlsplit(url)
    try:
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme, 443)
        # A later lookup may answer differently (DNS rebinding); this stops the plain cases.
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)}
    except (OSError, UnicodeError, ValueError) as exc:
        return f"The LLM base URL {url} cannot be used: its host does not resolve ({exc})"
    internal = sorted(address for address in addresses if _is_internal(address))
    if internal:
        return (f"The LLM base URL {url} (host {parts.hostname} = {internal[0]}) is an internal address; "
                "only the operator can allow it (LLM_KEY_ALLOWED_BASE_URLS or LLM_ALLOW_INTERNAL_URLS)")
    return None


def _is_internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback, though ipaddress does not say so
    return not ip.is_global or ip.is_multicast


def _normalized(url: str) -> tuple:
    try:
        parts = urlsplit(url.strip())
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return ("unparsable", url)
    return parts.scheme.lower(), (parts.hostname or "").lower(), port, parts.path.rstrip("/")
