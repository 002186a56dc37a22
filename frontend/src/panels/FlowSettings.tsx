import { useState } from 'react';
import { ApiError } from '../api';
import { useEditor } from '../context';
import { updateProps } from '../lib/ops';
import type { FlowModel } from '../lib/types';
import { ConditionEditor } from './ConditionEditor';
import { CheckField, TextField } from './fields';

/** `nlu_trigger` as lines of `intent` or `intent >= 0.8` (a confidence threshold). */
export function triggersToText(raw: unknown): string {
  if (!Array.isArray(raw)) return '';
  return raw.map((t) => {
    const intent = (t as { intent?: unknown }).intent;
    if (typeof intent === 'string') return intent;
    const o = intent as { name: string; confidence_threshold?: number };
    return o.confidence_threshold !== undefined ? `${o.name} >= ${o.confidence_threshold}` : o.name;
  }).join('\n');
}

export function textToTriggers(text: string): unknown[] {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).map((line) => {
    const m = /^(\S+)\s*>=\s*([\d.]+)$/.exec(line);
    return m ? { intent: { name: m[1], confidence_threshold: Number(m[2]) } } : { intent: line };
  });
}

export function FlowSettings({ model }: { model: FlowModel }) {
  const { store, cfg } = useEditor();
  const ro = cfg.readOnly;
  const p = model.props;
  const set = (key: string, value: unknown) => store.commit(updateProps(model, { [key]: value }));
  const persisted = Array.isArray(p.persisted_slots) ? (p.persisted_slots as string[]) : [];
  return (
    <div className="fs-panel" data-panel="flow">
      <h2>Flow settings <small>{model.flowId}</small></h2>
      <TextField label="Name" value={String(p.name ?? '')} disabled={ro} onCommit={(v) => set('name', v)} />
      <TextField label="Description" multiline value={String(p.description ?? '')} disabled={ro} onCommit={(v) => set('description', v)} />
      <ConditionEditor label="Guard (if)" value={p.if as string | boolean | undefined} onChange={(v) => set('if', v)} />
      <TextField label="NLU triggers (one intent per line, optional '>= 0.8')" multiline value={triggersToText(p.nlu_trigger)}
        disabled={ro} onCommit={(v) => set('nlu_trigger', textToTriggers(v))} />
      <TextField label="Persisted slots (comma separated)" value={persisted.join(', ')} disabled={ro}
        onCommit={(v) => set('persisted_slots', v.split(',').map((x) => x.trim()).filter(Boolean))} />
      <CheckField label="Always include in prompt" checked={p.always_include_in_prompt === true} disabled={ro}
        onChange={(v) => set('always_include_in_prompt', v ? true : undefined)} />
      <CheckField label="Run pattern_completed at the end" checked={p.run_pattern_completed !== false} disabled={ro}
        onChange={(v) => set('run_pattern_completed', v ? undefined : false)} />
      {!ro && (cfg.resetUrl
        ? <a className="fs-danger" href={cfg.resetUrl}>Reset to default…</a>
        : <DeleteFlow />)}
    </div>
  );
}

/** Delete this flow. A flow other places name is refused with every usage shown; the user may then
 * delete it and remove the references, after confirming the previewed changes. */
function DeleteFlow() {
  const { api, cfg } = useEditor();
  const [refusal, setRefusal] = useState<{ text: string; removable: boolean } | null>(null);
  const listUrl = cfg.flowUrlTemplate.replace(/__FLOW__\/edit\/?$/, '');
  const run = async (removeReferences: boolean) => {
    try {
      if (removeReferences) {
        const preview = await api.deleteFlow(true, true);
        const changes = (preview.changes ?? []).map((c) => `• ${c.what}`).join('\n');
        if (!window.confirm(`Delete ${cfg.flowId} and change:\n${changes}`)) return;
      } else if (!window.confirm(`Delete flow ${cfg.flowId}?`)) return;
      await api.deleteFlow(removeReferences);
      window.location.assign(listUrl);
    } catch (e) {
      setRefusal({ text: e instanceof Error ? e.message : String(e), removable: e instanceof ApiError && e.removable });
    }
  };
  return (
    <div className="fs-delete-flow">
      <button type="button" className="fs-danger" onClick={() => run(false)}>Delete flow</button>
      {refusal && (
        <div className="fs-error" role="alert" data-delete-refusal="">
          <pre>{refusal.text}</pre>
          {refusal.removable && (
            <button type="button" className="fs-danger" onClick={() => run(true)}>Delete and remove the references…</button>
          )}
        </div>
      )}
    </div>
  );
}
