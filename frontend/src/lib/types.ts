// Shapes shared by the pure graph functions. A flow is edited as a tree of steps
// (Rasa's own nesting), and the graph is always derived from it, never stored.

export type StepKind = 'collect' | 'action' | 'set_slots' | 'link' | 'call' | 'noop';

export const STEP_KINDS: StepKind[] = ['collect', 'action', 'set_slots', 'link', 'call', 'noop'];

export const END = 'END';

export type RasaStep = Record<string, unknown>;

export interface RasaFlow {
  steps: RasaStep[];
  [key: string]: unknown;
}

/** Where a step goes after it runs. `implicit` means Rasa's default (the next sibling, or END). */
export type Next =
  | { type: 'implicit' }
  | { type: 'goto'; target: string }
  | { type: 'branches'; branches: Branch[] };

/** One entry of a `next` list; `cond === null` is the `else` branch. */
export interface Branch {
  cond: string | boolean | null;
  then: string | Step[];
}

export interface Step {
  /** Internal, stable across renames; used as the graph node id. */
  uid: string;
  /** The Rasa step id (explicit, or Rasa's default id when `autoId`). */
  id: string;
  autoId: boolean;
  kind: StepKind;
  /** Every key of the Rasa step except `id` and `next`, in source order. */
  body: Record<string, unknown>;
  next: Next;
}

export interface FlowModel {
  flowId: string;
  /** Flow-level keys except `steps`. */
  props: Record<string, unknown>;
  steps: Step[];
}

/** Where a new or moved step goes; every "+" on an edge carries one. */
export type InsertPoint =
  | { type: 'start' }
  | { type: 'after'; uid: string }
  | { type: 'branch'; uid: string; index: number };
