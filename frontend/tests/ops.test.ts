import { describe, expect, it } from 'vitest';
import { findById, flowToModel, modelToFlow } from '../src/lib/model';
import {
  copyStep, deleteStep, insertStep, moveStep, newStep, OperationError, pasteStep, renameStep, reorderStep,
} from '../src/lib/ops';
import { FlowModel } from '../src/lib/types';
import { linear, transferMoney } from './fixtures';

const uidOf = (model: FlowModel, id: string) => findById(model.steps, id)!.uid;
const withBody = (kind: Parameters<typeof newStep>[0], body: Record<string, unknown>) => {
  const s = newStep(kind);
  Object.assign(s.body, body);
  return s;
};

describe('inserting steps', () => {
  it('inserts between two steps and renumbers generated ids', () => {
    const model = flowToModel('f', linear());
    const out = insertStep(model, withBody('action', { action: 'utter_new' }), { type: 'after', uid: uidOf(model, 'f_0_collect_a') });
    expect(modelToFlow(out).steps).toEqual([{ collect: 'a' }, { action: 'utter_new' }, { action: 'utter_b' }, { action: 'action_c' }]);
    expect(findById(out.steps, 'f_2_utter_b')).toBeDefined();
    expect(modelToFlow(model).steps).toHaveLength(3); // the input is untouched
  });

  it('inserts at the start of the flow', () => {
    const model = flowToModel('f', linear());
    const out = insertStep(model, withBody('collect', { collect: 'first' }), { type: 'start' });
    expect(modelToFlow(out).steps[0]).toEqual({ collect: 'first' });
  });

  it('inserts on a jump edge and keeps the jump after the new step', () => {
    const model = flowToModel('transfer_money', transferMoney());
    const setSlots = findById(model.steps, 'transfer_money_4_set_slots')!;
    const out = insertStep(model, withBody('action', { action: 'utter_usd' }), { type: 'after', uid: setSlots.uid });
    const elseBranch = (modelToFlow(out).steps[2].next as Record<string, unknown>[])[2];
    expect(elseBranch).toEqual({ else: [
      { set_slots: [{ currency: 'USD' }, { note: null }] },
      { action: 'utter_usd', next: 'confirm' },
    ] });
  });

  it('turns a branch that jumps into a nested list when a step is added at its end', () => {
    const model = flowToModel('transfer_money', transferMoney());
    const out = insertStep(model, withBody('action', { action: 'utter_ok' }), { type: 'branch', uid: uidOf(model, 'confirm'), index: 1 });
    const branches = modelToFlow(out).steps[3].next as Record<string, unknown>[];
    expect(branches[1]).toEqual({ else: [{ action: 'utter_ok', next: 'do_transfer' }] });
  });

  it('gives a new logic step an if and an else that both continue where the flow went', () => {
    const model = flowToModel('f', linear());
    const out = insertStep(model, newStep('noop'), { type: 'after', uid: uidOf(model, 'f_0_collect_a') });
    const flow = modelToFlow(out);
    expect(flow.steps[1]).toEqual({ noop: true, next: [{ if: '', then: 'utter_b' }, { else: 'utter_b' }] });
    expect(flow.steps[2]).toEqual({ id: 'utter_b', action: 'utter_b' });
  });

  it('refuses to insert after a link step', () => {
    const model = flowToModel('transfer_money', transferMoney());
    expect(() => insertStep(model, newStep('action'), { type: 'after', uid: uidOf(model, 'transfer_money_9_link_feedback') }))
      .toThrow(OperationError);
  });
});

