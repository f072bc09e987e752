import { describe, expect, it } from 'vitest';
import { at, check, yaml } from './helpers.js';

describe('unreachable-state', () => {
  it('accepts states reached through choices, next, on_fail and timers', () => {
    expect(check('unreachable-state', yaml`
      states:
        a:
          say: Pick
          quick_replies: [{ title: B, goto: b }]
          after: [{ after: 5m, goto: d }]
        b:
          say: Code?
          ask: { save: code, on_fail: c }
          next: d
        c: { say: Failed, end: true }
        d: { say: Done, end: true }
    `)).toEqual([]);
  });

  it('warns at the name of a state nothing leads to', () => {
    const d = check('unreachable-state', yaml`
      states:
        a: { say: A, end: true }
        orphan: { say: B, end: true }
    `);
    expect(at(d)).toEqual(['3:3']);
    expect(d[0]!.severity).toBe('warning');
    expect(d[0]!.message).toContain('"orphan"');
  });

  it('says nothing when the start state itself is missing (another rule reports it)', () => {
    expect(check('unreachable-state', 'start: nope\nstates:\n  a: { say: A, end: true }\n  b: { say: B, end: true }\n')).toEqual([]);
  });

  it('follows the likely state of a misspelt target, so one typo does not make the rest unreachable', () => {
    expect(check('unreachable-state', 'start: welcom\nstates:\n  welcome: { say: A, next: ask_emial }\n  ask_email: { say: B, next: done }\n  done: { say: C, end: true }\n')).toEqual([]);
  });
});
