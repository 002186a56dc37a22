// What a `call` step reaches. Rasa 3.21 calls a flow, a sub-agent (sub_agents/<name>/config.yml)
// or an MCP tool (`mcp_server` + `mapping`); the editor only needs to know which one to draw it.
export type CallTargetKind = 'flow' | 'agent' | 'mcp_tool';

/** An MCP tool when the step names a server; a flow when the assistant has one by that id (or
 *  nothing is chosen yet); anything else is an external agent, as Rasa reads it. */
export function callTargetKind(body: Record<string, unknown>, flowIds: Iterable<string>): CallTargetKind {
  if (body.mcp_server !== undefined && body.mcp_server !== null) return 'mcp_tool';
  const target = String(body.call ?? '');
  if (!target) return 'flow';
  for (const id of flowIds) if (id === target) return 'flow';
  return 'agent';
}

export const CALL_LABELS: Record<CallTargetKind, string> = {
  flow: 'Call flow',
  agent: 'Call sub-agent',
  mcp_tool: 'Call MCP tool',
};
