import { BaseEdge, EdgeLabelRenderer, EdgeProps, getSmoothStepPath } from '@xyflow/react';
import { useEditor } from '../context';
import type { InsertPoint } from '../lib/types';

/** An edge with its branch condition as label and a "+" to insert a step on it. */
export function InsertEdge(props: EdgeProps) {
  const { cfg, openInsertMenu } = useEditor();
  let [path, labelX, labelY] = getSmoothStepPath({
    sourceX: props.sourceX, sourceY: props.sourceY, targetX: props.targetX, targetY: props.targetY,
    sourcePosition: props.sourcePosition, targetPosition: props.targetPosition, borderRadius: 10,
  });
  if (props.targetY < props.sourceY) {
    // A loop back: run up the right-hand side instead of straight through the steps in between.
    const { sourceX: sx, sourceY: sy, targetX: tx, targetY: ty } = props;
    const rx = Math.max(sx, tx) + 170;
    path = `M ${sx},${sy} L ${sx},${sy + 14} L ${rx},${sy + 14} L ${rx},${ty - 14} L ${tx},${ty - 14} L ${tx},${ty}`;
    [labelX, labelY] = [rx, (sy + ty) / 2];
  }
  const data = props.data as { insert: InsertPoint | null; role: string; label?: string; from?: string; to?: string;
    labelAt?: { mode: 'target' } | { mode: 'fan'; index: number; count: number } };
  let [x, y] = [labelX, labelY];
  if (data.labelAt?.mode === 'target' && props.targetY > props.sourceY) [x, y] = [props.targetX, props.targetY - 26];
  if (data.labelAt?.mode === 'fan') {
    [x, y] = [props.sourceX + (data.labelAt.index - (data.labelAt.count - 1) / 2) * 150, props.sourceY + 24];
  }
  const cls = `fs-edge fs-edge--${data.role}`;
  return (
    <>
      <BaseEdge id={props.id} path={path} markerEnd={props.markerEnd} className={cls} />
      <EdgeLabelRenderer>
        <div className="fs-edge__label nodrag nopan" style={{ transform: `translate(-50%, -50%) translate(${x}px, ${y}px)` }}>
          {data.label && <span className={`fs-cond${data.label === 'else' ? ' fs-cond--else' : ''}`}>{data.label}</span>}
          {!cfg.readOnly && data.insert && (
            <button type="button" className="fs-plus" aria-label={`add step after ${data.from}${data.label ? ` (${data.label})` : ''}`}
              data-from={data.from} data-to={data.to} data-branch={data.label}
              onClick={(e) => openInsertMenu(data.insert!, e.clientX, e.clientY)}>+</button>
          )}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}
