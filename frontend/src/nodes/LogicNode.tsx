import type { NodeProps } from '@xyflow/react';
import { NodeShell, StepNodeData } from './NodeShell';

export function LogicNode({ data }: NodeProps) {
  const d = data as StepNodeData;
  const n = d.step.next.type === 'branches' ? d.step.next.branches.length : 0;
  return (
    <NodeShell kind="noop" label="Logic" data={d}>
      <div className="fs-node__sub">{n} branch{n === 1 ? '' : 'es'}</div>
    </NodeShell>
  );
}
