"""Custom actions over the Rasa SDK action-server protocol (POST the tracker, apply the reply)."""

from __future__ import annotations

from typing import Any

import httpx

from engine.actions import ActionFailed, ActionResult
from engine.tracker import Tracker

RASA_VERSION = "3.21.0"


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
        payload = tracker_payload(tracker, name, self.sender_id)
        try:
            if self._client is not None:
                response = self._client.post(self.url, json=payload, timeout=self.timeout)
            else:
                response = httpx.post(self.url, json=payload, timeout=self.timeout)
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
