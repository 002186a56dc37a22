import { useState } from 'react';
import { diffFlows } from '../lib/diff';
import type { Choice, Conflict } from '../store/save';
import { conflictPlace, shown } from '../store/save';

/**
 * A save overlapped someone else's: everything that did not overlap is merged already; for each
 * overlap the user sees base, theirs and mine and takes one side. Nothing else is touched.
 */
export function ConflictDialog(props: { flowId: string; conflict: Conflict; onResolve: (choices: Record<string, Choice>) => void }) {
  const { conflict } = props;
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const who = conflict.theirsBy ?? 'someone else';
  const theirs = diffFlows(props.flowId, conflict.base, conflict.theirs);
  const mine = diffFlows(props.flowId, conflict.base, conflict.mine);
  const decided = conflict.conflicts.every((c) => choices[c.id]);
  return (
    <div className="fs-modal" role="dialog" aria-modal="true" aria-label="Save conflict">
      <div className="fs-modal__box fs-merge">
        <h2>{who} changed this flow too (revision {conflict.theirsRevision})</h2>
        <p>Your changes and theirs were merged, except where you both changed the same thing.
          Choose a version for each; every other change is kept.</p>
        <details className="fs-merge__sides">
          <summary>What each of you changed</summary>
          <div className="fs-row">
            <ul aria-label="their changes"><li><strong>{who}</strong></li>{theirs.map((c, i) => <li key={i}>{c.kind} {c.what}</li>)}</ul>
            <ul aria-label="your changes"><li><strong>you</strong></li>{mine.map((c, i) => <li key={i}>{c.kind} {c.what}</li>)}</ul>
          </div>
        </details>
        {conflict.conflicts.map((c) => (
          <fieldset key={c.id} className="fs-merge__item" data-conflict={c.id}>
            <legend>{conflictPlace(c)}</legend>
            <div className="fs-merge__cols">
              <div><h3>Base</h3><pre>{shown(c.base)}</pre></div>
              <div><h3>Theirs ({who})</h3><pre>{shown(c.theirs)}</pre>
                <label><input type="radio" name={c.id} checked={choices[c.id] === 'theirs'}
                  onChange={() => setChoices({ ...choices, [c.id]: 'theirs' })} /> Take theirs</label></div>
              <div><h3>Mine</h3><pre>{shown(c.mine)}</pre>
                <label><input type="radio" name={c.id} checked={choices[c.id] === 'mine'}
                  onChange={() => setChoices({ ...choices, [c.id]: 'mine' })} /> Take mine</label></div>
            </div>
          </fieldset>
        ))}
        <div className="fs-row">
          <button type="button" disabled={!decided} onClick={() => props.onResolve(choices)}>Save merged version</button>
        </div>
      </div>
    </div>
  );
}
