import type { NodeProps } from '@xyflow/react';
import { useEditor } from '../context';
import { CALL_LABELS, callTargetKind } from '../lib/callTarget';
import { NodeShell, StepNodeData } from './NodeShell';

function FlowRef({ data, kind }: { data: StepNodeData; kind: 'link' | 'call' }) {
  const { openFlow } = useEditor();
  const target = String(data.step.body[kind] || '');
  return (
    <NodeShell kind={kind} label={kind === 'link' ? 'Link (ends this flow)' : 'Call flow'} data={data} terminal={kind === 'link'}>
      <div className="fs-node__main">
        {target ? (
          <a className="fs-flowlink nodrag" href="#" onClick={(e) => { e.preventDefault(); e.stopPropagation(); openFlow(target); }}>
            {kind === 'link' ? '→ ' : '↪ '}{target}
          </a>
        ) : '(choose a flow)'}
      </div>
    </NodeShell>
  );
}

/** A call that leaves the flows (a Rasa sub-agent or an MCP tool): drawn as its own kind of step,
 *  not as a link to a missing flow. The studio cannot run it; try-it explains that when reached. */
function ExternalCall({ data, kind }: { data: StepNodeData; kind: 'agent' | 'mcp_tool' }) {
  const body = data.step.body;
  const target = String(body.call ?? '');
  return (
    <NodeShell kind={kind} label={CALL_LABELS[kind]} data={data}>
      <div className="fs-node__main">
        <span className="fs-external" aria-hidden="true">{kind === 'agent' ? '🤖' : '🛠'}</span> {target}
      </div>
      <div className="fs-node__sub">
        {kind === 'mcp_tool' ? `on MCP server ${String(body.mcp_server)}` : 'external agent, runs outside the studio'}
      </div>
    </NodeShell>
  );
}

function Call({ data }: { data: StepNodeData }) {
  const { catalog } = useEditor();
  const kind = callTargetKind(data.step.body, catalog.flows.map((f) => f.flow_id));
  return kind === 'flow' ? <FlowRef data={data} kind="call" /> : <ExternalCall data={data} kind={kind} />;
}

export const LinkNode = ({ data }: NodeProps) => <FlowRef data={data as StepNodeData} kind="link" />;
export const CallNode = ({ data }: NodeProps) => <Call data={data as StepNodeData} />;
