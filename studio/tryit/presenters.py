"""Shaping stored turns for the server-rendered chat and inspector (the page and the socket share them)."""
from __future__ import annotations

import functools

import json
from typing import Any
from urllib.parse import quote, urlencode

from django.urls import reverse

from engine.loader import default_pattern_data
from engine.model.domain import BOOKKEEPING_SLOTS
from engine.validation import BUILTIN_SLOTS
from studio.tryit.turns import is_pattern

SKIPPED_USER_TEXTS = ("/session_start",)
# Slots Rasa and its default patterns add: folded away under a toggle in the inspector.
INTERNAL_SLOTS = frozenset(BOOKKEEPING_SLOTS | BUILTIN_SLOTS | set(default_pattern_data().get("slots") or {}))
# Latency colours: what a person chatting notices (under 100 ms feels instant, over 1 s is slow).
FAST_MS, SLOW_MS = 100.0, 1000.0


def page_context(assistant, conversation, turns: list[dict], selected: dict | None, error: str | None, *,
                 slot_names: list[str] | None = None, readonly: bool = False,
                 can_save_tests: bool = False) -> dict[str, Any]:
    """Everything the page and its partials show; `turns` are stored turn dicts, oldest first."""
    last = turns[-1] if turns else None
    return {
        "assistant": assistant,
        "conversation": conversation,
        "turns": [turn_view(t, assistant) for t in turns],
        "turn": turn_view(selected, assistant) if selected else None,
        "last_turn": last,
        "error": error,
        "readonly": readonly,
        "slot_names": slot_names or [],
        "ws_path": f"/ws/assistants/{assistant.slug}/tryit/",
        "post_url": conversation_url(assistant, conversation),
        "list_url": reverse("tryit_conversations", args=[assistant.slug]),
        # The conversation as a Rasa e2e test: anyone who sees it may download it; designers save it.
        "test_url": (reverse("e2e_test_from_conversation", args=[assistant.slug, conversation.pk])
                     if conversation is not None and conversation.pk else None),
        "can_save_tests": can_save_tests,
        # Lazy (templates call it): only the new-conversation form shows it, never a socket turn.
        "languages": functools.partial(_languages, assistant),
    }


def _languages(assistant) -> tuple[str, ...]:
    """The languages a conversation may be held in; one language means no choice to offer."""
    from studio.assistants.translations import assistant_languages

    languages = assistant_languages(assistant)
    return languages.all if languages.additional else ()


def conversation_url(assistant, conversation) -> str:
    if conversation is None or conversation.pk is None:
        return reverse("tryit", args=[assistant.slug])
    return reverse("tryit_conversation", args=[assistant.slug, conversation.pk])


def turn_view(turn: dict, assistant) -> dict[str, Any]:
    """A stored turn dict plus what its templates need: readable events, folded slots, latency colours,
    the live flow drawn by the editor's renderer."""
    user_slots, internal_slots = slot_rows(turn)
    return {**turn, "event_rows": event_rows(turn, assistant), "slot_rows": user_slots, "internal_slot_rows": internal_slots,
            "latency_rows": latency_rows(turn), "summary": turn_summary(turn), "flow_view_url": flow_view_url(turn, assistant),
            "shown_user": "" if turn.get("user") in SKIPPED_USER_TEXTS else turn.get("button_title") or turn.get("user") or ""}


def flow_view_url(turn: dict, assistant) -> str | None:
    """The live flow, read-only, with its step marked and the path taken up to this turn (the page
    reads it from the stored turns); only for flows the studio stores (not default patterns)."""
    live = turn.get("live") or {}
    if not live.get("editor_url"):
        return None
    url = reverse("tryit_flow_view", args=[assistant.slug, live["flow_id"]])
    if turn.get("conversation") is not None and turn.get("index") is not None:
        url += "?" + urlencode({"conversation": turn["conversation"], "turn": turn["index"]})
    return f"{url}#step={quote(str(live.get('step_id') or ''), safe='')}"


