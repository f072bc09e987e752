import { describe, expect, it } from 'vitest';
import { at, check, yaml } from './helpers.js';

describe('duplicate-payload', () => {
  it('accepts different payloads, and the same payload in two states', () => {
    expect(check('duplicate-payload', yaml`
      states:
        a: { say: A, quick_replies: [{ title: X, payload: P1, goto: b }, { title: Y, payload: P2, goto: b }] }
        b: { say: B, quick_replies: [{ title: X, payload: P1, goto: a }] }
    `)).toEqual([]);
  });

  it('reports the second use of a payload in a state, pointing back at the first', () => {
    const d = check('duplicate-payload', yaml`
      states:
        a:
          say: A
          quick_replies:
            - { title: X, payload: SAME, goto: a }
          buttons:
            - { title: Y, payload: SAME, goto: a }
    `);
    expect(at(d)).toEqual(['7:30']);
    expect(d[0]!.message).toContain('(line 5)');
  });
});
