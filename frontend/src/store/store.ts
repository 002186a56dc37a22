// One store for the editor: the flow being edited, its undo history, selection and save state.
import { useSyncExternalStore } from 'react';
import type { Problem } from '../lib/graph';
import { findById, locate } from '../lib/model';
import type { FlowModel, RasaFlow, Step } from '../lib/types';
import type { Conflict } from './save';

export type { Conflict } from './save';

export type SaveStatus = 'saved' | 'dirty' | 'saving' | 'conflict' | 'error' | 'readonly';

export interface EditorState {
  model: FlowModel | null;
  past: FlowModel[];
  future: FlowModel[];
  selected: string | null;
  revision: number;
  /** The server's body at `revision`: sent with each save so a stale one can be merged, not refused. */
  base: RasaFlow | null;
  status: SaveStatus;
  statusMessage: string;
  conflict: Conflict | null;
  serverProblems: Problem[];
  clipboard: Step | null;
  loadError: string | null;
  /** Bumped on every edit; autosave compares it to what it last sent. */
  version: number;
  /** Why the last edit was refused (e.g. a duplicate step id); cleared by the next edit. */
  notice: string;
  /** Who else has this flow open (presence socket). */
  others: string[];
  /** The newest save someone announced over the presence socket. */
  lastSaved: { revision: number; by: string | null } | null;
  /** What the last save merged with, until dismissed. */
  mergeNote: string;
}

const HISTORY_LIMIT = 200;

type Listener = () => void;

export function createStore(initial: EditorState) {
  let state = initial;
  const listeners = new Set<Listener>();
  const set = (patch: Partial<EditorState>) => {
    state = { ...state, ...patch };
    listeners.forEach((l) => l());
  };
  return {
    get: () => state,
    set,
    subscribe: (l: Listener) => { listeners.add(l); return () => listeners.delete(l); },
    /** Record an edit: the old model goes onto the undo stack. */
    commit(model: FlowModel, selected: string | null = state.selected) {
      if (!state.model || model === state.model) return;
      set({
        model,
        past: [...state.past, state.model].slice(-HISTORY_LIMIT),
        future: [],
        selected,
        version: state.version + 1,
        status: state.status === 'readonly' ? 'readonly' : 'dirty',
        notice: '',
      });
    },
    /** Show a body the server produced (a merge): not an edit to save, but undoable back to mine. */
    adopt(model: FlowModel) {
      if (!state.model) { set({ model }); return; }
      // Step uids are new in the adopted model: keep the same step selected by its Rasa id.
      const selectedId = state.selected ? locate(state.model.steps, state.selected)?.step.id : undefined;
      const selected = selectedId ? findById(model.steps, selectedId)?.uid ?? null : null;
      set({ model, past: [...state.past, state.model].slice(-HISTORY_LIMIT), future: [], selected });
    },
    undo() {
      const prev = state.past[state.past.length - 1];
      if (!prev || !state.model) return;
      set({ model: prev, past: state.past.slice(0, -1), future: [state.model, ...state.future], version: state.version + 1, status: 'dirty' });
    },
    redo() {
      const next = state.future[0];
      if (!next || !state.model) return;
      set({ model: next, past: [...state.past, state.model], future: state.future.slice(1), version: state.version + 1, status: 'dirty' });
    },
  };
}

export type Store = ReturnType<typeof createStore>;

export function useStore<T>(store: Store, select: (s: EditorState) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.get()));
}

export const initialState = (readOnly: boolean): EditorState => ({
  model: null, past: [], future: [], selected: null, revision: 0, base: null,
  status: readOnly ? 'readonly' : 'saved', statusMessage: '', conflict: null,
  serverProblems: [], clipboard: null, loadError: null, version: 0, notice: '',
  others: [], lastSaved: null, mergeNote: '',
});
