import type { NodeProps } from '@xyflow/react';
import { setSlotsPairs } from '../lib/graph';
import { NodeShell, StepNodeData } from './NodeShell';

export function SetSlotsNode({ data }: NodeProps) {
  const d = data as StepNodeData;
  const pairs = setSlotsPairs(d.step);
  return (
    <NodeShell kind="set_slots" label="Set slots" data={d}>
      {pairs.length === 0 && <div className="fs-node__sub">(no slots yet)</div>}
      {pairs.slice(0, 4).map(([k, v]) => <div key={k} className="fs-node__pair"><b>{k}</b> = {JSON.stringify(v)}</div>)}
      {pairs.length > 4 && <div className="fs-node__sub">+{pairs.length - 4} more</div>}
    </NodeShell>
  );
}
