import { describe, expect, it } from 'vitest';
import { layoutGraph } from '../src/layout/elk';
import { modelToGraph } from '../src/lib/graph';
import { findById, flowToModel } from '../src/lib/model';
import { transferMoney } from './fixtures';

describe('layout', () => {
  it('places every node and lays the flow out top to bottom', async () => {
    const model = flowToModel('transfer_money', transferMoney());
    const graph = modelToGraph(model);
    const pos = await layoutGraph(graph);
    expect(pos.size).toBe(graph.nodes.length);
    const y = (id: string) => pos.get(findById(model.steps, id)!.uid)!.y;
    expect(pos.get('__start')!.y).toBeLessThan(y('ask_recipient'));
    expect(y('ask_recipient')).toBeLessThan(y('check'));
    expect(y('check')).toBeLessThan(y('confirm'));
    expect(y('confirm')).toBeLessThan(y('do_transfer'));
  });
});
