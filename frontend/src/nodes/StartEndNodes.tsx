import { Handle, NodeProps, Position } from '@xyflow/react';

function triggerNames(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((t) => {
    const intent = (t as { intent?: unknown })?.intent;
    if (typeof intent === 'string') return intent;
    const named = intent as { name?: string; confidence_threshold?: number } | undefined;
    return named?.name ? `${named.name}${named.confidence_threshold ? ` ≥ ${named.confidence_threshold}` : ''}` : '?';
  });
}

/** The flow's entry: what the LLM reads (description), when it may start (guard) and triggers. */
export function StartNode({ data }: NodeProps) {
  const props = (data.props ?? {}) as Record<string, unknown>;
  const guard = props.if;
  const triggers = triggerNames(props.nlu_trigger);
  return (
    <>
    <div className={`fs-node fs-node--start${(data.problems as string[])?.length ? ' fs-node--bad' : ''}`} data-kind="start">
      <div className="fs-node__head"><span className="fs-node__kind">Start</span>
        <span className="fs-node__id">{String(props.name ?? '')}</span></div>
      <div className="fs-node__body">
        <div className="fs-node__sub fs-start__desc">{String(props.description ?? '(no description)')}</div>
        {guard !== undefined && <div className="fs-node__tag">if {String(guard)}</div>}
        {triggers.length > 0 && <div className="fs-node__tag">triggers: {triggers.join(', ')}</div>}
      </div>
    </div>
    <Handle type="source" position={Position.Bottom} />
    </>
  );
}

export function EndNode({ data }: NodeProps) {
  const missing = data.missing as string | undefined;
  return (
    <>
    <Handle type="target" position={Position.Top} />
    <div className={`fs-node fs-node--end${missing ? ' fs-node--bad' : ''}`} data-kind="end">{missing ?? 'END'}</div>
    </>
  );
}
