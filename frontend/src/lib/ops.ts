// Editing operations on the step tree. Each takes a model and returns a new one (the input is
// never mutated), so undo/redo is just a stack of models.
import {
  cloneModel, findById, implicitTarget, locate, Located, newUid, normalizeIds, referencedIds, retarget, walk,
} from './model';
import { END, FlowModel, InsertPoint, Next, Step, StepKind } from './types';

export class OperationError extends Error {}

export function newStep(kind: StepKind): Step {
  const bodies: Record<StepKind, Record<string, unknown>> = {
    collect: { collect: '' },
    action: { action: '' },
    set_slots: { set_slots: [] },
    link: { link: '' },
    call: { call: '' },
    noop: { noop: true },
  };
  return { uid: newUid(), id: '', autoId: true, kind, body: { ...bodies[kind] }, next: { type: 'implicit' } };
}

function mustLocate(model: FlowModel, uid: string): Located {
  const loc = locate(model.steps, uid);
  if (!loc) throw new OperationError(`step ${uid} is not in flow ${model.flowId}`);
  return loc;
}

/** A logic step always needs explicit branches; both start out going where the step would have. */
function giveBranches(step: Step, continueTo: string): void {
  step.next = {
    type: 'branches',
    branches: [{ cond: '', then: continueTo }, { cond: null, then: continueTo }],
  };
}

function insertInto(model: FlowModel, step: Step, at: InsertPoint): void {
  if (at.type === 'start') {
    model.steps.unshift(step);
    if (step.kind === 'noop' && step.next.type !== 'branches') {
      giveBranches(step, model.steps[1]?.id ?? END);
    }
    return;
  }
  const loc = mustLocate(model, at.uid);
  if (at.type === 'after') {
    const before = loc.step;
    if (before.next.type === 'branches') throw new OperationError('insert on a branch, not after a logic step');
    if (before.kind === 'link') throw new OperationError('nothing can follow a link step');
    const onward: Next = before.next;
    const continueTo = onward.type === 'goto' ? onward.target : implicitTarget(loc) ?? END;
    loc.list.splice(loc.index + 1, 0, step);
    before.next = { type: 'implicit' };
    if (step.kind === 'noop') giveBranches(step, continueTo);
    else if (step.kind !== 'link' && step.next.type === 'implicit') step.next = onward;
    return;
  }
  const next = loc.step.next;
  if (next.type !== 'branches' || !next.branches[at.index]) {
    throw new OperationError(`step ${loc.step.id} has no branch ${at.index}`);
  }
  const branch = next.branches[at.index];
  if (typeof branch.then === 'string') {
    const target = branch.then;
    if (step.kind === 'noop') giveBranches(step, target);
    else if (step.kind !== 'link' && step.next.type === 'implicit') step.next = { type: 'goto', target };
    branch.then = [step];
  } else {
    if (step.kind === 'noop') giveBranches(step, branch.then[0]?.id ?? END);
    branch.then.unshift(step);
  }
}

export function insertStep(model: FlowModel, step: Step, at: InsertPoint): FlowModel {
  const out = cloneModel(model);
  insertInto(out, structuredClone(step), at);
  return normalizeIds(out);
}

/** Take a step out of its list and reconnect everything that led to it to where it led. */
function detach(model: FlowModel, uid: string, withSubtree: boolean): Step {
  const loc = mustLocate(model, uid);
  const { step, list, index } = loc;
  const onward = step.next.type === 'goto' ? step.next.target : implicitTarget(loc);
  const wasLast = index === list.length - 1;
  list.splice(index, 1);
  const removed = new Set(withSubtree ? [...walk([step])].map((s) => s.id) : [step.id]);
  const replacement = onward && !removed.has(onward) ? onward : END;
  const prev = list[index - 1];
  if (prev && prev.next.type === 'implicit' && prev.kind !== 'link'
      && (step.next.type === 'goto' || (wasLast && !loc.isRoot))) {
    prev.next = { type: 'goto', target: replacement };
  }
  if (list.length === 0 && !loc.isRoot) emptyBranchTo(model.steps, list, replacement);
  retarget(model.steps, removed, replacement);
  return step;
}

function emptyBranchTo(steps: Step[], emptied: Step[], target: string): void {
  for (const s of walk(steps)) {
    if (s.next.type !== 'branches') continue;
    for (const b of s.next.branches) if (b.then === emptied) b.then = target;
  }
}

