import { describe, expect, it } from 'vitest';
import { flowToModel, FlowShapeError, modelToFlow, walk } from '../src/lib/model';
import { linear, transferMoney } from './fixtures';

describe('flow JSON <-> step tree', () => {
  it('round-trips the reference flow unchanged', () => {
    const flow = transferMoney();
    expect(modelToFlow(flowToModel('transfer_money', flow))).toEqual(transferMoney());
  });

  it('gives steps without an id the default id Rasa computes, counting nested steps', () => {
    const model = flowToModel('transfer_money', transferMoney());
    const ids = [...walk(model.steps)].map((s) => s.id);
    expect(ids).toEqual([
      'ask_recipient', 'transfer_money_1_collect_amount', 'check', 'transfer_money_3_utter_too_much',
      'transfer_money_4_set_slots', 'confirm', 'transfer_money_6_utter_transfer_cancelled',
      'do_transfer', 'transfer_money_8_call_check_balance', 'transfer_money_9_link_feedback',
    ]);
  });

  it('does not write generated ids back into the flow', () => {
    const out = modelToFlow(flowToModel('f', linear()));
    expect(out.steps.map((s) => s.id)).toEqual([undefined, undefined, undefined]);
  });

  it('writes a generated id when another step jumps to it', () => {
    const flow = { description: 'd', steps: [{ collect: 'a' }, { action: 'utter_x', next: 'f_0_collect_a' }] };
    const out = modelToFlow(flowToModel('f', flow));
    expect(out.steps[0].id).toBe('f_0_collect_a');
  });

  it('names the place of a step without a kind', () => {
    const bad = { description: 'd', steps: [{ collect: 'a' }, { id: 'x', next: 'END' }] };
    expect(() => flowToModel('f', bad)).toThrow(FlowShapeError);
    expect(() => flowToModel('f', bad)).toThrow('steps[1]: a step needs one of');
  });

  it('names the place of a malformed branch', () => {
    const bad = { description: 'd', steps: [{ noop: true, next: [{ then: 'END' }] }] };
    expect(() => flowToModel('f', bad)).toThrow("steps[0].next[0]: a branch needs 'if' or 'else'");
  });
});
