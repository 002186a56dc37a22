// Comment threads per step, for the badges on the nodes. Comments live on the server's htmx pages;
// the editor only reads counts from the JSON API and links each badge to its step's thread page.

export interface StepCounts { open: number; resolved: number }
export type CountsByStep = Record<string, StepCounts>;

export interface Badge { text: string; label: string; open: boolean }

/** What a node shows: the open-thread count, a tick when every thread is resolved, nothing without threads. */
export function badgeFor(counts: StepCounts | undefined): Badge | null {
  if (!counts || counts.open + counts.resolved === 0) return null;
  if (counts.open > 0) {
    return { text: String(counts.open), label: `${counts.open} open comment thread${counts.open === 1 ? '' : 's'}`, open: true };
  }
  return { text: '✓', label: `${counts.resolved} resolved comment thread${counts.resolved === 1 ? '' : 's'}`, open: false };
}

/** The step's comments page; a step id may hold any character, `/` included. */
export function threadUrl(template: string, stepId: string): string {
  return template.replace('__STEP__', encodeURIComponent(stepId));
}

type Listener = () => void;

/** One flow's counts, loaded when the first badge subscribes and again when asked (after a save,
 *  on returning to the tab). A failed load keeps the last counts: badges are extras, never errors. */
export class CountsStore {
  private counts: CountsByStep = {};
  private listeners = new Set<Listener>();
  private loaded = false;
  private lastRevision: number | null = null;

  constructor(private load: () => Promise<CountsByStep>, readonly threadUrlTemplate: string) {}

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    if (!this.loaded) {
      this.loaded = true;
      void this.refresh();
    }
    return () => { this.listeners.delete(listener); };
  };

  get = (stepId: string): StepCounts | undefined => this.counts[stepId];

  urlFor(stepId: string): string {
    return threadUrl(this.threadUrlTemplate, stepId);
  }

  /** Every node reports the saved revision; only a new one reloads (a save may have moved step ids). */
  revisionSeen(revision: number): void {
    if (this.lastRevision !== null && this.lastRevision !== revision) void this.refresh();
    this.lastRevision = revision;
  }

  async refresh(): Promise<void> {
    try {
      this.counts = await this.load();
    } catch {
      return;
    }
    this.listeners.forEach((listener) => listener());
  }
}

/** The page's store, configured by the editor root's data attributes (null when comments are off). */
let shared: CountsStore | null | undefined;

export function pageCountsStore(): CountsStore | null {
  if (shared !== undefined) return shared;
  const data = typeof document === 'undefined' ? undefined : document.getElementById('flow-editor')?.dataset;
  if (!data?.commentsCountsUrl || !data.commentsUrlTemplate) return (shared = null);
  const url = data.commentsCountsUrl;
  const store = new CountsStore(async () => {
    const res = await fetch(url, { credentials: 'same-origin' });
    if (!res.ok) throw new Error(`comment counts: ${res.status}`);
    return (await res.json()) as CountsByStep;
  }, data.commentsUrlTemplate);
  // Threads are read and written on their own page (a new tab): coming back shows what changed there.
  window.addEventListener('focus', () => { void store.refresh(); });
  return (shared = store);
}
