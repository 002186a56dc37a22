// Marks drawn over a flow from outside the editor: the path a try-it conversation took, or which
// steps the latest full test run reached. The server writes one `data-overlay` JSON attribute on
// #flow-editor (both pages build it the same way); this module parses it and maps step ids to the
// graph's nodes and edges. Pure functions, so the rules are tested without a browser.
import { Graph, GraphEdge, START_NODE } from './graph';

export type OverlayKind = 'path' | 'coverage';

export interface Overlay {
  kind: OverlayKind;
  /** Step ids the conversation passed through, in order ("START" is the flow's start), or the steps a test reached. */
  visited: string[];
  /** Steps no test reached (coverage only). */
  unreached: string[];
}

export type NodeMark = 'visited' | 'unreached';

export interface OverlayMarks {
  nodes: Map<string, NodeMark>;
  edges: Set<string>;
}

const ids = (value: unknown): string[] | null =>
  Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : null;

/** The overlay in a `data-overlay` attribute; null when absent or not understood (then nothing is drawn). */
export function parseOverlay(text: string | null | undefined): Overlay | null {
  if (!text) return null;
  let raw: unknown;
  try { raw = JSON.parse(text); } catch { return null; }
  if (!raw || typeof raw !== 'object') return null;
  const o = raw as Record<string, unknown>;
  if (o.kind !== 'path' && o.kind !== 'coverage') return null;
  const visited = ids(o.visited ?? []);
  const unreached = ids(o.unreached ?? []);
  if (!visited || !unreached) return null;
  return { kind: o.kind, visited, unreached };
}

export function readOverlay(root: HTMLElement | null = document.getElementById('flow-editor')): Overlay | null {
  return parseOverlay(root?.dataset.overlay);
}

/** Node uid by step id; "START" is the start node. */
function uidsByStepId(graph: Graph): Map<string, string> {
  const out = new Map<string, string>([['START', START_NODE]]);
  for (const n of graph.nodes) if (n.data.stepId) out.set(n.data.stepId, n.id);
  return out;
}

/**
 * The edges from `from` to `to` when exactly one shortest way leads there, else null. The
 * engine records where a conversation rested (collects, actions waiting), not every step it
 * passed; a single shortest way between two rests is the one it must have taken.
 */
export function onlyShortestWay(graph: Graph, from: string, to: string): GraphEdge[] | null {
  const out = new Map<string, GraphEdge[]>();
  for (const e of graph.edges) out.set(e.source, [...(out.get(e.source) ?? []), e]);
  const dist = new Map<string, number>([[from, 0]]);
  const ways = new Map<string, number>([[from, 1]]);
  const via = new Map<string, GraphEdge>();
  const queue = [from];
  while (queue.length) {
    const at = queue.shift()!;
    if (at === to) break;
    for (const e of out.get(at) ?? []) {
      const d = dist.get(at)! + 1;
      const seen = dist.get(e.target);
      if (seen === undefined) {
        dist.set(e.target, d); ways.set(e.target, ways.get(at)!); via.set(e.target, e); queue.push(e.target);
      } else if (seen === d) {
        ways.set(e.target, ways.get(e.target)! + ways.get(at)!);
      }
    }
  }
  if (!dist.has(to) || ways.get(to) !== 1 || from === to) return null;
  const path: GraphEdge[] = [];
  for (let at = to; at !== from;) {
    const e = via.get(at)!;
    path.unshift(e);
    at = e.source;
  }
  return path;
}

/** Which nodes and edges to mark: the path's steps and the ways between consecutive ones, or coverage. */
export function overlayMarks(graph: Graph, overlay: Overlay): OverlayMarks {
  const uid = uidsByStepId(graph);
  const nodes = new Map<string, NodeMark>();
  const edges = new Set<string>();
  const known = (ids: string[]) => ids.flatMap((id) => (uid.has(id) ? [uid.get(id)!] : []));
  const visited = known(overlay.visited);
  for (const id of visited) nodes.set(id, 'visited');
  if (overlay.kind === 'coverage') {
    for (const id of known(overlay.unreached)) if (!nodes.has(id)) nodes.set(id, 'unreached');
    // Unordered: an edge is covered when the steps at both of its ends were reached.
    for (const e of graph.edges) if (nodes.get(e.source) === 'visited' && nodes.get(e.target) === 'visited') edges.add(e.id);
    return { nodes, edges };
  }
  for (let i = 1; i < visited.length; i++) {
    const [a, b] = [visited[i - 1], visited[i]];
    const direct = graph.edges.filter((e) => e.source === a && e.target === b);
    const way = direct.length === 1 ? direct : direct.length ? [] : onlyShortestWay(graph, a, b) ?? [];
    for (const e of way) {
      edges.add(e.id);
      nodes.set(e.target, 'visited');
    }
  }
  return { nodes, edges };
}

export const LEGEND: Record<OverlayKind, [NodeMark | 'current', string][]> = {
  path: [['visited', 'path taken so far'], ['current', 'current step']],
  coverage: [['visited', 'reached by a test'], ['unreached', 'never reached']],
};
