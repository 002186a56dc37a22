import { ReactFlowProvider } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, Catalog, EditorConfig, FlowOut, makeApi } from './api';
import { Canvas, LayoutEngine } from './Canvas';
import { EditorContext, EditorContextValue } from './context';
import { modelToGraph, Problem, searchSteps } from './lib/graph';
import { flowToModel, FlowShapeError, locate, modelToFlow, walk } from './lib/model';
import { deleteStep, insertStep, moveStep, newStep, OperationError, pasteStep } from './lib/ops';
import type { InsertPoint, Step, StepKind } from './lib/types';
import { ConflictDialog } from './panels/ConflictDialog';
import { connectPresence, presenceUrl } from './presence';
import { afterSave, Choice, conflictFrom, presenceText, savedBanner, saveRequest } from './store/save';
import { FlowSettings } from './panels/FlowSettings';
import { InsertMenu } from './panels/InsertMenu';
import { ProblemList } from './panels/ProblemList';
import { StepPanel } from './panels/StepPanel';
import { createStore, initialState, useStore } from './store/store';

const AUTOSAVE_MS = 800;

/** html-to-image is only needed when someone exports: keep it out of the bundle parsed on load. */
const exportImage = (format: 'png' | 'svg', name: string) =>
  import('./exportImage').then((m) => m.exportImage(format, name));
const nextPaint = () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
const CLIPBOARD_KEY = 'flowstudio.clipboard';

function isTyping(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  return !!t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
}

