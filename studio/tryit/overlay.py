"""Marks drawn over a flow by the editor's renderer (frontend/src/lib/overlay.ts reads them from the
`data-overlay` attribute): the path a try-it conversation took, or a test run's coverage."""
from __future__ import annotations

import json
from typing import Iterable

START = "START"  # the flow's start, as stack frames name it before their first step


def path_taken(turns: Iterable[dict], flow_id: str) -> list[str]:
    """Step ids of `flow_id` the conversation passed through, in order, over stored turns (oldest first).

    The engine records no per-step event, so this reads what each turn kept: the steps the flow's
    frames rested on after the turn, and steps named by events (a skipped external call). A new
    start of the flow begins a new path; the editor fills in the steps between two rests when only
    one way leads there.
    """
    path: list[str] = []

    def add(step_id: str | None) -> None:
        if step_id and (not path or path[-1] != step_id):
            path.append(step_id)

    for turn in turns:
        for event in turn.get("events") or []:
            if event.get("flow_id") != flow_id:
                continue
            if event.get("event") == "flow_started":
                path = [START]
            add(event.get("step_id"))
        # Frames are stored top first; the outermost frame of the flow rested first.
        for frame in reversed(turn.get("stack") or []):
            if frame.get("flow_id") == flow_id:
                add(frame.get("step_id"))
    return path


def overlay_json(kind: str, visited: list[str], unreached: list[str] | None = None) -> str:
    """The `data-overlay` attribute's value (autoescaped by the template)."""
    return json.dumps({"kind": kind, "visited": visited, "unreached": unreached or []})
