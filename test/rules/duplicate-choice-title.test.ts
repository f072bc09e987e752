import { describe, expect, it } from 'vitest';
import { at, check, yaml } from './helpers.js';

describe('duplicate-choice-title', () => {
  it('accepts different titles', () => {
    expect(check('duplicate-choice-title', yaml`
      states:
        a: { say: A, quick_replies: [{ title: Yes, goto: a }, { title: No, goto: a }] }
    `)).toEqual([]);
  });

  it('reports the same title twice, ignoring capitals and spaces', () => {
    const d = check('duplicate-choice-title', yaml`
      states:
        a:
          say: A
          quick_replies:
            - { title: Yes, goto: a }
            - { title: " yes", goto: a }
    `);
    expect(at(d)).toEqual(['6:18']);
    expect(d[0]!.message).toContain('(line 5)');
  });
});
