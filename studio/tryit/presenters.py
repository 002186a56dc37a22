"""Shaping a turn dict for the server-rendered chat and inspector (the JS renders the same dict)."""
from __future__ import annotations

import json
from typing import Any

from django.urls import reverse

SKIPPED_USER_TEXTS = ("/session_start",)


def page_context(assistant, conversation, turn: dict | None, error: str | None) -> dict[str, Any]:
    return {
        "assistant": assistant,
        "conversation": conversation,
        "turn": turn,
        "error": error,
        "transcript": transcript(conversation),
        "slot_rows": slot_rows(turn),
        "event_rows": event_rows(turn),
        "ws_path": f"/ws/assistants/{assistant.slug}/tryit/",
        "post_url": reverse("tryit", args=[assistant.slug]),
    }


def transcript(conversation) -> list[dict[str, str]]:
    """The recent lines the engine keeps in its state (its last ten turns)."""
    if conversation is None:
        return []
    lines = []
    for item in (conversation.state or {}).get("history") or []:
        role, text = (list(item) + ["", ""])[:2]
        if role == "user" and text in SKIPPED_USER_TEXTS:
            continue
        if text:
            lines.append({"role": "user" if role == "user" else "bot", "text": text})
    return lines


def slot_rows(turn: dict | None) -> list[dict[str, Any]]:
    if not turn:
        return []
    changed = turn.get("changed_slots") or {}
    return [{"name": name, "value": compact(value), "changed": name in changed}
            for name, value in (turn.get("slots") or {}).items()]


def event_rows(turn: dict | None) -> list[dict[str, str]]:
    if not turn:
        return []
    rows = []
    for event in turn.get("events") or []:
        # The understanding event is shown in full under Commands; here it would only repeat.
        detail = {k: v for k, v in event.items() if k != "event"}
        if event.get("event") == "understanding":
            detail = {"generator": detail.get("generator"), "commands": detail.get("commands")}
        rows.append({"event": str(event.get("event")), "detail": compact(detail) if detail else ""})
    return rows


def compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
