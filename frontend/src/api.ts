// The editor's only server contact: flow JSON in Rasa's shape out, problems and revisions back.
import type { RasaFlow } from './lib/types';

export interface EditorConfig {
  apiBase: string;
  assistant: string;
  flowId: string;
  readOnly: boolean;
  csrf: string;
  flowUrlTemplate: string;
  canCreateSlots: boolean;
  canCreateActions: boolean;
  /** Set for a customised built-in pattern: it is reset to Rasa's default, never deleted. */
  resetUrl?: string;
}

export interface ServerProblem { flow_id: string | null; step_id: string | null; message: string }

/** Set on a save the server merged with someone else's: whose revision, and what each side changed. */
export interface MergeNote {
  theirs_revision: number;
  theirs_by: string | null;
  theirs_changed: string[];
  mine_changed: string[];
  message: string;
}

export interface FlowOut {
  flow_id: string;
  body: RasaFlow;
  revision: number;
  problems: ServerProblem[];
  updated_by: string | null;
  merge?: MergeNote | null;
}

/** A save: the body, the revision loaded and its body (`base`, so a stale save merges), resolutions of overlaps. */
export interface SaveRequest {
  body: RasaFlow;
  revision: number;
  base?: RasaFlow;
  resolutions?: Record<string, 'mine' | 'theirs'>;
  seen_revision?: number;
}

export interface Catalog {
  slots: { name: string; type: string; values: string[] }[];
  responses: string[];
  actions: string[];
  flows: { flow_id: string; name: string }[];
}

/** One place that names an item (a refused delete lists them all). */
export interface Usage { file: string; line: number | null; where: string; removable: boolean; code: boolean }

/** What a delete with its references changes (or, on a dry run, would change). */
export interface ItemEdit { dry_run: boolean; changed: number; changes: { what: string; file: string; diff: string }[]; code: Usage[] }

/** The refusal as the user reads it: the reason, then every usage with its file and line. */
export function refusalText(detail: string, usages: Usage[]): string {
  const lines = usages.map((u) => `• ${u.where} (${u.file}${u.line ? `:${u.line}` : ''})${u.code ? ' — code, not edited' : ''}`);
  return [detail, ...lines].join('\n');
}

function describe(status: number, detail: unknown): string {
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return detail.map((p: { loc?: unknown[]; msg?: string }) => `${(p.loc ?? []).join('.')}: ${p.msg ?? ''}`).join('; ');
  }
  return `request failed (${status})`;
}

export class ApiError extends Error {
  constructor(public status: number, public body: Record<string, unknown>) {
    super(Array.isArray(body.usages) && typeof body.detail === 'string'
      ? refusalText(body.detail, body.usages as Usage[]) : describe(status, body.detail));
  }

  /** A refused delete whose every usage "delete and remove the references" can take out. */
  get removable(): boolean {
    const usages = this.body.usages;
    return this.status === 409 && Array.isArray(usages) && (usages as Usage[]).every((u) => u.removable || u.code);
  }
}

export function makeApi(cfg: EditorConfig) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${cfg.apiBase}${path}`, {
      method,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': cfg.csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let data: Record<string, unknown> = {};
    try { data = text ? JSON.parse(text) : {}; } catch { data = { detail: text.slice(0, 200) }; }
    if (!res.ok) throw new ApiError(res.status, data);
    return data as T;
  }
  const flowPath = `/flows/${encodeURIComponent(cfg.flowId)}`;
  return {
    getFlow: () => call<FlowOut>('GET', flowPath),
    saveFlow: (request: SaveRequest) => call<FlowOut>('PUT', flowPath, request),
    validate: (flow: RasaFlow) => call<{ problems: ServerProblem[] }>('POST', '/validate', { flow_id: cfg.flowId, body: flow }),
    validateCondition: (expression: string) => call<{ ok: boolean; message: string }>('POST', '/validate-condition', { expression }),
    catalog: () => call<Catalog>('GET', '/catalog'),
    createSlot: (name: string, type: string, values: string[]) => call<unknown>('POST', '/slots', { name, type, values }),
    createResponse: (name: string, text: string) => call<unknown>('POST', '/responses', { name, text }),
    createAction: (name: string) => call<unknown>('POST', '/actions', { name }),
    createFlow: (flowId: string, description: string) => call<unknown>('POST', '/flows', { flow_id: flowId, description }),
    /** 409 (an ApiError listing every usage) when other places name the flow, unless removeReferences. */
    deleteFlow: (removeReferences = false, dryRun = false) => call<Partial<ItemEdit>>('DELETE',
      `${flowPath}?remove_references=${removeReferences ? 1 : 0}&dry_run=${dryRun ? 1 : 0}`),
  };
}

export type Api = ReturnType<typeof makeApi>;
