// What differs between two versions of a flow, in words a designer understands (for conflicts).
import { flowToModel, walk } from './model';
import { RasaFlow } from './types';

export interface Change {
  kind: 'added' | 'removed' | 'changed';
  what: string;
}

function stepsById(flowId: string, flow: RasaFlow): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of walk(flowToModel(flowId, flow).steps)) {
    const shallow = { ...s.body, next: s.next.type === 'branches'
      ? s.next.branches.map((b) => [b.cond, typeof b.then === 'string' ? b.then : b.then.map((c) => c.id)])
      : s.next };
    out.set(s.id, JSON.stringify(shallow));
  }
  return out;
}

/** Changes that turn `base` into `other` (e.g. base = mine, other = the server's). */
export function diffFlows(flowId: string, base: RasaFlow, other: RasaFlow): Change[] {
  const changes: Change[] = [];
  const keys = new Set([...Object.keys(base), ...Object.keys(other)]);
  keys.delete('steps');
  for (const key of keys) {
    if (JSON.stringify(base[key]) !== JSON.stringify(other[key])) {
      changes.push({ kind: 'changed', what: `flow setting '${key}': ${JSON.stringify(base[key] ?? null)} → ${JSON.stringify(other[key] ?? null)}` });
    }
  }
  const a = stepsById(flowId, base);
  const b = stepsById(flowId, other);
  for (const [id, body] of b) {
    if (!a.has(id)) changes.push({ kind: 'added', what: `step ${id}` });
    else if (a.get(id) !== body) changes.push({ kind: 'changed', what: `step ${id}` });
  }
  for (const id of a.keys()) if (!b.has(id)) changes.push({ kind: 'removed', what: `step ${id}` });
  return changes;
}
