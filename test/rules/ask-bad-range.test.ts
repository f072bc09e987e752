import { describe, expect, it } from 'vitest';
import { at, check, yaml } from './helpers.js';

describe('ask-bad-range', () => {
  it('accepts min <= max and min_length <= max_length', () => {
    expect(check('ask-bad-range', yaml`
      states:
        a: { say: N?, ask: { save: n, type: integer, min: 1, max: 1 }, next: b }
        b: { say: T?, ask: { save: t, min_length: 2, max_length: 10 }, end: true }
    `)).toEqual([]);
  });

  it('reports max below min and max_length below min_length, at the max', () => {
    const d = check('ask-bad-range', yaml`
      states:
        a:
          say: N?
          ask: { save: n, type: number, min: 10, max: 5 }
          next: b
        b:
          say: T?
          ask: { save: t, min_length: 20, max_length: 10 }
          end: true
    `);
    expect(at(d)).toEqual(['4:49', '8:49']);
    expect(d[0]!.message).toContain('max: 5, below min: 10');
  });
});
