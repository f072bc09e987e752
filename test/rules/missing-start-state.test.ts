import { describe, expect, it } from 'vitest';
import { at, check, yaml } from './helpers.js';

describe('missing-start-state', () => {
  it('accepts a start that is a state, and no start at all', () => {
    expect(check('missing-start-state', 'start: b\nstates:\n  a: { say: A, end: true }\n  b: { say: B, next: a }\n')).toEqual([]);
    expect(check('missing-start-state', 'states:\n  a: { say: A, end: true }\n')).toEqual([]);
  });

  it('reports a start that is not a state', () => {
    const d = check('missing-start-state', yaml`
      start: welcom
      states:
        welcome: { say: Hi, end: true }
    `);
    expect(at(d)).toEqual(['1:8']);
    expect(d[0]!.suggestion).toBe('welcome');
  });
});
