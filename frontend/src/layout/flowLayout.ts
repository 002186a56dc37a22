// Structured top-to-bottom layout that follows the flow's own nesting: a step list is a column,
// a branching step spreads its branches into side-by-side columns below it. Linear in the number
// of steps, so re-layout after an edit stays well inside a frame even for very large flows.
// Jumps and loops back are edges between already placed nodes.
import type { Graph, GraphNode } from '../lib/graph';
import { START_NODE } from '../lib/graph';
import type { FlowModel, Step } from '../lib/types';
import type { Positions } from './elk';

const V_GAP = 56;
const H_GAP = 40;

interface Block {
  width: number;
  height: number;
  place: (left: number, top: number) => void;
}

export async function layoutFlow(model: FlowModel, graph: Graph): Promise<Positions> {
  return layoutFlowSync(model, graph);
}

export function layoutFlowSync(model: FlowModel, graph: Graph): Positions {
  const positions: Positions = new Map();
  const nodes = new Map<string, GraphNode>(graph.nodes.map((n) => [n.id, n]));
  // End nodes hang under the edge that leads to them: `uid` for a plain edge, `uid#i` for branch i.
  const endFor = new Map<string, GraphNode>();
  for (const e of graph.edges) {
    const target = nodes.get(e.target);
    if (target?.type !== 'end') continue;
    const key = e.data.insert?.type === 'branch' ? `${e.source}#${e.data.insert.index}` : e.source;
    endFor.set(key, target);
  }

  const leaf = (n: GraphNode): Block => ({
    width: n.width, height: n.height,
    place: (left, top) => positions.set(n.id, { x: left, y: top }),
  });

  const column = (children: Block[]): Block => {
    const width = Math.max(0, ...children.map((c) => c.width));
    const height = children.reduce((h, c) => h + c.height, 0) + V_GAP * Math.max(0, children.length - 1);
    return {
      width, height,
      place: (left, top) => {
        let y = top;
        for (const c of children) { c.place(left + (width - c.width) / 2, y); y += c.height + V_GAP; }
      },
    };
  };

  const row = (children: Block[]): Block => {
    const width = children.reduce((w, c) => w + c.width, 0) + H_GAP * Math.max(0, children.length - 1);
    const height = Math.max(0, ...children.map((c) => c.height));
    return {
      width, height,
      place: (left, top) => {
        let x = left;
        for (const c of children) { c.place(x, top); x += c.width + H_GAP; }
      },
    };
  };

  const stepBlock = (step: Step): Block => {
    const self = nodes.get(step.uid);
    if (!self) return { width: 0, height: 0, place: () => undefined };
    const below: Block[] = [];
    if (step.next.type === 'branches') {
      step.next.branches.forEach((b, i) => {
        if (typeof b.then !== 'string' && b.then.length > 0) below.push(sequence(b.then));
        else {
          const end = endFor.get(`${step.uid}#${i}`);
          if (end) below.push(leaf(end));
        }
      });
    } else {
      const end = endFor.get(step.uid);
      if (end) below.push(leaf(end));
    }
    return below.length ? column([leaf(self), below.length === 1 ? below[0] : row(below)]) : leaf(self);
  };

  const sequence = (steps: Step[]): Block => column(steps.map(stepBlock));

  const start = nodes.get(START_NODE)!;
  const body: Block[] = [leaf(start)];
  if (model.steps.length) body.push(sequence(model.steps));
  else {
    const end = endFor.get(START_NODE);
    if (end) body.push(leaf(end));
  }
  column(body).place(0, 0);
  return positions;
}
