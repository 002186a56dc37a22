import type { NodeProps } from '@xyflow/react';
import { useEditor } from '../context';
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

export const LinkNode = ({ data }: NodeProps) => <FlowRef data={data as StepNodeData} kind="link" />;
export const CallNode = ({ data }: NodeProps) => <FlowRef data={data as StepNodeData} kind="call" />;
