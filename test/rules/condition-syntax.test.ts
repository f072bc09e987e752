import { describe, expect, it } from 'vitest';
import { check, yaml } from './helpers.js';

describe('condition-syntax', () => {
  it('accepts readable conditions', () => {
    expect(check('condition-syntax', yaml`
      vars: { days: 1, item: x, approved: false }
      states:
        a: { say: A, next: [{ if: 'days > 10 and user.department == "Sales"', goto: b }, { if: not approved, goto: b }, { if: 'item in ["laptop", "phone"]', goto: b }, { goto: b }] }
        b: { say: B, end: true }
    `)).toEqual([]);
  });

  it('reports a broken condition inside its string', () => {
    const d = check('condition-syntax', yaml`
      vars: { days: 1 }
      states:
        a: { say: A, next: [{ if: days >, goto: b }, { goto: b }] }
        b: { say: B, end: true }
    `);
    expect(d).toHaveLength(1);
    expect(d[0]!.line).toBe(3);
    expect(d[0]!.message).toContain('Condition error in state "a": ');
  });
});
