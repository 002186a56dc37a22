import { Handle, Position } from '@xyflow/react';
import type { ReactNode } from 'react';
import { CommentBadge } from '../comments/CommentBadge';
import type { Step } from '../lib/types';

export interface StepNodeData {
  step: Step;
  stepId: string;
  problems: string[];
  highlighted: boolean;
  [key: string]: unknown;
}

/** Frame shared by every step node: handles, kind label, step id and the problem badge. */
export function NodeShell(props: { kind: string; label: string; data: StepNodeData; children: ReactNode; terminal?: boolean }) {
  const { data } = props;
  const problems = data.problems;
  return (
    <>
    <Handle type="target" position={Position.Top} />
    <div className={`fs-node fs-node--${props.kind}${data.highlighted ? ' fs-node--hit' : ''}${problems.length ? ' fs-node--bad' : ''}`}
      data-step-id={data.stepId} data-kind={props.kind} title={problems.join('\n') || undefined}>
      <div className="fs-node__head">
        <span className="fs-node__kind">{props.label}</span>
        <span className="fs-node__id">{data.stepId}</span>
        {problems.length > 0 && <span className="fs-badge" aria-label={`${problems.length} problems`}>{problems.length}</span>}
        <CommentBadge stepId={data.stepId} />
      </div>
      <div className="fs-node__body">{props.children}</div>
      {problems.length > 0 && <div className="fs-node__problem">{problems[0]}</div>}
    </div>
    {!props.terminal && <Handle type="source" position={Position.Bottom} />}
    </>
  );
}
