import { describe, expect, it } from 'vitest';
import type { FlowOut } from '../src/api';
import { diffFlows } from '../src/lib/diff';
import { findById, flowToModel } from '../src/lib/model';
import { createStore, initialState } from '../src/store/store';
import { afterSave, Conflict, conflictFrom, conflictPlace, presenceText, savedBanner, saveRequest, shown } from '../src/store/save';

const base = { description: 'send money', steps: [{ collect: 'amount' }, { id: 'calling', call: 'check' }] };
const theirs = { ...base, steps: [{ collect: 'amount', description: 'how much' }, base.steps[1]] };
const mine = { ...base, steps: [base.steps[0], { id: 'calling', call: 'check', description: 'check first' }] };

const conflictBody = {
  detail: 'main was changed by dana (now at revision 2); 1 change overlaps yours: step calling, field description',
  current: { revision: 2 }, base, theirs, mine, theirs_by: 'dana', theirs_revision: 2,
  conflicts: [{ id: 'calling:description', step_id: 'calling', field: 'description', base: null, theirs: 'x', mine: 'check first' }],
};

describe('saving without lost edits', () => {
  it('sends the loaded body as the base of every save', () => {
    expect(saveRequest(mine, 1, base)).toEqual({ body: mine, revision: 1, base });
    expect(saveRequest(mine, 1, null)).toEqual({ body: mine, revision: 1 });
  });

  it('credits each side with its own changes (issue 12: the old dialog called my change theirs)', () => {
    const conflict = conflictFrom(conflictBody, 1)!;
    expect(diffFlows('main', conflict.base, conflict.theirs)).toEqual([{ kind: 'changed', what: 'step main_0_collect_amount' }]);
    expect(diffFlows('main', conflict.base, conflict.mine)).toEqual([{ kind: 'changed', what: 'step calling' }]);
    expect(conflict.theirsBy).toBe('dana');
  });

  it('resends only the choices for the overlaps, against the base and the revision the user saw', () => {
    const conflict = conflictFrom(conflictBody, 1) as Conflict;
    expect(saveRequest(mine, 7, base, { conflict, choices: { 'calling:description': 'mine' } })).toEqual({
      body: mine, revision: 1, base, resolutions: { 'calling:description': 'mine' }, seen_revision: 2,
    });
  });

  it('treats a 409 without overlaps (no base sent) as a plain error', () => {
    expect(conflictFrom({ detail: 'stale', current: { revision: 3 } }, 1)).toBeNull();
  });

  it('loads the merged body when nothing was edited during the save', () => {
    const res = { flow_id: 'main', body: { ...mine, steps: [theirs.steps[0], mine.steps[1]] }, revision: 3, problems: [],
      updated_by: 'me', merge: { theirs_revision: 2, theirs_by: 'dana', theirs_changed: ['main_0_collect_amount'], mine_changed: ['calling'], message: 'Merged with dana' } } as FlowOut;
    expect(afterSave(res, false, { revision: 1, base })).toEqual({ revision: 3, base: res.body, load: res.body, mergeNote: 'Merged with dana' });
    // Edited meanwhile: keep my model and merge again from the old base, so the newer edits are not dropped.
    expect(afterSave(res, true, { revision: 1, base })).toEqual({ revision: 1, base, load: null, mergeNote: 'Merged with dana' });
  });

  it('after a plain save the saved body is the next base', () => {
    const res = { flow_id: 'main', body: mine, revision: 2, problems: [], updated_by: 'me' } as FlowOut;
    expect(afterSave(res, false, { revision: 1, base })).toEqual({ revision: 2, base: mine, load: null, mergeNote: '' });
  });

  it('announces only saves newer than mine', () => {
    expect(savedBanner({ revision: 4, by: 'dana' }, 3)).toBe('dana saved revision 4. Your next save merges with it.');
    expect(savedBanner({ revision: 4, by: 'me' }, 4)).toBe('');
    expect(savedBanner(null, 4)).toBe('');
  });

  it('says who else is editing', () => {
    expect(presenceText([])).toBe('');
    expect(presenceText(['dana'])).toBe('dana is also editing this flow');
    expect(presenceText(['dana', 'lee', 'sam'])).toBe('dana, lee and sam are also editing this flow');
  });

  it('names the place and shows values of each overlap', () => {
    expect(conflictPlace(conflictBody.conflicts[0])).toBe('step calling: description');
    expect(conflictPlace({ ...conflictBody.conflicts[0], step_id: '(flow)', field: 'name' })).toBe('flow settings: name');
    expect(conflictPlace({ ...conflictBody.conflicts[0], field: '(deleted)' })).toBe('step calling: deleted on one side, changed on the other');
    expect(shown(null)).toBe('(none)');
    expect(shown({ a: 1 })).toBe('{\n "a": 1\n}');
  });
});

describe('adopting a merged body', () => {
  it('keeps the same step selected and my version in the undo history', () => {
    const store = createStore(initialState(false));
    const mineModel = flowToModel('main', mine);
    store.set({ model: mineModel, selected: findById(mineModel.steps, 'calling')!.uid });
    const merged = flowToModel('main', { ...mine, steps: [theirs.steps[0], mine.steps[1]] });

    store.adopt(merged);

    expect(store.get().model).toBe(merged);
    expect(store.get().selected).toBe(findById(merged.steps, 'calling')!.uid);
    expect(store.get().past).toEqual([mineModel]);
    expect(store.get().version).toBe(0); // not an edit: nothing to autosave
  });
});