describe('deleting steps', () => {
  it('reconnects the previous step to the following one', () => {
    const model = flowToModel('f', linear());
    const out = deleteStep(model, uidOf(model, 'f_1_utter_b'));
    expect(modelToFlow(out).steps).toEqual([{ collect: 'a' }, { action: 'action_c' }]);
  });

  it('points jumps to the deleted step at the step after it', () => {
    const model = flowToModel('transfer_money', transferMoney());
    const out = deleteStep(model, uidOf(model, 'confirm'));
    const branches = modelToFlow(out).steps[2].next as Record<string, unknown>[];
    expect(branches[1]).toEqual({ if: "{'EUR' 'USD'} contains slots.currency", then: 'do_transfer' });
    expect(findById(out.steps, 'transfer_money_6_call_check_balance')).toBeDefined();
    expect((branches[2].else as Record<string, unknown>[])[0].next).toBe('do_transfer');
  });

  it('replaces an emptied branch with where its last step went', () => {
    const model = flowToModel('transfer_money', transferMoney());
    const out = deleteStep(model, uidOf(model, 'transfer_money_3_utter_too_much'));
    const branches = modelToFlow(out).steps[2].next as Record<string, unknown>[];
    expect(branches[0]).toEqual({ if: 'slots.amount > 1000 and slots.recipient is not null', then: 'END' });
  });

  it('deletes a logic step together with its branches', () => {
    const model = flowToModel('transfer_money', transferMoney());
    const out = deleteStep(model, uidOf(model, 'check'));
    const flow = modelToFlow(out);
    expect(flow.steps.map((s) => s.id ?? s.collect ?? s.action)).toEqual(['ask_recipient', 'amount', 'confirm', 'do_transfer', undefined, undefined]);
    expect(JSON.stringify(flow)).not.toContain('utter_too_much');
  });

  it('keeps the jump of a deleted step that ended a branch', () => {
    const flow = { description: 'd', steps: [{ id: 'n', noop: true, next: [
      { if: 'slots.x', then: [{ action: 'utter_a' }, { action: 'utter_b', next: 'END' }] }, { else: 'END' }] }] };
    const model = flowToModel('f', flow);
    const out = deleteStep(model, uidOf(model, 'f_2_utter_b'));
    const branches = modelToFlow(out).steps[0].next as Record<string, unknown>[];
    expect(branches[0]).toEqual({ if: 'slots.x', then: [{ action: 'utter_a', next: 'END' }] });
  });
});

describe('moving and reordering', () => {
  it('moves a step one place down and back up', () => {
    const model = flowToModel('f', linear());
    const down = reorderStep(model, uidOf(model, 'f_0_collect_a'), 1);
    expect(modelToFlow(down).steps).toEqual([{ action: 'utter_b' }, { collect: 'a' }, { action: 'action_c' }]);
    const back = reorderStep(down, findById(down.steps, 'f_1_collect_a')!.uid, -1);
    expect(modelToFlow(back)).toEqual(linear());
  });

  it('keeps the exit of a nested list at its end when reordering inside it', () => {
    const flow = { description: 'd', steps: [{ id: 'n', noop: true, next: [
      { if: 'slots.x', then: [{ action: 'utter_a' }, { action: 'utter_b', next: 'END' }] }, { else: 'END' }] }] };
    const model = flowToModel('f', flow);
    const out = reorderStep(model, uidOf(model, 'f_1_utter_a'), 1);
    const branches = modelToFlow(out).steps[0].next as Record<string, unknown>[];
    expect(branches[0].then).toEqual([{ action: 'utter_b' }, { action: 'utter_a', next: 'END' }]);
  });

  it('moves a step onto another edge', () => {
    const model = flowToModel('f', linear());
    const out = moveStep(model, uidOf(model, 'f_2_action_c'), { type: 'start' });
    expect(modelToFlow(out).steps).toEqual([{ action: 'action_c' }, { collect: 'a' }, { action: 'utter_b' }]);
  });

  it('refuses to move a logic step into its own branch', () => {
    const model = flowToModel('transfer_money', transferMoney());
    const inner = uidOf(model, 'transfer_money_4_set_slots');
    expect(() => moveStep(model, uidOf(model, 'check'), { type: 'after', uid: inner })).toThrow('its own branches');
  });
});

describe('copy, paste and rename', () => {
  it('pastes a branch with fresh ids and jumps inside the copy pointing at the copies', () => {
    const model = flowToModel('transfer_money', transferMoney());
    const copied = copyStep(model, uidOf(model, 'confirm'));
    const out = pasteStep(model, copied, { type: 'after', uid: uidOf(model, 'do_transfer') });
    const flow = modelToFlow(out);
    expect(flow.steps[5]).toEqual({
      id: 'confirm_copy', collect: 'confirm_transfer', ask_before_filling: true, next: [
        { if: 'not slots.confirm_transfer', then: [{ action: 'utter_transfer_cancelled', next: 'END' }] },
        { else: 'do_transfer' },
      ],
    });
    const again = pasteStep(out, copied, { type: 'start' });
    expect(modelToFlow(again).steps[0].id).toBe('confirm_copy2');
  });

  it('renames a step and every jump to it', () => {
    const model = flowToModel('transfer_money', transferMoney());
    const out = renameStep(model, uidOf(model, 'confirm'), 'confirm_it');
    expect(JSON.stringify(modelToFlow(out))).not.toContain('"confirm"');
    expect(((modelToFlow(out).steps[2].next as Record<string, unknown>[])[1]).then).toBe('confirm_it');
  });

  it('refuses a duplicate or reserved id', () => {
    const model = flowToModel('transfer_money', transferMoney());
    expect(() => renameStep(model, uidOf(model, 'confirm'), 'check')).toThrow("step id 'check' is already used");
    expect(() => renameStep(model, uidOf(model, 'confirm'), 'END')).toThrow("'END' is reserved");
  });
});
