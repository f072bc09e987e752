import { describe, expect, it } from 'vitest';
import { at, check, yaml } from './helpers.js';

describe('variable-maybe-unset', () => {
  it('accepts a variable saved on every way in, or declared in vars', () => {
    expect(check('variable-maybe-unset', yaml`
      vars: { item: none }
      states:
        a:
          say: Pick
          quick_replies:
            - { title: Laptop, set: { kind: laptop }, goto: b }
            - { title: Phone, set: { kind: phone }, goto: b }
        b: { say: "{{kind}} {{item}}", ask: { save: qty, type: integer }, next: [{ if: qty > 2, goto: c }, { goto: c }] }
        c: { say: "{{qty}}", end: true }
    `)).toEqual([]);
  });

  it('warns when one way into the state does not save the variable', () => {
    const d = check('variable-maybe-unset', yaml`
      states:
        a:
          say: Pick
          quick_replies:
            - { title: Laptop, set: { kind: laptop }, goto: b }
            - { title: Other, goto: b }
        b: { say: "You chose {{kind}}", end: true }
    `);
    expect(at(d)).toEqual(['7:26']);
    expect(d[0]!.severity).toBe('warning');
  });

  it('does not count ask.save on the on_fail way', () => {
    const d = check('variable-maybe-unset', yaml`
      states:
        a: { say: Code?, ask: { save: code, on_fail: b }, next: b }
        b: { say: "Code {{code}}", end: true }
    `);
    expect(d).toHaveLength(1);
  });
});
