import { describe, expect, it } from 'vitest';
import { diffFlows } from '../src/lib/diff';
import { linear } from './fixtures';

describe('conflict diff', () => {
  it('names changed settings and added, removed and changed steps', () => {
    const mine = linear();
    const theirs = { ...linear(), description: 'other', steps: [{ collect: 'a', description: 'x' }, { action: 'utter_b' }, { action: 'utter_z' }] };
    expect(diffFlows('f', mine, theirs)).toEqual([
      { kind: 'changed', what: "flow setting 'description': \"three steps\" → \"other\"" },
      { kind: 'changed', what: 'step f_0_collect_a' },
      { kind: 'added', what: 'step f_2_utter_z' },
      { kind: 'removed', what: 'step f_2_action_c' },
    ]);
    expect(diffFlows('f', mine, linear())).toEqual([]);
  });
});
