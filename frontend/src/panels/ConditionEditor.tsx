import { useEffect, useId, useState } from 'react';
import { useEditor } from '../context';
import { buildCondition, BuiltCondition, OPERATORS, Operator, parseCondition } from '../lib/conditions';

/** Condition builder (slot, operator, value; AND/OR) with a raw mode checked by the server. */
export function ConditionEditor(props: { label: string; value: string | boolean | null | undefined; onChange: (v: string) => void }) {
  const { api, catalog, cfg } = useEditor();
  const text = props.value === undefined || props.value === null ? '' : String(props.value);
  const parsed = typeof props.value === 'boolean' ? null : parseCondition(text);
  const [raw, setRaw] = useState(parsed === null);
  const [draft, setDraft] = useState(text);
  const [check, setCheck] = useState<{ ok: boolean; message: string } | null>(null);
  const listId = useId();
  useEffect(() => { setDraft(text); setCheck(null); }, [text]);
  const built: BuiltCondition = parsed ?? { rows: [], join: 'and' };
  const emit = (next: BuiltCondition) => props.onChange(buildCondition(next));
  const setRow = (i: number, patch: Partial<BuiltCondition['rows'][number]>) =>
    emit({ ...built, rows: built.rows.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  const runCheck = async (expr: string) => {
    if (!expr.trim()) { setCheck(null); return; }
    try { setCheck(await api.validateCondition(expr)); } catch (e) { setCheck({ ok: false, message: String(e) }); }
  };
  const commitRaw = () => { if (draft !== text) props.onChange(draft); void runCheck(draft); };
  return (
    <div className="fs-cond-editor" data-condition={props.label}>
      <div className="fs-row fs-row--between">
        <span className="fs-label">{props.label}</span>
        <button type="button" className="fs-link-btn" disabled={!raw && false}
          onClick={() => { if (raw && parseCondition(draft) === null) { setCheck({ ok: false, message: 'the builder cannot show this condition; keep raw mode' }); return; } setRaw(!raw); }}>
          {raw ? 'builder' : 'raw'}
        </button>
      </div>
      {raw ? (
        <>
          <textarea className="fs-raw" aria-label={`${props.label} expression`} rows={2} value={draft} disabled={cfg.readOnly}
            onChange={(e) => setDraft(e.target.value)} onBlur={commitRaw} />
          {check && <div className={check.ok ? 'fs-ok' : 'fs-error'} role="status">{check.ok ? 'valid condition' : check.message}</div>}
        </>
      ) : (
        <div className="fs-builder">
          <datalist id={listId}>{catalog.slots.map((s) => <option key={s.name} value={s.name} />)}</datalist>
          {built.rows.map((row, i) => (
            <div className="fs-builder__row" key={`${i}|${row.slot}|${row.value}`}>
              {i > 0 && (
                <select aria-label="join" value={built.join} disabled={cfg.readOnly}
                  onChange={(e) => emit({ ...built, join: e.target.value as 'and' | 'or' })}>
                  <option value="and">AND</option><option value="or">OR</option>
                </select>
              )}
              <input aria-label="condition slot" list={listId} defaultValue={row.slot} disabled={cfg.readOnly}
                onBlur={(e) => e.target.value !== row.slot && setRow(i, { slot: e.target.value })} />
              <select aria-label="condition operator" value={row.op} disabled={cfg.readOnly}
                onChange={(e) => setRow(i, { op: e.target.value as Operator })}>
                {OPERATORS.map((o) => <option key={o}>{o}</option>)}
              </select>
              {row.op !== 'is set' && row.op !== 'is not set' && (
                <input aria-label="condition value" defaultValue={row.value} disabled={cfg.readOnly}
                  onBlur={(e) => e.target.value !== row.value && setRow(i, { value: e.target.value })} />
              )}
              {!cfg.readOnly && <button type="button" className="fs-link-btn" aria-label="remove condition"
                onClick={() => emit({ ...built, rows: built.rows.filter((_, j) => j !== i) })}>✕</button>}
            </div>
          ))}
          {!cfg.readOnly && (
            <button type="button" className="fs-link-btn" onClick={() => emit({ ...built, rows: [...built.rows, { slot: catalog.slots[0]?.name ?? 'slot', op: 'is', value: '' }] })}>
              + condition
            </button>
          )}
          {text && <code className="fs-cond-preview">{text}</code>}
        </div>
      )}
    </div>
  );
}