def slot_rows(turn: dict | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The assistant's own slots, and the internal ones (Rasa's and the default patterns')."""
    if not turn:
        return [], []
    changed = turn.get("changed_slots") or {}
    own, internal = [], []
    for name, value in (turn.get("slots") or {}).items():
        row = {"name": name, "value": compact(value), "changed": name in changed}
        (internal if name in INTERNAL_SLOTS else own).append(row)
    return own, internal


def event_rows(turn: dict | None, assistant=None) -> list[dict[str, str | None]]:
    """Each event as a sentence ("slot size = large", "flow order_drink started"); one that names a
    step of a studio flow links to that step in the editor."""
    if not turn:
        return []
    return [{"event": str(event.get("event")), "text": event_text(event), "editor_url": _event_editor_url(event, turn, assistant)}
            for event in turn.get("events") or []]


def _event_editor_url(event: dict, turn: dict, assistant) -> str | None:
    flow_id, step_id = event.get("flow_id"), event.get("step_id")
    if assistant is None or not flow_id or not step_id:
        return None
    # The studio stores every user flow; a pattern only when customised, and then its frames link already.
    linked = {f.get("flow_id") for f in [*(turn.get("stack") or []), turn.get("live") or {}] if f.get("editor_url")}
    if is_pattern(str(flow_id)) and flow_id not in linked:
        return None
    return reverse("flow_editor", args=[assistant.slug, flow_id]) + f"#step={quote(str(step_id), safe='')}"


def event_text(event: dict) -> str:
    kind = str(event.get("event"))
    if kind.startswith("flow_"):
        return f"flow {event.get('flow_id')} {kind[len('flow_'):]}"
    describe = _EVENT_TEXTS.get(kind)
    if describe is not None:
        return describe(event)
    rest = ", ".join(f"{k} = {readable(v)}" for k, v in event.items() if k != "event")
    return f"{kind.replace('_', ' ')}{': ' + rest if rest else ''}"


def readable(value: Any) -> str:
    """A value as a person reads it: text as is, nothing as "empty", the rest as JSON."""
    if value is None:
        return "empty"
    return value if isinstance(value, str) else compact(value)


def command_text(command: dict) -> str:
    args = " ".join(f"{k}={readable(v)}" for k, v in command.items() if k != "command")
    return f"{command.get('command')}{' ' + args if args else ''}"


_EVENT_TEXTS = {
    "user": lambda e: f"user said \"{e.get('text')}\"",
    "bot": lambda e: f"bot said \"{e.get('text') or ''}\"" + (f" ({e['response']})" if e.get("response") else ""),
    "slot_set": lambda e: f"slot {e.get('name')} = {readable(e.get('value'))}",
    "slots_set_by_hand": lambda e: "slots set by hand: " + ", ".join(
        f"{k} = {readable(v)}" for k, v in (e.get("slots") or {}).items()),
    "commands": lambda e: "commands: " + (", ".join(command_text(c) for c in e.get("commands") or []) or "none"),
    "understanding": lambda e: f"understood by the {e.get('generator')} generator"
                               + (f" in {e['latency_ms']:.1f} ms" if isinstance(e.get("latency_ms"), (int, float)) else ""),
    "action": lambda e: f"action {e.get('name')} ran",
    "action_stubbed": lambda e: f"action {e.get('name')} stubbed (no action server)",
    "action_failed": lambda e: f"action {e.get('name')} failed: {e.get('error')}",
    "error": lambda e: f"error: {e.get('message')}",
    "stack": lambda e: "stack: " + (" › ".join(e.get("stack") or []) or "empty"),
    "ignored": lambda e: f"message ignored: {e.get('reason')}",
}


def latency_rows(turn: dict) -> list[dict[str, Any]]:
    """Understanding, execution, actions and total, each with a colour class (fast, ok, slow)."""
    latency = turn.get("latency") or {}
    rows = []
    for part in ("understanding", "execution", "actions", "total"):
        ms = latency.get(f"{part}_ms")
        if ms is None:
            continue
        speed = "fast" if ms < FAST_MS else "slow" if ms >= SLOW_MS else "ok"
        rows.append({"part": part, "ms": ms, "speed": speed})
    return rows


def turn_summary(turn: dict) -> str:
    """One line for the timeline: what the user did."""
    kind = turn.get("kind")
    if kind == "start":
        return "session started"
    if kind == "slots":
        changed = turn.get("changed_slots") or {}
        return "set " + (", ".join(f"{k} = {readable(v)}" for k, v in changed.items()) or "slots (no change)")
    return turn.get("user") or ""


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
