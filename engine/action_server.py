"""Custom actions over the Rasa SDK action-server protocol (POST the tracker, apply the reply)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from engine.actions import ActionFailed, ActionResult
from engine.tracker import Tracker

if TYPE_CHECKING:
    import httpx

RASA_VERSION = "3.21.0"
CONNECT_TIMEOUT = 5.0  # seconds; a server that does not even accept the connection is down


class ActionServerUnreachable(ActionFailed):
    """No action server accepted the connection (none running, wrong host or port).

    Rasa treats it like any failed action; a caller with a fallback (try-it's mocks) can tell it
    apart from a server that answered badly, whose answer must not be papered over.
    """


_shared_client: httpx.Client | None = None
_shared_lock = threading.Lock()


def _httpx():
    """httpx, imported on first call: ~5-9 MiB (with rich and pygments where installed) that a
    process whose assistants run no custom action over HTTP (try-it's mocks, no action server)
    should not hold."""
    import httpx

    return httpx


def shared_client() -> httpx.Client:
    """The process's one HTTP client for action calls, made on first use.

    A new client per call costs its TLS context and pool (18.8 ms against 0.7 ms reused); httpx.Client
    is thread-safe, so every conversation's turn thread shares this one. No connection is kept idle:
    a Rasa SDK server (Sanic) would not finish shutting down while one is open, so restarting the
    user's action server would hang. Redirects are not followed: an action server never needs one,
    and following it would send the tracker elsewhere.
    """
    global _shared_client
    httpx = _httpx()
    with _shared_lock:
        if _shared_client is None:
            _shared_client = httpx.Client(follow_redirects=False,
                                          limits=httpx.Limits(max_connections=100, max_keepalive_connections=0))
        return _shared_client


def tracker_payload(tracker: Tracker, action: str, sender_id: str) -> dict[str, Any]:
    """The request body Rasa sends to an action server (`next_action`, `tracker`, `domain`)."""
    last_user = next((text for role, text in reversed(tracker.history) if role == "user"), None)
    state = {
        "sender_id": sender_id,
        "slots": dict(tracker.slots),
        "latest_message": {"text": last_user, "intent": {}, "entities": [], "commands": []},
        "events": [],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": None,
        "stack": [frame.own_context() for frame in tracker.stack.frames],
    }
    domain = dict(tracker.assistant.domain.raw)
    return {"next_action": action, "sender_id": sender_id, "tracker": state,
            "domain": domain, "version": RASA_VERSION}


class HttpActions:
    """Calls `{url}` (Rasa's `action_endpoint.url`, usually ending in /webhook)."""

    def __init__(self, url: str, *, timeout: float = 10.0, sender_id: str = "default",
                 client: httpx.Client | None = None):
        self.url = url
        self.timeout = timeout
        self.sender_id = sender_id
        self._client = client

    def run(self, name: str, tracker: Tracker) -> ActionResult:
        httpx = _httpx()
        payload = tracker_payload(tracker, name, self.sender_id)
        client = self._client or shared_client()
        timeout = httpx.Timeout(self.timeout, connect=min(self.timeout, CONNECT_TIMEOUT))
        try:
            response = client.post(self.url, json=payload, timeout=timeout)
        except (httpx.ReadTimeout, httpx.WriteTimeout) as exc:
            raise ActionFailed(f"action '{name}': the action server at {self.url} did not answer "
                               f"within {self.timeout:g} s") from exc
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.UnsupportedProtocol) as exc:
            raise ActionServerUnreachable(f"action server at {self.url} is not reachable: {exc}") from exc
        except httpx.HTTPError as exc:
            raise ActionFailed(f"action server at {self.url} is not reachable: {exc}") from exc
        if response.status_code != 200:
            raise ActionFailed(f"action '{name}' failed on the action server "
                               f"(HTTP {response.status_code}): {response.text[:200]}")
        try:
            body = response.json()
        except ValueError as exc:
            raise ActionFailed(f"action '{name}': the action server did not answer JSON") from exc
        if not isinstance(body, dict):
            raise ActionFailed(f"action '{name}': the action server answered {type(body).__name__}")
        return ActionResult(
            responses=tuple(r for r in body.get("responses") or [] if isinstance(r, dict)),
            events=tuple(e for e in body.get("events") or [] if isinstance(e, dict)),
        )
