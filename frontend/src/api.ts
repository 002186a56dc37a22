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
}

export interface ServerProblem { flow_id: string | null; step_id: string | null; message: string }

export interface FlowOut {
  flow_id: string;
  body: RasaFlow;
  revision: number;
  problems: ServerProblem[];
  updated_by: string | null;
}

export interface Catalog {
  slots: { name: string; type: string; values: string[] }[];
  responses: string[];
  actions: string[];
  flows: { flow_id: string; name: string }[];
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
    super(describe(status, body.detail));
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
    saveFlow: (flow: RasaFlow, revision: number) => call<FlowOut>('PUT', flowPath, { body: flow, revision }),
    validate: (flow: RasaFlow) => call<{ problems: ServerProblem[] }>('POST', '/validate', { flow_id: cfg.flowId, body: flow }),
    validateCondition: (expression: string) => call<{ ok: boolean; message: string }>('POST', '/validate-condition', { expression }),
    catalog: () => call<Catalog>('GET', '/catalog'),
    createSlot: (name: string, type: string, values: string[]) => call<unknown>('POST', '/slots', { name, type, values }),
    createResponse: (name: string, text: string) => call<unknown>('POST', '/responses', { name, text }),
    createAction: (name: string) => call<unknown>('POST', '/actions', { name }),
    createFlow: (flowId: string, description: string) => call<unknown>('POST', '/flows', { flow_id: flowId, description }),
  };
}

export type Api = ReturnType<typeof makeApi>;
