import { useId, useState } from 'react';
import { ApiError } from '../api';
import { useEditor } from '../context';
import { TextField } from './fields';

export type PickerKind = 'slot' | 'response' | 'action' | 'flow' | 'response_or_action';
type Creatable = 'slot' | 'response' | 'action' | 'flow';

/** Choose a slot / response / action / flow by name, or create a new one on the spot. */
export function Picker(props: { kind: PickerKind; label: string; value: string; onChange: (v: string) => void; optional?: boolean }) {
  const { catalog, cfg } = useEditor();
  const listId = useId();
  const [creating, setCreating] = useState<null | Creatable>(null);
  const options = {
    slot: catalog.slots.map((s) => s.name),
    response: catalog.responses,
    action: catalog.actions,
    flow: catalog.flows.map((f) => f.flow_id).filter((id) => id !== cfg.flowId),
    response_or_action: [...catalog.responses, ...catalog.actions],
  }[props.kind];
  const creatable: Creatable[] = [];
  if (!cfg.readOnly) {
    if (props.kind === 'slot' && cfg.canCreateSlots) creatable.push('slot');
    if (props.kind === 'response' || props.kind === 'response_or_action') creatable.push('response');
    if (props.kind === 'action' || (props.kind === 'response_or_action' && cfg.canCreateActions)) creatable.push('action');
    if (props.kind === 'flow') creatable.push('flow');
  }
  const known = !props.value || options.includes(props.value);
  return (
    <div className="fs-picker" data-picker={props.kind}>
      <TextField label={props.label} value={props.value} list={listId} disabled={cfg.readOnly}
        placeholder={props.optional ? '(default)' : 'choose…'} onCommit={props.onChange} />
      <datalist id={listId}>{options.map((o) => <option key={o} value={o} />)}</datalist>
      {!known && <div className="fs-warn">'{props.value}' is not defined in this assistant</div>}
      <div className="fs-picker__new">
        {creatable.map((k) => (
          <button type="button" key={k} className="fs-link-btn" onClick={() => setCreating(k)}>+ new {k}</button>
        ))}
      </div>
      {creating && <CreateForm kind={creating} onDone={(name) => { setCreating(null); if (name) props.onChange(name); }} />}
    </div>
  );
}

function CreateForm({ kind, onDone }: { kind: Creatable; onDone: (name: string | null) => void }) {
  const { api, refreshCatalog } = useEditor();
  const [name, setName] = useState(kind === 'response' ? 'utter_' : kind === 'action' ? 'action_' : '');
  const [type, setType] = useState('text');
  const [values, setValues] = useState('');
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const submit = async () => {
    setError('');
    try {
      if (kind === 'slot') await api.createSlot(name, type, values.split(',').map((v) => v.trim()).filter(Boolean));
      if (kind === 'response') await api.createResponse(name, text);
      if (kind === 'action') await api.createAction(name);
      if (kind === 'flow') await api.createFlow(name, text);
      await refreshCatalog();
      onDone(name);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  return (
    <div className="fs-create" data-create={kind}>
      <label className="fs-field"><span>New {kind} name</span>
        <input aria-label={`new ${kind} name`} value={name} onChange={(e) => setName(e.target.value)} /></label>
      {kind === 'slot' && (
        <>
          <label className="fs-field"><span>Type</span>
            <select aria-label="new slot type" value={type} onChange={(e) => setType(e.target.value)}>
              {['text', 'bool', 'categorical', 'float', 'any', 'list'].map((t) => <option key={t}>{t}</option>)}
            </select></label>
          {type === 'categorical' && (
            <label className="fs-field"><span>Values (comma separated)</span>
              <input aria-label="new slot values" value={values} onChange={(e) => setValues(e.target.value)} /></label>
          )}
        </>
      )}
      {kind === 'flow' && (
        <label className="fs-field"><span>Description</span>
          <textarea aria-label="new flow description" value={text} onChange={(e) => setText(e.target.value)} /></label>
      )}
      {kind === 'response' && (
        <label className="fs-field"><span>Text</span>
          <textarea aria-label="new response text" value={text} onChange={(e) => setText(e.target.value)} /></label>
      )}
      {error && <div className="fs-error" role="alert">{error}</div>}
      <div className="fs-row">
        <button type="button" onClick={submit}>Create {kind}</button>
        <button type="button" className="fs-link-btn" onClick={() => onDone(null)}>Cancel</button>
      </div>
    </div>
  );
}
