import type { NodeProps } from '@xyflow/react';
import { NodeShell, StepNodeData } from './NodeShell';

export function CollectNode({ data }: NodeProps) {
  const d = data as StepNodeData;
  const b = d.step.body;
  return (
    <NodeShell kind="collect" label="Collect" data={d}>
      <div className="fs-node__main">{String(b.collect || '(choose a slot)')}</div>
      {typeof b.description === 'string' && b.description && <div className="fs-node__sub">{b.description}</div>}
      {b.ask_before_filling === true && <div className="fs-node__tag">always asks</div>}
    </NodeShell>
  );
}
