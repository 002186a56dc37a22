import type { InsertPoint, StepKind } from '../lib/types';

const CHOICES: { kind: StepKind; label: string }[] = [
  { kind: 'collect', label: 'Collect (ask for a slot)' },
  { kind: 'action', label: 'Message / action' },
  { kind: 'set_slots', label: 'Set slots' },
  { kind: 'noop', label: 'Logic (branch)' },
  { kind: 'call', label: 'Call flow' },
  { kind: 'link', label: 'Link to flow (ends this one)' },
];

export function InsertMenu(props: { at: InsertPoint; x: number; y: number; canPaste: boolean;
  onPick: (kind: StepKind) => void; onPaste: () => void; onClose: () => void }) {
  return (
    <div className="fs-menu" role="menu" style={{ left: props.x, top: props.y }} onMouseLeave={props.onClose}>
      {CHOICES.map((c) => (
        <button type="button" role="menuitem" key={c.kind} data-insert={c.kind} onClick={() => props.onPick(c.kind)}>{c.label}</button>
      ))}
      {props.canPaste && <button type="button" role="menuitem" data-insert="paste" onClick={props.onPaste}>Paste copied step</button>}
      <button type="button" role="menuitem" className="fs-menu__close" onClick={props.onClose}>Cancel</button>
    </div>
  );
}
