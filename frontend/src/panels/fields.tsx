import { useEffect, useState } from 'react';

/** A text input that commits on blur or Enter, so one edit is one undo step. */
export function TextField(props: { label: string; value: string; onCommit: (v: string) => void; disabled?: boolean;
  placeholder?: string; multiline?: boolean; list?: string; name?: string }) {
  const [draft, setDraft] = useState(props.value);
  useEffect(() => setDraft(props.value), [props.value]);
  const commit = () => { if (draft !== props.value) props.onCommit(draft); };
  const common = {
    value: draft, disabled: props.disabled, placeholder: props.placeholder, name: props.name, 'aria-label': props.label,
    onChange: (e: { target: { value: string } }) => setDraft(e.target.value),
    onBlur: commit,
  };
  return (
    <label className="fs-field">
      <span>{props.label}</span>
      {props.multiline
        ? <textarea rows={3} {...common} />
        : <input {...common} list={props.list} onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); commit(); } }} />}
    </label>
  );
}

export function CheckField(props: { label: string; checked: boolean; onChange: (v: boolean) => void; disabled?: boolean }) {
  return (
    <label className="fs-check">
      <input type="checkbox" checked={props.checked} disabled={props.disabled} aria-label={props.label}
        onChange={(e) => props.onChange(e.target.checked)} />
      <span>{props.label}</span>
    </label>
  );
}
