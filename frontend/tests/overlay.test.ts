import { describe, expect, it } from 'vitest';
import { modelToGraph, START_NODE } from '../src/lib/graph';
import { flowToModel } from '../src/lib/model';
import { onlyShortestWay, overlayMarks, parseOverlay } from '../src/lib/overlay';
import { linear, transferMoney } from './fixtures';

const graphOf = (flowId: string, flow = transferMoney()) => modelToGraph(flowToModel(flowId, flow));
const uidOf = (graph: ReturnType<typeof graphOf>, stepId: string) => graph.nodes.find((n) => n.data.stepId === stepId)!.id;
const marked = (graph: ReturnType<typeof graphOf>, ids: Map<string, string>) =>
  Object.fromEntries([...ids].map(([uid, mark]) => [uid === START_NODE ? 'START' : graph.nodes.find((n) => n.id === uid)!.data.stepId, mark]));

describe('parsing the data-overlay attribute', () => {
  it('reads a path and a coverage overlay', () => {
    expect(parseOverlay('{"kind":"path","visited":["START","a"]}')).toEqual({ kind: 'path', visited: ['START', 'a'], unreached: [] });
    expect(parseOverlay('{"kind":"coverage","visited":["a"],"unreached":["b"]}'))
      .toEqual({ kind: 'coverage', visited: ['a'], unreached: ['b'] });
  });

  it('draws nothing for a missing, broken or unknown overlay', () => {
    expect(parseOverlay(undefined)).toBeNull();
    expect(parseOverlay('')).toBeNull();
    expect(parseOverlay('{"kind":"path",')).toBeNull();
    expect(parseOverlay('{"kind":"heatmap","visited":[]}')).toBeNull();
    expect(parseOverlay('{"kind":"path","visited":[1,2]}')).toBeNull();
    expect(parseOverlay('"path"')).toBeNull();
  });
});

describe('marking the path taken', () => {
  it('marks the steps and the edges between consecutive ones, from the start', () => {
    const graph = graphOf('f', linear());
    const marks = overlayMarks(graph, { kind: 'path', visited: ['START', 'f_0_collect_a', 'f_1_utter_b'], unreached: [] });
    expect(marked(graph, marks.nodes)).toEqual({ START: 'visited', f_0_collect_a: 'visited', f_1_utter_b: 'visited' });
    expect([...marks.edges].sort()).toEqual([`${START_NODE}>`, `${uidOf(graph, 'f_0_collect_a')}>`].sort());
  });

  it('fills in the steps between two rests when only one shortest way leads there', () => {
    const graph = graphOf('f', linear());
    const marks = overlayMarks(graph, { kind: 'path', visited: ['f_0_collect_a', 'f_2_action_c'], unreached: [] });
    expect(marked(graph, marks.nodes)).toEqual({ f_0_collect_a: 'visited', f_1_utter_b: 'visited', f_2_action_c: 'visited' });
    expect(marks.edges.size).toBe(2);
  });

  it('does not guess between two equally short branches', () => {
    const graph = graphOf('f', { description: 'fork', steps: [
      { id: 'x', noop: true, next: [{ if: 'slots.a', then: [{ id: 'p', action: 'utter_p', next: 'z' }] },
        { else: [{ id: 'q', action: 'utter_q', next: 'z' }] }] },
      { id: 'z', action: 'utter_z' }] });
    expect(onlyShortestWay(graph, uidOf(graph, 'x'), uidOf(graph, 'z'))).toBeNull();
    const marks = overlayMarks(graph, { kind: 'path', visited: ['x', 'z'], unreached: [] });
    expect(marked(graph, marks.nodes)).toEqual({ x: 'visited', z: 'visited' });
    expect(marks.edges.size).toBe(0);
    // Once the branch is known (the conversation rested on p), the way is marked.
    const known = overlayMarks(graph, { kind: 'path', visited: ['x', 'p', 'z'], unreached: [] });
    expect(known.edges.size).toBe(2);
  });

  it('prefers the one shortest way over a longer detour', () => {
    const graph = graphOf('transfer_money');
    // check -> confirm directly, or check -> set_slots -> confirm: the direct edge wins.
    expect(onlyShortestWay(graph, uidOf(graph, 'check'), uidOf(graph, 'confirm'))?.map((e) => e.target))
      .toEqual([uidOf(graph, 'confirm')]);
    expect(onlyShortestWay(graph, uidOf(graph, 'do_transfer'), uidOf(graph, 'check'))).toBeNull();
  });

  it('ignores step ids the flow no longer has', () => {
    const graph = graphOf('f', linear());
    const marks = overlayMarks(graph, { kind: 'path', visited: ['gone', 'f_0_collect_a'], unreached: [] });
    expect(marked(graph, marks.nodes)).toEqual({ f_0_collect_a: 'visited' });
    expect(marks.edges.size).toBe(0);
  });
});

describe('marking coverage', () => {
  it('marks reached and unreached steps and the edges between reached ones', () => {
    const graph = graphOf('f', linear());
    const marks = overlayMarks(graph, { kind: 'coverage', visited: ['f_0_collect_a', 'f_1_utter_b'], unreached: ['f_2_action_c'] });
    expect(marked(graph, marks.nodes)).toEqual({ f_0_collect_a: 'visited', f_1_utter_b: 'visited', f_2_action_c: 'unreached' });
    expect([...marks.edges]).toEqual([`${uidOf(graph, 'f_0_collect_a')}>`]);
  });
});
