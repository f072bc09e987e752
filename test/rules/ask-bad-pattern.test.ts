import { describe, expect, it } from 'vitest';
import { at, check, yaml } from './helpers.js';

describe('ask-bad-pattern', () => {
  it('accepts a valid regular expression', () => {
    expect(check('ask-bad-pattern', yaml`
      states:
        a: { say: Code?, ask: { save: code, type: pattern, pattern: '^[A-Z]{2}-\\d{4}$' }, next: b }
        b: { say: B, end: true }
    `)).toEqual([]);
  });

  it('reports a pattern that does not compile, at its value', () => {
    const d = check('ask-bad-pattern', yaml`
      states:
        a:
          say: Code?
          ask:
            save: code
            type: pattern
            pattern: "^[A-Z"
          next: b
        b: { say: B, end: true }
    `);
    expect(at(d)).toEqual(['7:16']);
    expect(d[0]!.message).toContain('not a valid regular expression');
  });
});
