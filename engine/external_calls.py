"""`call` steps that leave the flows: Rasa sub-agents and MCP tools.

A project may call a sub-agent (`sub_agents/<name>/config.yml`) or an MCP tool (`call:` with
`mcp_server:` and `mapping:`); the engine loads such projects as Rasa does, but it does not
run agents or talk to MCP servers. When a conversation reaches such a step it ends the way
Rasa ends a call that failed (rasa/core/policies/flows/mcp_tool_executor.py and
agent_executor.py), and the inspector gets an `external_call_skipped` event that says what
was not executed:

* an MCP tool: pattern_internal_error runs, then the flow goes on after the call step;
* a sub-agent: the flow is cancelled (no cancel message) and pattern_internal_error runs.

A call whose target is no flow, no sub-agent and no MCP tool loads with a warning when the project
configures no sub-agents (Rasa cannot tell a sub-agent from a typo); reaching it fails like a
sub-agent that cannot run.
"""

from __future__ import annotations

from engine.model.flows import CONTINUE_PREFIX, END, Step
from engine.stack import CALL
from engine.tracker import Tracker

SUB_AGENT = "sub_agent"
MCP_TOOL = "mcp_tool"
UNRESOLVED = "unresolved"


def external_call_kind(tracker: Tracker, step: Step) -> str | None:
    """`mcp_tool`, `sub_agent`, `unresolved` or None (a flow), checked in Rasa's order."""
    targets = tracker.assistant.call_targets
    if step.mcp_server is not None and step.mcp_server in targets.mcp_servers:
        return MCP_TOOL
    if step.target_flow in targets.agents:
        return SUB_AGENT
    if step.target_flow not in tracker.assistant.flows:
        return UNRESOLVED
    return None


def skip_external_call(tracker: Tracker, step: Step, kind: str) -> None:
    """Record what was not executed and continue like Rasa after a failed call."""
    name = step.target_flow or ""
    if kind == MCP_TOOL:
        message = (f"MCP tool '{name}' on server '{step.mcp_server}' was not executed: "
                   f"this engine does not call MCP servers")
        info = {"error_source": MCP_TOOL, "tool_name": name, "mcp_server": step.mcp_server}
    else:
        message = (f"sub-agent '{name}' was not executed: this engine does not run sub-agents" if kind == SUB_AGENT
                   else f"'{name}' was not called: it is not a flow of this assistant, and the project "
                        f"configures no sub-agent or MCP tool of that name")
        info = {"error_source": "agent", "agent_name": name}
        _end_calling_flow(tracker, step)
    info.update(error_message=message, flow_id=step.flow_id, step_id=step.id)
    tracker.event("external_call_skipped", type=kind, name=name, flow_id=step.flow_id,
                  step_id=step.id, message=message)
    tracker.stack.push(tracker.new_frame("pattern_internal_error", None,
                                         error_type="rasa_internal_error_default", info=info))


def _end_calling_flow(tracker: Tracker, step: Step) -> None:
    """Rasa's fatal agent error: the frames down to the top user flow end, the flow counts as
    cancelled, and no cancel pattern runs (the user only hears the internal error)."""
    for frame in reversed(tracker.stack.frames):
        if frame.is_flow:
            frame.step_id = CONTINUE_PREFIX + END
        if frame.is_user and frame.frame_type != CALL:
            break
    tracker.flow_event("cancelled", step.flow_id, step.id)
