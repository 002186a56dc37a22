// Flow JSON (Rasa step shape) <-> editable step tree.
import { Branch, END, FlowModel, Next, RasaFlow, RasaStep, Step, StepKind } from './types';

// Rasa decides a step's kind by the first of these keys present (step_from_json).
const KIND_ORDER: StepKind[] = ['action', 'collect', 'link', 'call', 'set_slots', 'noop'];

let uidCounter = 0;
export function newUid(): string {
  uidCounter += 1;
  return `s${uidCounter}`;
}

export class FlowShapeError extends Error {}

export function stepKind(raw: RasaStep, place: string): StepKind {
  const kind = KIND_ORDER.find((k) => k in raw);
  if (!kind) {
    throw new FlowShapeError(`${place}: a step needs one of ${KIND_ORDER.join(', ')}`);
  }
  return kind;
}

function parseNext(raw: unknown, place: string): Next {
  if (raw === undefined || raw === null) return { type: 'implicit' };
  if (typeof raw === 'string') return { type: 'goto', target: raw };
  if (!Array.isArray(raw)) throw new FlowShapeError(`${place}: next must be a step id or a list of branches`);
  const branches: Branch[] = raw.map((entry, i) => {
    const at = `${place}.next[${i}]`;
    if (entry === null || typeof entry !== 'object') throw new FlowShapeError(`${at}: a branch must be a mapping`);
    const e = entry as Record<string, unknown>;
    if ('else' in e) return { cond: null, then: parseTarget(e.else, `${at}.else`) };
    if (!('if' in e)) throw new FlowShapeError(`${at}: a branch needs 'if' or 'else'`);
    return { cond: e.if as string | boolean, then: parseTarget(e.then, `${at}.then`) };
  });
  return { type: 'branches', branches };
}

function parseTarget(raw: unknown, place: string): string | Step[] {
  if (typeof raw === 'string') return raw;
  if (Array.isArray(raw)) return raw.map((s, i) => parseStep(s, `${place}[${i}]`));
  throw new FlowShapeError(`${place}: must be a step id, END or a list of steps`);
}

function parseStep(raw: unknown, place: string): Step {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new FlowShapeError(`${place}: a step must be a mapping`);
  }
  const r = raw as RasaStep;
  const kind = stepKind(r, place);
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) if (k !== 'id' && k !== 'next') body[k] = v;
  const explicit = typeof r.id === 'string' && r.id !== '';
  return {
    uid: newUid(),
    id: explicit ? (r.id as string) : '',
    autoId: !explicit,
    kind,
    body,
    next: parseNext(r.next, place),
  };
}

export function flowToModel(flowId: string, flow: RasaFlow): FlowModel {
  const props: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(flow)) if (k !== 'steps') props[k] = v;
  const rawSteps = Array.isArray(flow.steps) ? flow.steps : [];
  const steps = rawSteps.map((s, i) => parseStep(s, `steps[${i}]`));
  const model = normalizeIds({ flowId, props, steps });
  // A loaded flow may already jump to a default id; keep that id exactly as written.
  const referenced = referencedIds(model.steps);
  for (const step of walk(model.steps)) if (referenced.has(step.id)) step.autoId = false;
  return model;
}

function stepToRasa(step: Step, referenced: Set<string>): RasaStep {
  const out: RasaStep = {};
  if (!step.autoId || referenced.has(step.id)) out.id = step.id;
  Object.assign(out, step.body);
  const next = step.next;
  if (next.type === 'goto') out.next = next.target;
  if (next.type === 'branches') {
    out.next = next.branches.map((b) => {
      const then = typeof b.then === 'string' ? b.then : b.then.map((s) => stepToRasa(s, referenced));
      return b.cond === null ? { else: then } : { if: b.cond, then };
    });
  }
  return out;
}

