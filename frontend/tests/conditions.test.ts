import { describe, expect, it } from 'vitest';
import { buildCondition, parseCondition } from '../src/lib/conditions';

describe('condition builder', () => {
  it('builds slot comparisons joined by and', () => {
    expect(buildCondition({ join: 'and', rows: [
      { slot: 'amount', op: '>', value: '1000' },
      { slot: 'recipient', op: 'is set', value: '' },
      { slot: 'name', op: 'is', value: 'Jane "J"' },
    ] })).toBe('slots.amount > 1000 and slots.recipient is not null and slots.name is "Jane \\"J\\""');
  });

  it('reads back what it built', () => {
    const text = 'slots.age < 18 or slots.vip is true or slots.city is "New York"';
    expect(parseCondition(text)).toEqual({ join: 'or', rows: [
      { slot: 'age', op: '<', value: '18' },
      { slot: 'vip', op: 'is', value: 'true' },
      { slot: 'city', op: 'is', value: 'New York' },
    ] });
  });

  it('keeps and inside a quoted value as text', () => {
    expect(parseCondition('slots.shop is "salt and pepper"')?.rows).toEqual([{ slot: 'shop', op: 'is', value: 'salt and pepper' }]);
  });

  it('leaves mixed and/or, parentheses, sets and context to raw mode', () => {
    expect(parseCondition('slots.a > 1 and slots.b < 2 or slots.c')).toBeNull();
    expect(parseCondition('(slots.a > 1)')).toBeNull();
    expect(parseCondition("{'EUR' 'USD'} contains slots.currency")).toBeNull();
    expect(parseCondition('not context.is_reset_only')).toBeNull();
  });
});
