import { describe, expect, it } from 'vitest';
import { at, check, yaml } from './helpers.js';

describe('ask-option-mismatch', () => {
  it('accepts options that fit the type (text is the default type)', () => {
    expect(check('ask-option-mismatch', yaml`
      states:
        a: { say: N?, ask: { save: n, type: integer, min: 1 }, next: b }
        b: { say: T?, ask: { save: t, min_length: 2 }, next: c }
        c: { say: C?, ask: { save: c, type: pattern, pattern: "^x+$", max_length: 5 }, end: true }
    `)).toEqual([]);
  });

  it('reports min_length on an integer and min on a text, at the key', () => {
    const d = check('ask-option-mismatch', yaml`
      states:
        a:
          say: N?
          ask:
            save: n
            type: integer
            min_length: 2
          next: b
        b:
          say: T?
          ask: { save: t, min: 3 }
          end: true
    `);
    expect(at(d)).toEqual(['7:7', '11:21']);
    expect(d[0]!.message).toContain('"min_length" does not apply to a question of type "integer"');
    expect(d[1]!.message).toContain('type "text"');
  });
});
