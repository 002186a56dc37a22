import { describe, expect, it } from 'vitest';
import { layoutFlowSync } from '../src/layout/flowLayout';
import { modelToGraph } from '../src/lib/graph';
import { findById, flowToModel } from '../src/lib/model';
import { transferMoney } from './fixtures';

describe('structured flow layout', () => {
  const model = flowToModel('transfer_money', transferMoney());
  const graph = modelToGraph(model);
  const pos = layoutFlowSync(model, graph);
  const at = (id: string) => pos.get(findById(model.steps, id)!.uid)!;

  it('places every node', () => {
    expect(pos.size).toBe(graph.nodes.length);
  });

  it('stacks the top-level steps from top to bottom', () => {
    const ys = ['ask_recipient', 'transfer_money_1_collect_amount', 'check', 'confirm', 'do_transfer',
      'transfer_money_8_call_check_balance', 'transfer_money_9_link_feedback'].map((id) => at(id).y);
    expect([...ys].sort((a, b) => a - b)).toEqual(ys);
    expect(pos.get('__start')!.y).toBeLessThan(ys[0]);
  });

  it('puts branch steps side by side below their branching step, before the next step', () => {
    const tooMuch = at('transfer_money_3_utter_too_much');
    const usd = at('transfer_money_4_set_slots');
    expect(tooMuch.y).toBeGreaterThan(at('check').y);
    expect(tooMuch.x).toBeLessThan(usd.x);
    expect(at('confirm').y).toBeGreaterThan(Math.max(tooMuch.y, usd.y));
  });

  it('keeps nodes of a long flow from overlapping', () => {
    const steps = Array.from({ length: 300 }, (_, i) => ({ action: `utter_${i}` }));
    const big = flowToModel('big', { description: 'd', steps });
    const g = modelToGraph(big);
    const p = layoutFlowSync(big, g);
    const ys = g.nodes.filter((n) => n.type === 'action').map((n) => p.get(n.id)!.y);
    expect(new Set(ys).size).toBe(300);
  });
});
