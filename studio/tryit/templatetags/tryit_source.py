"""The try-it header's source picker: what the conversation runs, and a start on another source."""
from __future__ import annotations

from typing import Any

from django import template

from studio.tryit.runtime import CURRENT_CONTENT, ready_versions

register = template.Library()


@register.inclusion_tag("tryit/_source_picker.html", takes_context=True)
def source_picker(context: template.Context) -> dict[str, Any]:
    """The pill says what runs ("current content" or "version 3 (pinned)"); the form starts a new
    conversation on the chosen source (the socket's `start` frame, or a plain POST)."""
    assistant, conversation, last_turn = context["assistant"], context.get("conversation"), context.get("last_turn")
    pinned = conversation.version.number if conversation is not None and getattr(conversation, "version_id", None) \
        else None
    if last_turn:
        label = last_turn.get("source")
    else:
        label = f"version {pinned} (pinned)" if pinned else CURRENT_CONTENT
    return {"label": label, "pinned": pinned, "versions": ready_versions(assistant), "assistant": assistant,
            "post_url": context.get("post_url"), "csrf_token": context.get("csrf_token")}
