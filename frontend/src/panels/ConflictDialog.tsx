import { diffFlows } from '../lib/diff';
import { modelToFlow } from '../lib/model';
import type { FlowModel } from '../lib/types';
import type { Conflict } from '../store/store';

/** Someone else saved first: show what differs and let the user choose; nothing is overwritten silently. */
export function ConflictDialog(props: { conflict: Conflict; model: FlowModel; onReload: () => void; onKeep: () => void }) {
  const changes = diffFlows(props.model.flowId, modelToFlow(props.model), props.conflict.server);
  return (
    <div className="fs-modal" role="dialog" aria-modal="true" aria-label="Save conflict">
      <div className="fs-modal__box">
        <h2>This flow was changed by {props.conflict.updatedBy ?? 'someone else'}</h2>
        <p>Their version (revision {props.conflict.revision}) differs from yours:</p>
        <ul className="fs-diff">
          {changes.length === 0 && <li>no visible differences</li>}
          {changes.map((c, i) => <li key={i} className={`fs-diff--${c.kind}`}>{c.kind === 'added' ? 'they added' : c.kind === 'removed' ? 'they removed' : 'they changed'} {c.what}</li>)}
        </ul>
        <div className="fs-row">
          <button type="button" onClick={props.onReload}>Load their version</button>
          <button type="button" className="fs-danger" onClick={props.onKeep}>Keep mine (replace theirs)</button>
        </div>
        <p className="fs-hint">Loading theirs keeps yours in the undo history (Ctrl+Z).</p>
      </div>
    </div>
  );
}
