import { useEffect, useRef } from 'react';
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
  const ref = useRef<HTMLDivElement>(null);
  const { onClose } = props;
  useEffect(() => {
    const outside = (e: PointerEvent) => { if (ref.current && !ref.current.contains(e.target as Node)) onClose(); };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [onClose]);
  return (
    <div ref={ref} className="fs-menu" role="menu"
      style={{ left: Math.min(props.x, window.innerWidth - 250), top: Math.max(8, Math.min(props.y, window.innerHeight - 320)) }}>
      {CHOICES.map((c) => (
        <button type="button" role="menuitem" key={c.kind} data-insert={c.kind} onClick={() => props.onPick(c.kind)}>{c.label}</button>
      ))}
      {props.canPaste && <button type="button" role="menuitem" data-insert="paste" onClick={props.onPaste}>Paste copied step</button>}
      <button type="button" role="menuitem" className="fs-menu__close" onClick={props.onClose}>Cancel</button>
    </div>
  );
}
