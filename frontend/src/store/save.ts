// Saving without losing anyone's edits: what a save sends, what a merged answer or a 409 changes.
// Pure functions over the store's state; App wires them to the API and the store.
import type { FlowOut, MergeNote, SaveRequest } from '../api';
import type { RasaFlow } from '../lib/types';

/** One place both designers changed differently (from the server's 409). */
export interface ConflictItem {
  id: string;
  step_id: string;
  field: string;
  base: unknown;
  theirs: unknown;
  mine: unknown;
}

/** The 409 of an overlapping save: the common base, their version, mine, and where they overlap. */
export interface Conflict {
  base: RasaFlow;
  theirs: RasaFlow;
  mine: RasaFlow;
  conflicts: ConflictItem[];
  theirsRevision: number;
  theirsBy: string | null;
  /** The base revision the overlapping save was made from (sent again with the resolutions). */
  baseRevision: number;
}

export type Choice = 'mine' | 'theirs';

/** The body of a save: mine, the revision and body I loaded (so a stale save can merge), and resolutions. */
export function saveRequest(body: RasaFlow, revision: number, base: RasaFlow | null,
  resolved?: { conflict: Conflict; choices: Record<string, Choice> }): SaveRequest {
  if (!resolved) return base ? { body, revision, base } : { body, revision };
  const { conflict, choices } = resolved;
  return {
    body, revision: conflict.baseRevision, base: conflict.base,
    resolutions: Object.fromEntries(conflict.conflicts.map((c) => [c.id, choices[c.id] ?? 'theirs'])),
    seen_revision: conflict.theirsRevision,
  };
}

/** A 409 answer as a Conflict, or null when it is a plain one (no base was sent, or another kind of 409). */
export function conflictFrom(body: Record<string, unknown>, baseRevision: number): Conflict | null {
  if (!Array.isArray(body.conflicts) || !body.base || !body.theirs || !body.mine) return null;
  return {
    base: body.base as RasaFlow, theirs: body.theirs as RasaFlow, mine: body.mine as RasaFlow,
    conflicts: body.conflicts as ConflictItem[],
    theirsRevision: Number(body.theirs_revision), theirsBy: (body.theirs_by as string | null) ?? null,
    baseRevision,
  };
}

export interface SavedPatch {
  revision: number;
  /** The server's body at `revision`: the base of the next save. */
  base: RasaFlow;
  /** Set when the server merged: the editor shows this body (mine plus theirs). */
  load: RasaFlow | null;
  mergeNote: string;
}

/**
 * What a successful save changes. A merged answer carries the other designer's edits, so the editor
 * loads it; but if the user edited while the save was in flight, loading it would drop those edits,
 * so the editor keeps its model and the revision and base it had: the next save merges again, and
 * the changes it already sent count as made on both sides (no conflict).
 */
export function afterSave(res: FlowOut, editedSince: boolean, before: { revision: number; base: RasaFlow | null }): SavedPatch {
  const note = res.merge ? res.merge.message : '';
  if (res.merge && editedSince) return { revision: before.revision, base: before.base ?? res.body, load: null, mergeNote: note };
  return { revision: res.revision, base: res.body, load: res.merge ? res.body : null, mergeNote: note };
}

/** "Dana saved revision 4" for a save announced over the presence socket, when it is newer than mine. */
export function savedBanner(saved: { revision: number; by: string | null } | null, myRevision: number): string {
  if (!saved || saved.revision <= myRevision) return '';
  return `${saved.by ?? 'Someone'} saved revision ${saved.revision}. Your next save merges with it.`;
}

/** "Dana is also editing" / "Dana and Lee are also editing". */
export function presenceText(users: string[]): string {
  if (!users.length) return '';
  const names = users.length === 1 ? users[0] : `${users.slice(0, -1).join(', ')} and ${users[users.length - 1]}`;
  return `${names} ${users.length === 1 ? 'is' : 'are'} also editing this flow`;
}

/** A value as the dialog shows it: text as is, anything else as JSON, absence as "(none)". */
export function shown(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  return typeof value === 'string' ? value : JSON.stringify(value, null, 1);
}

/** What a conflict is about, in words: "step ask_amount: description", "flow settings: name". */
export function conflictPlace(c: ConflictItem): string {
  const where = c.step_id === '(flow)' ? 'flow settings' : `step ${c.step_id}`;
  const what = c.field === '(deleted)' ? 'deleted on one side, changed on the other'
    : c.field === '(order)' ? 'order of steps' : c.field;
  return `${where}: ${what}`;
}

export type { MergeNote };
