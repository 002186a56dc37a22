import { useEditor } from '../context';
import { callTargetKind } from '../lib/callTarget';
import { conditionLabel, setSlotsPairs } from '../lib/graph';
import { walk } from '../lib/model';
import { deleteStep, OperationError, renameStep, reorderStep, updateStep } from '../lib/ops';
import { Branch, END, FlowModel, Next, Step } from '../lib/types';
import { ConditionEditor } from './ConditionEditor';
import { CheckField, TextField } from './fields';
import { Picker } from './Picker';

const KIND_TITLE: Record<string, string> = {
  collect: 'Collect', action: 'Message / action', set_slots: 'Set slots', link: 'Link to flow', call: 'Call flow', noop: 'Logic',
};

/** Literal values for set_slots: null, booleans and numbers typed as such, the rest as text. */
export function parseLiteral(text: string): unknown {
  const t = text.trim();
  if (t === 'null' || t === '') return null;
  if (t === 'true' || t === 'false') return t === 'true';
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return text;
}

export function StepPanel({ step, model }: { step: Step; model: FlowModel }) {
  const { store, cfg, catalog } = useEditor();
  const ro = cfg.readOnly;
  const edit = (change: (s: Step) => void) => store.commit(updateStep(model, step.uid, change));
  const setKey = (key: string, value: unknown, drop?: unknown) => edit((s) => {
    if (value === undefined || value === drop) delete s.body[key];
    else s.body[key] = value;
  });
  const guard = (fn: () => void) => {
    try { fn(); } catch (e) { if (e instanceof OperationError) store.set({ notice: e.message }); else throw e; }
  };
  const b = step.body;
  return (
    <div className="fs-panel" data-panel="step" data-step-kind={step.kind}>
      <h2>{KIND_TITLE[step.kind]}</h2>
      <TextField label="Step id" value={step.autoId ? '' : step.id} placeholder={step.id} disabled={ro}
        onCommit={(v) => guard(() => store.commit(renameStep(model, step.uid, v.trim())))} />
      {step.kind === 'collect' && (
        <>
          <Picker kind="slot" label="Slot" value={String(b.collect ?? '')} onChange={(v) => setKey('collect', v)} />
          <Picker kind="response" label="Question (response)" optional value={String(b.utter ?? '')}
            onChange={(v) => setKey('utter', v || undefined, `utter_ask_${String(b.collect)}`)} />
          <CheckField label="Ask even if already filled" checked={b.ask_before_filling === true} disabled={ro}
            onChange={(v) => setKey('ask_before_filling', v || undefined)} />
          <CheckField label="Only accept this slot while asking" checked={b.force_slot_filling === true} disabled={ro}
            onChange={(v) => setKey('force_slot_filling', v || undefined)} />
          <Rejections step={step} edit={edit} />
        </>
      )}
      {step.kind === 'action' && (
        <Picker kind="response_or_action" label="Response or action" value={String(b.action ?? '')} onChange={(v) => setKey('action', v)} />
      )}
      {step.kind === 'set_slots' && <SetSlotsEditor step={step} edit={edit} />}
      {(step.kind === 'link' || step.kind === 'call') && (
        <Picker kind="flow" label={step.kind === 'link' ? 'Continue with flow' : 'Flow to call'} value={String(b[step.kind] ?? '')}
          onChange={(v) => setKey(step.kind, v)} />
      )}
      {step.kind === 'call' && callTargetKind(b, catalog.flows.map((f) => f.flow_id)) !== 'flow' && (
        <p className="fs-hint" data-call-target={callTargetKind(b, catalog.flows.map((f) => f.flow_id))}>
          {b.mcp_server !== undefined ? `Calls an MCP tool on server ${String(b.mcp_server)}.` : 'No flow has this id: Rasa reads it as a sub-agent (sub_agents/<name>/config.yml).'}
          {' '}Try-it cannot run it and says so when a conversation reaches it.
        </p>
      )}
      {step.kind !== 'action' && (
        <TextField label="Description" multiline value={String(b.description ?? '')} disabled={ro}
          onCommit={(v) => setKey('description', v || undefined)} />
      )}
      {step.kind !== 'link' && <NextEditor step={step} model={model} edit={edit} />}
      {!ro && (
        <div className="fs-row fs-actions">
          <button type="button" onClick={() => store.commit(reorderStep(model, step.uid, -1))} title="Move up">↑ Up</button>
          <button type="button" onClick={() => store.commit(reorderStep(model, step.uid, 1))} title="Move down">↓ Down</button>
          <button type="button" onClick={() => store.set({ clipboard: structuredClone(step) })}>Copy</button>
          <button type="button" className="fs-danger" onClick={() => store.commit(deleteStep(model, step.uid), null)}>Delete step</button>
        </div>
      )}
    </div>
  );
}

function Rejections({ step, edit }: { step: Step; edit: (c: (s: Step) => void) => void }) {
  const { cfg } = useEditor();
  const list = Array.isArray(step.body.rejections) ? (step.body.rejections as { if: string; utter: string }[]) : [];
  const save = (next: { if: string; utter: string }[]) => edit((s) => { if (next.length) s.body.rejections = next; else delete s.body.rejections; });
  return (
    <fieldset className="fs-group"><legend>Reject values when</legend>
      {list.map((r, i) => (
        <div key={i} className="fs-subgroup">
          <ConditionEditor label={`Rejection ${i + 1}`} value={r.if} onChange={(v) => save(list.map((x, j) => (j === i ? { ...x, if: v } : x)))} />
          <Picker kind="response" label="Then say" value={r.utter ?? ''} onChange={(v) => save(list.map((x, j) => (j === i ? { ...x, utter: v } : x)))} />
          {!cfg.readOnly && <button type="button" className="fs-link-btn" onClick={() => save(list.filter((_, j) => j !== i))}>remove rejection</button>}
        </div>
      ))}
      {!cfg.readOnly && <button type="button" className="fs-link-btn" onClick={() => save([...list, { if: '', utter: '' }])}>+ rejection</button>}
    </fieldset>
  );
}

