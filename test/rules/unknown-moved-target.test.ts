import { describe, expect, it } from 'vitest';
import { at, check, yaml } from './helpers.js';

describe('unknown-moved-target', () => {
  it('accepts moved entries that lead to states', () => {
    expect(check('unknown-moved-target', 'moved: { old: a }\nstates:\n  a: { say: A, end: true }\n')).toEqual([]);
  });

  it('reports a moved target that is not a state', () => {
    const d = check('unknown-moved-target', yaml`
      moved:
        ask_mail: ask_emal
      states:
        ask_email: { say: A, end: true }
    `);
    expect(at(d)).toEqual(['2:13']);
    expect(d[0]!.suggestion).toBe('ask_email');
  });
});
