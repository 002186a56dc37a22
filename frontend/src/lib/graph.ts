// Step tree -> graph (nodes + edges) for drawing. Positions come from the layout, never from here.
import { implicitTarget, locate, walk } from './model';
import { END, FlowModel, InsertPoint, Step, StepKind } from './types';

export type NodeKind = StepKind | 'start' | 'end';

export interface Problem {
  stepId: string | null;
  message: string;
}

export interface GraphNode {
  id: string;
  type: NodeKind;
  width: number;
  height: number;
  data: { step?: Step; stepId?: string; missing?: string; props?: Record<string, unknown> };
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  label?: string;
  data: { insert: InsertPoint | null; role: 'seq' | 'branch' | 'jump' | 'back' };
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  problems: Problem[];
}

export const START_NODE = '__start';
const WIDTH = 260;

export function nodeSize(type: NodeKind, step?: Step): { width: number; height: number } {
  switch (type) {
    case 'start': return { width: 300, height: 96 };
    case 'end': return { width: 90, height: 36 };
    case 'collect': return { width: WIDTH, height: 78 };
    case 'set_slots': {
      const n = Array.isArray(step?.body.set_slots) ? (step!.body.set_slots as unknown[]).length : 0;
      return { width: WIDTH, height: 52 + 18 * Math.min(n, 4) };
    }
    case 'noop': return { width: 200, height: 52 };
    default: return { width: WIDTH, height: 60 };
  }
}

export function conditionLabel(cond: string | boolean | null): string {
  if (cond === null) return 'else';
  if (typeof cond === 'boolean') return cond ? 'True' : 'False';
  return cond || '(empty condition)';
}

export function modelToGraph(model: FlowModel): Graph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const problems: Problem[] = [];
  const order = new Map<string, number>();
  const byId = new Map<string, Step>();
  let i = 0;
  for (const step of walk(model.steps)) {
    order.set(step.uid, i++);
    if (byId.has(step.id)) problems.push({ stepId: step.id, message: `step id '${step.id}' is used twice` });
    byId.set(step.id, step);
  }
  nodes.push({ id: START_NODE, type: 'start', ...nodeSize('start'), data: { props: model.props } });
  for (const step of walk(model.steps)) {
    nodes.push({ id: step.uid, type: step.kind, ...nodeSize(step.kind, step), data: { step, stepId: step.id } });
  }

  // Ids derive from the edge's origin (step + branch), not from list positions, so an insert
  // does not rename every later edge and end node (which would remount them all).
  const edgeKey = (source: string, insert: InsertPoint | null) =>
    insert?.type === 'branch' ? `${source}#${insert.index}` : `${source}>`;
  const connect = (source: string, target: string | null, insert: InsertPoint | null,
    role: GraphEdge['data']['role'], label?: string, fromStep?: Step) => {
    let targetNode: string;
    const key = edgeKey(source, insert);
    if (target === END || target === null) {
      targetNode = `__end:${key}`;
      const missing = target === null ? 'missing next' : undefined;
      if (missing && fromStep) {
        problems.push({ stepId: fromStep.id, message: 'the last step of a branch needs an explicit next' });
      }
      nodes.push({ id: targetNode, type: 'end', ...nodeSize('end'), data: { missing } });
    } else {
      const step = byId.get(target);
      if (!step) {
        targetNode = `__end:${key}`;
        if (fromStep) problems.push({ stepId: fromStep.id, message: `next step '${target}' does not exist` });
        nodes.push({ id: targetNode, type: 'end', ...nodeSize('end'), data: { missing: `unknown '${target}'` } });
      } else {
        targetNode = step.uid;
        if (role === 'jump' && (order.get(step.uid) ?? 0) <= (order.get(source) ?? -1)) role = 'back';
      }
    }
    edges.push({ id: key, source, target: targetNode, label, data: { insert, role } });
  };

  if (model.steps.length === 0) connect(START_NODE, END, { type: 'start' }, 'seq');
  else edges.push({ id: `${START_NODE}>`, source: START_NODE, target: model.steps[0].uid, data: { insert: { type: 'start' }, role: 'seq' } });

  for (const step of walk(model.steps)) {
    const next = step.next;
    const after: InsertPoint = { type: 'after', uid: step.uid };
    if (step.kind === 'link') continue; // a link ends this flow; the target flow takes over
    if (next.type === 'goto') {
      const loc = locate(model.steps, step.uid)!;
      const sequential = implicitTarget(loc) === next.target && next.target !== END;
      connect(step.uid, next.target, after, sequential ? 'seq' : 'jump', undefined, step);
    } else if (next.type === 'implicit') {
      const loc = locate(model.steps, step.uid)!;
      connect(step.uid, implicitTarget(loc), after, 'seq', undefined, step);
    } else {
      if (!next.branches.some((b) => b.cond === null)) {
        problems.push({ stepId: step.id, message: 'a branching step needs an else branch' });
      }
      next.branches.forEach((b, index) => {
        const insert: InsertPoint = { type: 'branch', uid: step.uid, index };
        const label = conditionLabel(b.cond);
        if (typeof b.then === 'string') connect(step.uid, b.then, insert, 'branch', label, step);
        else if (b.then.length === 0) connect(step.uid, null, insert, 'branch', label, step);
        else edges.push({ id: edgeKey(step.uid, insert), source: step.uid, target: b.then[0].uid, label, data: { insert, role: 'branch' } });
      });
    }
  }
  return { nodes, edges, problems };
}

/** Short text for a step, used on nodes and by the in-flow search. */
export function stepSummary(step: Step): string {
  const b = step.body;
  switch (step.kind) {
    case 'collect': return `${String(b.collect || '?')} ${String(b.description ?? '')} ${String(b.utter ?? '')}`;
    case 'action': return String(b.action || '?');
    case 'link': return `link ${String(b.link || '?')}`;
    case 'call': return `call ${String(b.call || '?')}`;
    case 'set_slots': return setSlotsPairs(step).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
    case 'noop': return step.next.type === 'branches'
      ? step.next.branches.map((br) => conditionLabel(br.cond)).join(' ') : 'noop';
  }
}

export function setSlotsPairs(step: Step): [string, unknown][] {
  const raw = step.body.set_slots;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((entry) => (entry && typeof entry === 'object' ? Object.entries(entry as object) : []));
}

export function searchSteps(model: FlowModel, query: string): Step[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  return [...walk(model.steps)].filter((s) => `${s.id} ${s.kind} ${stepSummary(s)}`.toLowerCase().includes(q));
}
