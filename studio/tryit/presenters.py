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


# What the user reads when a call leaves the flows (the engine's `external_call_skipped` event):
# try-it cannot run Rasa sub-agents or MCP tools, and says what Rasa would do instead.
_EXTERNAL_CALL_NOTES = {
    "sub_agent": ("calls the sub-agent '{name}', which try-it cannot run. The conversation goes on as Rasa's "
                  "does when an agent fails: the flow is cancelled and the error message is sent."),
    "mcp_tool": ("calls the MCP tool '{name}', which try-it does not call. The conversation goes on as Rasa's "
                 "does when a tool call fails: the error message is sent, then the flow continues."),
    "unresolved": ("calls '{name}', which is not a flow of this assistant, nor a sub-agent or MCP tool of the "
                   "project. The call fails, as it would in Rasa."),
}


def external_call_notes(events: list[dict]) -> list[str]:
    """A plain sentence for each call the engine skipped this turn."""
    notes = []
    for event in events:
        template = _EXTERNAL_CALL_NOTES.get(event.get("type", "")) if event.get("event") == "external_call_skipped" else None
        if template is not None:
            where = f"Step '{event.get('step_id')}' of flow '{event.get('flow_id')}' "
            notes.append(where + template.format(name=event.get("name")))
    return notes
