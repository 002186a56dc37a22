import { BaseEdge, EdgeLabelRenderer, EdgeProps, getSmoothStepPath } from '@xyflow/react';
import { useEditor } from '../context';
import type { InsertPoint } from '../lib/types';

/** An edge with its branch condition as label and a "+" to insert a step on it. */
export function InsertEdge(props: EdgeProps) {
  const { cfg, openInsertMenu } = useEditor();
  const [path, labelX, labelY] = getSmoothStepPath({
    sourceX: props.sourceX, sourceY: props.sourceY, targetX: props.targetX, targetY: props.targetY,
    sourcePosition: props.sourcePosition, targetPosition: props.targetPosition, borderRadius: 10,
  });
  const data = props.data as { insert: InsertPoint | null; role: string; label?: string };
  const cls = `fs-edge fs-edge--${data.role}`;
  return (
    <>
      <BaseEdge id={props.id} path={path} markerEnd={props.markerEnd} className={cls} />
      <EdgeLabelRenderer>
        <div className="fs-edge__label nodrag nopan" style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}>
          {data.label && <span className={`fs-cond${data.label === 'else' ? ' fs-cond--else' : ''}`}>{data.label}</span>}
          {!cfg.readOnly && data.insert && (
            <button type="button" className="fs-plus" aria-label="add step" data-edge={props.id}
              onClick={(e) => openInsertMenu(data.insert!, e.clientX, e.clientY)}>+</button>
          )}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}
