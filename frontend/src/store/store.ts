// One store for the editor: the flow being edited, its undo history, selection and save state.
import { useSyncExternalStore } from 'react';
import type { Problem } from '../lib/graph';
import type { FlowModel, RasaFlow, Step } from '../lib/types';

export type SaveStatus = 'saved' | 'dirty' | 'saving' | 'conflict' | 'error' | 'readonly';

export interface Conflict {
  server: RasaFlow;
  revision: number;
  updatedBy: string | null;
}

export interface EditorState {
  model: FlowModel | null;
  past: FlowModel[];
  future: FlowModel[];
  selected: string | null;
  revision: number;
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
  model: null, past: [], future: [], selected: null, revision: 0,
  status: readOnly ? 'readonly' : 'saved', statusMessage: '', conflict: null,
  serverProblems: [], clipboard: null, loadError: null, version: 0, notice: '',
});
