import { describe, expect, it } from 'vitest';
import { ApiError, refusalText } from '../src/api';

const usages = [
  { file: 'data/flows/main.yml', line: null, where: 'flow main, step calling: call', removable: true, code: false },
  { file: 'actions/actions.py', line: 9, where: 'return "check"', removable: false, code: true },
];

describe('a refused delete', () => {
  it('reads as the reason, then every usage with file and line', () => {
    expect(refusalText("Cannot delete flow 'check': it is used in 2 places", usages)).toBe(
      "Cannot delete flow 'check': it is used in 2 places\n"
      + '• flow main, step calling: call (data/flows/main.yml)\n'
      + '• return "check" (actions/actions.py:9) — code, not edited');
  });

  it('offers removing the references only when each one can go (code is listed, never edited)', () => {
    const body = { detail: "Cannot delete flow 'check': it is used in 2 places", usages };
    expect(new ApiError(409, body).removable).toBe(true);
    const stuck = { ...body, usages: [{ ...usages[0], removable: false }] };
    expect(new ApiError(409, stuck).removable).toBe(false);
    expect(new ApiError(409, body).message.split('\n')).toHaveLength(3);
  });
});