export function deleteStep(model: FlowModel, uid: string): FlowModel {
  const out = cloneModel(model);
  detach(out, uid, true);
  return normalizeIds(out);
}

/** Move a step (with its branches) to another place; what led to it now leads past it. */
export function moveStep(model: FlowModel, uid: string, to: InsertPoint): FlowModel {
  if (to.type !== 'start' && to.uid === uid) return model;
  const out = cloneModel(model);
  const moving = locate(out.steps, uid)?.step;
  if (moving && to.type !== 'start' && [...walk([moving])].some((s) => s.uid === to.uid)) {
    throw new OperationError('a step cannot be moved into its own branches');
  }
  const step = detach(out, uid, false);
  if (step.next.type === 'goto' || step.kind === 'link') step.next = { type: 'implicit' };
  insertInto(out, step, to);
  return normalizeIds(out);
}

/** Swap a step with its neighbour in the same list; the list's exit stays at the end. */
export function reorderStep(model: FlowModel, uid: string, delta: -1 | 1): FlowModel {
  const out = cloneModel(model);
  const loc = mustLocate(out, uid);
  const other = loc.index + delta;
  if (other < 0 || other >= loc.list.length) return model;
  const [a, b] = delta === 1 ? [loc.index, other] : [other, loc.index];
  const first = loc.list[a];
  const second = loc.list[b];
  const secondIsLast = b === loc.list.length - 1;
  if (secondIsLast && first.next.type !== 'branches' && second.next.type !== 'branches') {
    [first.next, second.next] = [second.next, first.next];
  }
  loc.list[a] = second;
  loc.list[b] = first;
  return normalizeIds(out);
}

export function updateStep(model: FlowModel, uid: string, change: (step: Step) => void): FlowModel {
  const out = cloneModel(model);
  change(mustLocate(out, uid).step);
  return normalizeIds(out);
}

export function renameStep(model: FlowModel, uid: string, newId: string): FlowModel {
  const out = cloneModel(model);
  const step = mustLocate(out, uid).step;
  if (!newId) {
    step.autoId = true;
    return normalizeIds(out);
  }
  if (newId === END || newId === 'START' || newId.startsWith('NEXT:')) {
    throw new OperationError(`'${newId}' is reserved and cannot be a step id`);
  }
  const clash = findById(out.steps, newId);
  if (clash && clash.uid !== uid) throw new OperationError(`step id '${newId}' is already used`);
  retarget(out.steps, new Set([step.id]), newId);
  step.id = newId;
  step.autoId = false;
  return normalizeIds(out);
}

export function updateProps(model: FlowModel, props: Record<string, unknown>): FlowModel {
  const out = cloneModel(model);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) delete out.props[k];
    else out.props[k] = v;
  }
  return out;
}

/** A detached copy of a step and its branches, for the clipboard. */
export function copyStep(model: FlowModel, uid: string): Step {
  return structuredClone(mustLocate(model, uid).step);
}

/**
 * Paste a copied step: fresh internal ids, explicit ids made unique, and jumps between the
 * copied steps pointed at their copies; jumps leaving the copy keep their target.
 */
export function pasteStep(model: FlowModel, copied: Step, at: InsertPoint): FlowModel {
  const out = cloneModel(model);
  const fresh = structuredClone(copied);
  const taken = new Set([...walk(out.steps)].map((s) => s.id));
  const renamed = new Map<string, string>();
  const inner = referencedIds([fresh]);
  for (const s of walk([fresh])) {
    s.uid = newUid();
    if (s.autoId && !inner.has(s.id)) { s.id = ''; continue; }
    let candidate = `${s.id}_copy`;
    for (let n = 2; taken.has(candidate); n++) candidate = `${s.id}_copy${n}`;
    taken.add(candidate);
    renamed.set(s.id, candidate);
    s.id = candidate;
  }
  for (const s of walk([fresh])) {
    const next = s.next;
    if (next.type === 'goto' && renamed.has(next.target)) next.target = renamed.get(next.target)!;
    if (next.type === 'branches') {
      for (const b of next.branches) {
        if (typeof b.then === 'string' && renamed.has(b.then)) b.then = renamed.get(b.then)!;
      }
    }
  }
  if (fresh.next.type === 'goto' && fresh.kind !== 'noop') fresh.next = { type: 'implicit' };
  insertInto(out, fresh, at);
  return normalizeIds(out);
}

export function setBranches(model: FlowModel, uid: string, next: Next): FlowModel {
  return updateStep(model, uid, (s) => { s.next = next; });
}
