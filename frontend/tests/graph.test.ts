import { describe, expect, it } from 'vitest';
import { modelToGraph, searchSteps, START_NODE } from '../src/lib/graph';
import { findById, flowToModel } from '../src/lib/model';
import { linear, transferMoney } from './fixtures';

const edgesByIds = (flowId: string, flow = transferMoney()) => {
  const model = flowToModel(flowId, flow);
  const graph = modelToGraph(model);
  const idOf = new Map(graph.nodes.map((n) => [n.id, n.type === 'end' ? 'END' : n.type === 'start' ? 'START' : n.data.stepId]));
  return { graph, model, pairs: graph.edges.map((e) => [idOf.get(e.source), idOf.get(e.target), e.label ?? '', e.data.role]) };
};

describe('step tree -> graph', () => {
  it('draws a linear flow from start through every step to END', () => {
    const { pairs } = edgesByIds('f', linear());
    expect(pairs).toEqual([
      ['START', 'f_0_collect_a', '', 'seq'],
      ['f_0_collect_a', 'f_1_utter_b', '', 'seq'],
      ['f_1_utter_b', 'f_2_action_c', '', 'seq'],
      ['f_2_action_c', 'END', '', 'seq'],
    ]);
  });

  it('labels branches with their conditions and follows nested steps', () => {
    const { pairs } = edgesByIds('transfer_money');
    expect(pairs).toContainEqual(['check', 'transfer_money_3_utter_too_much', 'slots.amount > 1000 and slots.recipient is not null', 'branch']);
    expect(pairs).toContainEqual(['check', 'confirm', "{'EUR' 'USD'} contains slots.currency", 'branch']);
    expect(pairs).toContainEqual(['check', 'transfer_money_4_set_slots', 'else', 'branch']);
    expect(pairs).toContainEqual(['transfer_money_4_set_slots', 'confirm', '', 'jump']);
    expect(pairs).toContainEqual(['transfer_money_3_utter_too_much', 'END', '', 'jump']);
  });

  it('ends the flow at a link step without an outgoing edge', () => {
    const { pairs } = edgesByIds('transfer_money');
    expect(pairs.filter((p) => p[0] === 'transfer_money_9_link_feedback')).toEqual([]);
    expect(pairs).toContainEqual(['transfer_money_8_call_check_balance', 'transfer_money_9_link_feedback', '', 'seq']);
  });

  it('marks a jump to an earlier step as a loop back', () => {
    const flow = { description: 'd', steps: [{ id: 'ask', collect: 'a' }, { action: 'utter_again', next: 'ask' }] };
    const { pairs } = edgesByIds('f', flow);
    expect(pairs).toContainEqual(['f_1_utter_again', 'ask', '', 'back']);
  });

  it('reports a branch end without next and an unknown target as problems on the step', () => {
    const flow = { description: 'd', steps: [{ id: 'n', noop: true, next: [
      { if: 'slots.x', then: [{ id: 'dangling', action: 'utter_a' }] }, { else: 'nowhere' }] }] };
    const { graph } = edgesByIds('f', flow);
    expect(graph.problems).toEqual([
      { stepId: 'n', message: "next step 'nowhere' does not exist" },
      { stepId: 'dangling', message: 'the last step of a branch needs an explicit next' },
    ]);
  });

  it('requires an else branch on a logic step', () => {
    const flow = { description: 'd', steps: [{ id: 'n', noop: true, next: [{ if: 'slots.x', then: 'END' }] }] };
    expect(edgesByIds('f', flow).graph.problems).toContainEqual({ stepId: 'n', message: 'a branching step needs an else branch' });
  });

  it('draws an empty flow as start straight to END', () => {
    const { pairs } = edgesByIds('f', { description: 'd', steps: [] });
    expect(pairs).toEqual([['START', 'END', '', 'seq']]);
  });

  it('finds steps by slot, action or condition text', () => {
    const model = flowToModel('transfer_money', transferMoney());
    expect(searchSteps(model, 'check_bal').map((s) => s.id)).toEqual(['transfer_money_8_call_check_balance']);
    expect(searchSteps(model, 'CURRENCY').map((s) => s.id)).toEqual(['check', 'transfer_money_4_set_slots']);
    expect(findById(model.steps, 'confirm')?.kind).toBe('collect');
    expect(modelToGraph(model).nodes[0].id).toBe(START_NODE);
  });
});