export function modelToFlow(model: FlowModel): RasaFlow {
  const referenced = referencedIds(model.steps);
  return { ...model.props, steps: model.steps.map((s) => stepToRasa(s, referenced)) };
}

/** Depth-first over every step, nested branch steps included (Rasa's `steps_in_tree` order). */
export function* walk(steps: Step[]): Generator<Step> {
  for (const step of steps) {
    yield step;
    if (step.next.type === 'branches') {
      for (const b of step.next.branches) if (typeof b.then !== 'string') yield* walk(b.then);
    }
  }
}

export function referencedIds(steps: Step[]): Set<string> {
  const ids = new Set<string>();
  for (const step of walk(steps)) {
    if (step.next.type === 'goto') ids.add(step.next.target);
    if (step.next.type === 'branches') {
      for (const b of step.next.branches) if (typeof b.then === 'string') ids.add(b.then);
    }
  }
  ids.delete(END);
  return ids;
}

export function defaultIdPostfix(step: Step): string {
  const b = step.body;
  switch (step.kind) {
    case 'collect': return `collect_${String(b.collect)}`;
    case 'action': return String(b.action);
    case 'link': return `link_${String(b.link)}`;
    case 'call': return `call_${String(b.call)}`;
    default: return step.kind;
  }
}

/**
 * Give steps without an explicit id Rasa's default id for their current position, so problems
 * reported by the server (which computes the same ids) land on the right node. A step that
 * another step jumps to needs a stable id: it gets a readable explicit one instead, because a
 * positional id would silently change meaning when steps are inserted before it.
 */
export function normalizeIds(model: FlowModel): FlowModel {
  const referenced = referencedIds(model.steps);
  const taken = new Set<string>();
  for (const step of walk(model.steps)) if (!step.autoId) taken.add(step.id);
  for (const step of walk(model.steps)) {
    if (!step.autoId || !step.id || !referenced.has(step.id)) continue;
    const base = defaultIdPostfix(step).replace(/[^A-Za-z0-9_]/g, '_') || 'step';
    let candidate = base;
    for (let n = 2; taken.has(candidate); n++) candidate = `${base}_${n}`;
    taken.add(candidate);
    retarget(model.steps, new Set([step.id]), candidate);
    step.id = candidate;
    step.autoId = false;
  }
  let idx = 0;
  for (const step of walk(model.steps)) {
    if (step.autoId) step.id = `${model.flowId}_${idx}_${defaultIdPostfix(step)}`;
    idx += 1;
  }
  return model;
}

/** Point every jump to one of `from` at `to`. */
export function retarget(steps: Step[], from: Set<string>, to: string): void {
  for (const step of walk(steps)) {
    const next = step.next;
    if (next.type === 'goto' && from.has(next.target)) next.target = to;
    if (next.type === 'branches') {
      for (const b of next.branches) if (typeof b.then === 'string' && from.has(b.then)) b.then = to;
    }
  }
}

export interface Located {
  step: Step;
  list: Step[];
  index: number;
  /** True for the flow's top-level step list. */
  isRoot: boolean;
}

export function locate(steps: Step[], uid: string, isRoot = true): Located | null {
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (step.uid === uid) return { step, list: steps, index: i, isRoot };
    if (step.next.type === 'branches') {
      for (const b of step.next.branches) {
        if (typeof b.then === 'string') continue;
        const found = locate(b.then, uid, false);
        if (found) return found;
      }
    }
  }
  return null;
}

export function findById(steps: Step[], id: string): Step | undefined {
  for (const step of walk(steps)) if (step.id === id) return step;
  return undefined;
}

/** The step id (or END) a step continues to when its `next` is implicit; null = missing. */
export function implicitTarget(loc: Located): string | null {
  if (loc.step.kind === 'link') return null;
  if (loc.index < loc.list.length - 1) return loc.list[loc.index + 1].id;
  return loc.isRoot ? END : null;
}

export function cloneModel(model: FlowModel): FlowModel {
  return structuredClone(model);
}