function stepHash(): string | null {
  const m = /(?:^#|&)step=([^&]+)/.exec(window.location.hash);
  return m ? decodeURIComponent(m[1]) : null;
}

/** Requests main.tsx starts before React mounts, so the flow downloads while the app boots. */
export interface Preload { flow: Promise<FlowOut>; catalog: Promise<Catalog> }

export function App({ cfg, preload }: { cfg: EditorConfig; preload?: Preload }) {
  const api = useMemo(() => makeApi(cfg), [cfg]);
  const store = useMemo(() => createStore(initialState(cfg.readOnly)), [cfg.readOnly]);
  const [catalog, setCatalog] = useState<Catalog>({ slots: [], responses: [], actions: [], flows: [] });
  const [menu, setMenu] = useState<{ at: InsertPoint; x: number; y: number } | null>(null);
  const [query, setQuery] = useState('');
  const [hitIndex, setHitIndex] = useState(0);
  const [focus, setFocus] = useState<{ uid: string; n: number; zoom: boolean } | null>(null);
  const [exporting, setExporting] = useState(false);
  const [engine, setEngine] = useState<LayoutEngine>(() => (localStorage.getItem('flowstudio.layout') === 'elk' ? 'elk' : 'flow'));
  const state = useStore(store, (s) => s);
  const { model } = state;
  const t0 = useRef(performance.now());

  const refreshCatalog = useCallback(async () => setCatalog(await api.catalog()), [api]);
  const preloaded = useRef(preload);
  const openFlow = useCallback((flowId: string) => {
    window.location.href = cfg.flowUrlTemplate.replace('__FLOW__', encodeURIComponent(flowId));
  }, [cfg]);

  useEffect(() => {
    const first = preloaded.current;
    preloaded.current = undefined;
    (first?.flow ?? api.getFlow()).then((res) => {
      store.set({
        model: flowToModel(res.flow_id, res.body), revision: res.revision, base: res.body,
        serverProblems: res.problems.map((p) => ({ stepId: p.step_id, message: p.message })),
      });
    }).catch((e) => store.set({ loadError: e instanceof FlowShapeError || e instanceof ApiError ? e.message : String(e) }));
    (first ? first.catalog.then(setCatalog) : refreshCatalog()).catch(() => undefined);
    try {
      const saved = localStorage.getItem(CLIPBOARD_KEY);
      if (saved) store.set({ clipboard: JSON.parse(saved) as Step });
    } catch { /* a broken clipboard entry is simply ignored */ }
  }, [api, store, refreshCatalog]);

  useEffect(() => {
    if (state.clipboard) localStorage.setItem(CLIPBOARD_KEY, JSON.stringify(state.clipboard));
  }, [state.clipboard]);

  // A save sends the revision and body it started from: when someone saved in between, the server
  // merges both (or, where they overlap, answers 409 and the dialog asks per overlap).
  const save = useCallback(async (choices?: Record<string, Choice>) => {
    const s = store.get();
    if (!s.model || cfg.readOnly || (s.conflict && !choices)) return;
    const sentVersion = s.version;
    const request = saveRequest(modelToFlow(s.model), s.revision, s.base,
      s.conflict && choices ? { conflict: s.conflict, choices } : undefined);
    store.set({ status: 'saving', conflict: null });
    try {
      const res = await api.saveFlow(request);
      const editedSince = store.get().version !== sentVersion;
      const patch = afterSave(res, editedSince, { revision: request.revision, base: request.base ?? null });
      if (patch.load) store.adopt(flowToModel(res.flow_id, patch.load));
      store.set({
        revision: patch.revision, base: patch.base, statusMessage: '', mergeNote: patch.mergeNote,
        status: editedSince ? 'dirty' : 'saved',
        serverProblems: res.problems.map((p) => ({ stepId: p.step_id, message: p.message })),
      });
    } catch (e) {
      const conflict = e instanceof ApiError && e.status === 409 ? conflictFrom(e.body, request.revision) : null;
      if (conflict) store.set({ status: 'conflict', conflict });
      else store.set({ status: 'error', statusMessage: e instanceof Error ? e.message : String(e) });
    }
  }, [api, store, cfg.readOnly]);

  /** Load a version someone else saved while I have nothing unsaved (or only read). */
  const reloadTheirs = async () => {
    const res = await api.getFlow();
    store.adopt(flowToModel(res.flow_id, res.body));
    store.set({ revision: res.revision, base: res.body, status: cfg.readOnly ? 'readonly' : 'saved',
      serverProblems: res.problems.map((p) => ({ stepId: p.step_id, message: p.message })) });
  };

  useEffect(() => connectPresence(presenceUrl(window.location, cfg.assistant, cfg.flowId), (event) => {
    if (event.type === 'presence') store.set({ others: event.users });
    else if (event.name === cfg.flowId) store.set({ lastSaved: { revision: event.revision, by: event.by } });
  }), [cfg.assistant, cfg.flowId, store]);

  useEffect(() => {
    if (state.status !== 'dirty') return;
    const timer = window.setTimeout(() => save(), AUTOSAVE_MS);
    return () => window.clearTimeout(timer);
  }, [state.version, state.status, save]);

  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      const st = store.get().status;
      if (st === 'dirty' || st === 'saving' || st === 'conflict') e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [store]);

  const graph = useMemo(() => (model ? modelToGraph(model) : null), [model]);
  const problems: Problem[] = useMemo(() => [...state.serverProblems, ...(graph?.problems ?? [])], [state.serverProblems, graph]);
  const problemsByStep = useMemo(() => {
    const m = new Map<string, string[]>();
    for (const p of problems) if (p.stepId) m.set(p.stepId, [...(m.get(p.stepId) ?? []), p.message]);
    return m;
  }, [problems]);
  const flowProblems = useMemo(() => problems.filter((p) => !p.stepId).map((p) => p.message), [problems]);
  const hits = useMemo(() => (model ? searchSteps(model, query) : []), [model, query]);
  const hitSet = useMemo(() => new Set(hits.map((h) => h.uid)), [hits]);

  const select = useCallback((uid: string | null) => {
    store.set({ selected: uid });
    const m = store.get().model;
    const step = uid && m ? locate(m.steps, uid)?.step : null;
    history.replaceState(null, '', step ? `#step=${encodeURIComponent(step.id)}` : window.location.pathname + window.location.search);
  }, [store]);
  const jumpToId = useCallback((stepId: string | null) => {
    const m = store.get().model;
    const step = stepId && m ? [...walk(m.steps)].find((s) => s.id === stepId) : null;
    if (!step) { select(null); return; }
    select(step.uid);
    setFocus({ uid: step.uid, n: Date.now(), zoom: true });
  }, [store, select]);

  const guarded = (fn: () => void) => {
    try { fn(); } catch (e) { if (e instanceof OperationError) store.set({ notice: e.message }); else throw e; }
  };
  const insert = (kind: StepKind, at: InsertPoint) => guarded(() => {
    const step = newStep(kind);
    store.commit(insertStep(store.get().model!, step, at), step.uid);
    setFocus({ uid: step.uid, n: Date.now(), zoom: false });
  });
  const paste = (at: InsertPoint) => guarded(() => {
    const { model: m, clipboard } = store.get();
    if (!m || !clipboard) return;
    const before = new Set([...walk(m.steps)].map((s) => s.uid));
    const out = pasteStep(m, clipboard, at);
    const added = [...walk(out.steps)].find((s) => !before.has(s.uid));
    store.commit(out, added?.uid ?? null);
  });
  const pastePoint = (): InsertPoint | null => {
    const { model: m, selected } = store.get();
    if (!m) return null;
    const step = selected ? locate(m.steps, selected)?.step : null;
    if (!step) return { type: 'start' };
    if (step.kind === 'link') return null;
    return step.next.type === 'branches' ? { type: 'branch', uid: step.uid, index: 0 } : { type: 'after', uid: step.uid };
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e)) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      const s = store.get();
      if (mod && key === 'z' && !cfg.readOnly) { e.preventDefault(); if (e.shiftKey) store.redo(); else store.undo(); }
      else if (mod && key === 'y' && !cfg.readOnly) { e.preventDefault(); store.redo(); }
      else if (mod && key === 'c' && s.selected && s.model) {
        const step = locate(s.model.steps, s.selected)?.step;
        if (step) store.set({ clipboard: structuredClone(step) });
      } else if (mod && key === 'v' && !cfg.readOnly) {
        const at = pastePoint();
        if (at) { e.preventDefault(); paste(at); }
      } else if ((e.key === 'Delete' || e.key === 'Backspace') && s.selected && !cfg.readOnly && s.model) {
        if (!locate(s.model.steps, s.selected)) return;
        e.preventDefault();
        store.commit(deleteStep(s.model, s.selected), null);
      } else if (e.key === 'Escape') { setMenu(null); select(null); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const ctx: EditorContextValue = useMemo(() => ({
    cfg, api, store, catalog, refreshCatalog, openFlow,
    openInsertMenu: (at, x, y) => setMenu({ at, x, y }),
  }), [cfg, api, store, catalog, refreshCatalog, openFlow]);

  const onReady = useCallback(() => {
    const stats = (window.__editorStats ??= { layouts: 0, lastLayoutMs: 0 });
    stats.interactiveMs = performance.now() - t0.current;
    document.getElementById('flow-editor')?.setAttribute('data-ready', 'true');
    const wanted = stepHash();
    if (wanted) jumpToId(wanted);
  }, [jumpToId]);

  const selectedStep = useSelectedStep2(store);
  const closeMenu = useCallback(() => setMenu(null), []);

  if (state.loadError) return <div className="fs-error fs-loaderror" role="alert">Cannot open this flow: {state.loadError}</div>;
  if (!model || !graph) return <div className="fs-loading">Loading flow…</div>;

  // The canvas only renders visible steps; an export draws them all first, then goes back.
  const exportWhole = async (format: 'png' | 'svg') => {
    setExporting(true);
    try {
      await nextPaint();
      await exportImage(format, model.flowId);
    } finally {
      setExporting(false);
    }
  };

  const statusText = {
    saved: 'All changes saved', dirty: 'Unsaved changes…', saving: 'Saving…', conflict: 'Conflict: choose a version',
    error: `Not saved: ${state.statusMessage}`, readonly: 'Read-only',
  }[state.status];
  return (
    <EditorContext.Provider value={ctx}>
      <div className="fs-editor">
        <div className="fs-toolbar" role="toolbar">
          <strong className="fs-title">{String(model.props.name ?? model.flowId)}</strong>
          {!cfg.readOnly && <>
            <button type="button" onClick={() => store.undo()} disabled={!state.past.length} title="Undo (Ctrl+Z)">↶ Undo</button>
            <button type="button" onClick={() => store.redo()} disabled={!state.future.length} title="Redo (Ctrl+Shift+Z)">↷ Redo</button>
          </>}
          <input className="fs-search" type="search" placeholder="Search steps…" aria-label="search steps" value={query}
            onChange={(e) => { setQuery(e.target.value); setHitIndex(0); }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && hits.length) {
                const hit = hits[hitIndex % hits.length];
                setHitIndex(hitIndex + 1);
                select(hit.uid);
                setFocus({ uid: hit.uid, n: Date.now(), zoom: true });
              }
            }} />
          {query && <span className="fs-hits" data-hits={hits.length}>{hits.length} found</span>}
          <select aria-label="layout" value={engine} title="Automatic layout"
            onChange={(e) => { const v = e.target.value as LayoutEngine; localStorage.setItem('flowstudio.layout', v); setEngine(v); }}>
            <option value="flow">Layout: structured</option>
            <option value="elk">Layout: ELK layered</option>
          </select>
          <button type="button" onClick={() => exportWhole('png')}>PNG</button>
          <button type="button" onClick={() => exportWhole('svg')}>SVG</button>
          {state.notice && <span className="fs-notice" role="alert">{state.notice}
            <button type="button" className="fs-link-btn" aria-label="dismiss" onClick={() => store.set({ notice: '' })}>✕</button></span>}
          <span className={`fs-status fs-status--${state.status}`} data-status={state.status} role="status">{statusText}</span>
        </div>
        <div className="fs-presence" data-presence aria-live="polite">{presenceText(state.others) && <span data-others>{presenceText(state.others)}</span>}
          {savedBanner(state.lastSaved, state.revision) && <span data-saved-banner>{savedBanner(state.lastSaved, state.revision)}
            {' '}{(cfg.readOnly || state.status === 'saved') && <button type="button" className="fs-link-btn" onClick={reloadTheirs}>Load it</button>}
            {state.status === 'dirty' && <button type="button" className="fs-link-btn" onClick={() => save()}>Merge now</button>}</span>}
          {state.mergeNote && <span data-merge-note>{state.mergeNote}
            <button type="button" className="fs-link-btn" aria-label="dismiss" onClick={() => store.set({ mergeNote: '' })}>✕</button></span>}</div>
        <div className="fs-main">
          <div className="fs-canvas">
            <ReactFlowProvider>
              <Canvas model={model} engine={engine} graph={graph} selected={state.selected} problemsByStep={problemsByStep} flowProblems={flowProblems}
                hits={hitSet} focus={focus} onSelect={select} onReady={onReady} renderAll={exporting}
                onMove={(uid, to) => guarded(() => store.commit(moveStep(store.get().model!, uid, to)))} />
            </ReactFlowProvider>
          </div>
          <aside className="fs-side">
            {selectedStep ? <StepPanel step={selectedStep} model={model} /> : <FlowSettings model={model} />}
            <ProblemList problems={problems} onJump={jumpToId} />
          </aside>
        </div>
        {menu && (
          <InsertMenu at={menu.at} x={menu.x} y={menu.y} canPaste={!!state.clipboard}
            onPick={(kind) => { setMenu(null); insert(kind, menu.at); }}
            onPaste={() => { setMenu(null); paste(menu.at); }} onClose={closeMenu} />
        )}
        {state.conflict && <ConflictDialog flowId={model.flowId} conflict={state.conflict} onResolve={(choices) => save(choices)} />}
      </div>
    </EditorContext.Provider>
  );
}

function useSelectedStep2(store: ReturnType<typeof createStore>): Step | null {
  const model = useStore(store, (s) => s.model);
  const selected = useStore(store, (s) => s.selected);
  if (!model || !selected) return null;
  return locate(model.steps, selected)?.step ?? null;
}
