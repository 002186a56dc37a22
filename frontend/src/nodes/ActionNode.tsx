import type { NodeProps } from '@xyflow/react';
import { NodeShell, StepNodeData } from './NodeShell';

/** A response (utter_*) and a custom action are both `action` steps; they look different. */
export function ActionNode({ data }: NodeProps) {
  const d = data as StepNodeData;
  const name = String(d.step.body.action || '');
  const isResponse = name.startsWith('utter_');
  return (
    <NodeShell kind={isResponse ? 'response' : 'action'} label={isResponse ? 'Message' : 'Action'} data={d}>
      <div className="fs-node__main">{name || '(choose a response or action)'}</div>
    </NodeShell>
  );
}
