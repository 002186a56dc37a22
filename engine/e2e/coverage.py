"""Which flow steps a test case reached, like `rasa test e2e --coverage-report`.

The executor records no per-step event, so the steps are read from what a test can observe and
completed with the flow graph: the steps frames rest on after each turn and when a custom action
runs, every collect the tracker remembers, the first step of each started flow, action steps whose
response was uttered and link/call steps whose target started (when only one step of the flow
fits), then two sound inferences until nothing changes: a step whose only way in is one other step
means that step ran; a set_slots/noop step (which never waits) and any step of a flow that
completed lead to their one successor.
"""

from __future__ import annotations

from typing import Iterable

from engine.assistant import Assistant
from engine.model.flows import END, Flow, Step

Reached = set[tuple[str, str]]


def frame_steps(frames: Iterable) -> Reached:
    return {(f.flow_id, f.step_id) for f in frames if getattr(f, "is_flow", False) and f.step_id}


def _only(steps: list[Step]) -> Step | None:
    return steps[0] if len(steps) == 1 else None


def _predecessors(flow: Flow) -> dict[str, list[str]]:
    into: dict[str, list[str]] = {}
    for step in flow.steps:
        for link in step.links:
            into.setdefault(link.target, []).append(step.id)
    return into


def reached_steps(assistant: Assistant, observed: Reached, events: list[dict]) -> Reached:
    """Observed (flow, step) pairs plus what the turn events and the graph imply; real steps only."""
    flows = assistant.flows
    started = {e["flow_id"] for e in events if e["event"] == "flow" and e["kind"] == "started"}
    completed = {e["flow_id"] for e in events if e["event"] == "flow" and e["kind"] == "completed"}
    responses = {e["response"] for e in events if e["event"] == "bot" and e.get("response")}
    reached = {(f, s) for f, s in observed if f in flows and flows[f].step(s) is not None}
    for flow_id in started & set(flows):
        flow = flows[flow_id]
        if flow.steps:
            reached.add((flow_id, flow.first_step_id))
        hits = [_only([s for s in flow.steps if s.kind == "action" and s.action == r]) for r in responses]
        hits += [_only([s for s in flow.steps if s.kind in ("link", "call") and s.target_flow == t]) for t in started]
        reached |= {(flow_id, s.id) for s in hits if s is not None}
    return _infer(flows, reached, completed)


def _infer(flows: dict[str, Flow], reached: Reached, completed: set[str]) -> Reached:
    """A worklist over the reached steps: each step is looked at once, and again only if new."""
    into = {flow_id: _predecessors(flows[flow_id]) for flow_id in {f for f, _ in reached}}
    pending = list(reached)
    while pending:
        flow_id, step_id = pending.pop()
        flow = flows[flow_id]
        step = flow.step(step_id)
        implied = []
        sources = into[flow_id].get(step_id, [])
        if step_id != flow.first_step_id and len(sources) == 1:
            implied.append(sources[0])
        links = step.links
        if len(links) == 1 and links[0].kind == "static" and links[0].target != END:
            if step.kind in ("set_slots", "noop") or flow_id in completed:
                implied.append(links[0].target)
        for target in implied:
            if (flow_id, target) not in reached and flow.step(target) is not None:
                reached.add((flow_id, target))
                pending.append((flow_id, target))
    return reached


def flow_coverage(assistant: Assistant, reached: Reached) -> dict[str, dict[str, list[str]]]:
    """{user flow id: {"steps": every step id, "reached": those reached}} in flow order."""
    out = {}
    for flow_id, flow in assistant.flows.items():
        if flow.is_pattern:
            continue
        steps = [s.id for s in flow.steps]
        out[flow_id] = {"steps": steps, "reached": [s for s in steps if (flow_id, s) in reached]}
    return out