function SetSlotsEditor({ step, edit }: { step: Step; edit: (c: (s: Step) => void) => void }) {
  const { cfg } = useEditor();
  const pairs = setSlotsPairs(step);
  const save = (next: [string, unknown][]) => edit((s) => { s.body.set_slots = next.map(([k, v]) => ({ [k]: v })); });
  return (
    <fieldset className="fs-group"><legend>Slots to set</legend>
      {pairs.map(([k, v], i) => (
        <div key={`${i}:${k}`} className="fs-subgroup fs-row">
          <Picker kind="slot" label={`Slot ${i + 1}`} value={k} onChange={(name) => save(pairs.map((p, j) => (j === i ? [name, p[1]] : p)))} />
          <TextField label={`Value ${i + 1}`} value={v === null ? 'null' : String(v)} disabled={cfg.readOnly}
            onCommit={(text) => save(pairs.map((p, j) => (j === i ? [p[0], parseLiteral(text)] : p)))} />
          {!cfg.readOnly && <button type="button" className="fs-link-btn" aria-label={`remove slot ${i + 1}`} onClick={() => save(pairs.filter((_, j) => j !== i))}>✕</button>}
        </div>
      ))}
      {!cfg.readOnly && <button type="button" className="fs-link-btn" onClick={() => save([...pairs, ['', null]])}>+ slot</button>}
    </fieldset>
  );
}

/** Where the step continues: the default, a jump to a step or END, or conditional branches. */
function NextEditor({ step, model, edit }: { step: Step; model: FlowModel; edit: (c: (s: Step) => void) => void }) {
  const { cfg } = useEditor();
  const ro = cfg.readOnly;
  const targets = [...walk(model.steps)].filter((s) => s.uid !== step.uid).map((s) => s.id);
  const next = step.next;
  const setNext = (n: Next) => edit((s) => { s.next = n; });
  const onward = next.type === 'goto' ? next.target : END;
  if (next.type !== 'branches') {
    return (
      <fieldset className="fs-group"><legend>Then</legend>
        <label className="fs-field"><span>Continue with</span>
          <select aria-label="continue with" disabled={ro} value={next.type === 'goto' ? next.target : ''}
            onChange={(e) => setNext(e.target.value ? { type: 'goto', target: e.target.value } : { type: 'implicit' })}>
            <option value="">the next step (default)</option>
            <option value={END}>END</option>
            {targets.map((t) => <option key={t} value={t}>{t}</option>)}
          </select></label>
        {!ro && (
          <button type="button" className="fs-link-btn"
            onClick={() => setNext({ type: 'branches', branches: [{ cond: '', then: onward }, { cond: null, then: onward }] })}>
            + add conditions (branches)
          </button>
        )}
      </fieldset>
    );
  }
  const branches = next.branches;
  const save = (bs: Branch[]) => setNext({ type: 'branches', branches: bs });
  return (
    <fieldset className="fs-group" data-branches><legend>Branches (first true wins)</legend>
      {branches.map((br, i) => (
        <div key={i} className="fs-subgroup" data-branch={i}>
          {br.cond === null ? <div className="fs-label">Else</div> : (
            <ConditionEditor label={`If (branch ${i + 1})`} value={br.cond}
              onChange={(v) => save(branches.map((x, j) => (j === i ? { ...x, cond: v } : x)))} />
          )}
          <label className="fs-field"><span>{br.cond === null ? 'else go to' : 'then go to'}</span>
            <select aria-label={`branch ${i + 1} target`} disabled={ro}
              value={typeof br.then === 'string' ? br.then : '__steps'}
              onChange={(e) => save(branches.map((x, j) => (j === i ? { ...x, then: e.target.value } : x)))}>
              {typeof br.then !== 'string' && <option value="__steps">its own steps ({br.then.length})</option>}
              <option value={END}>END</option>
              {targets.map((t) => <option key={t} value={t}>{t}</option>)}
            </select></label>
          {!ro && br.cond !== null && (
            <button type="button" className="fs-link-btn" onClick={() => save(branches.filter((_, j) => j !== i))}>remove branch</button>
          )}
        </div>
      ))}
      {!ro && (
        <div className="fs-row">
          <button type="button" className="fs-link-btn" onClick={() => {
            const at = branches.findIndex((x) => x.cond === null);
            const added: Branch = { cond: '', then: END };
            save(at < 0 ? [...branches, added] : [...branches.slice(0, at), added, ...branches.slice(at)]);
          }}>+ branch</button>
          {!branches.some((x) => x.cond === null) && <button type="button" className="fs-link-btn" onClick={() => save([...branches, { cond: null, then: END }])}>+ else</button>}
          {step.kind !== 'noop' && <button type="button" className="fs-link-btn" onClick={() => setNext({ type: 'implicit' })}>remove branches</button>}
        </div>
      )}
      <div className="fs-hint">{branches.map((x) => conditionLabel(x.cond)).join(' · ')}</div>
    </fieldset>
  );
}

