import { describe, expect, it } from 'vitest';
import { at, check, yaml } from './helpers.js';

describe('branch-after-default', () => {
  it('accepts a default branch at the end', () => {
    expect(check('branch-after-default', yaml`
      vars: { n: 1 }
      states:
        a: { say: A, next: [{ if: n > 1, goto: b }, { goto: b }] }
        b: { say: B, end: true }
    `)).toEqual([]);
  });

  it('warns at each branch placed after the default one', () => {
    const d = check('branch-after-default', yaml`
      vars: { n: 1 }
      states:
        a:
          say: A
          next:
            - goto: b
            - if: n > 1
              goto: b
        b: { say: B, end: true }
    `);
    expect(at(d)).toEqual(['7:9']);
    expect(d[0]!.severity).toBe('warning');
  });
});
