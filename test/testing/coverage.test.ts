import { describe, expect, it } from 'vitest';
import type { Flow } from '../../src/language/model.js';
import { Coverage, describeTransition } from '../../src/testing/coverage.js';
import { enteredStates } from '../../src/testing/session.js';
import type { Conversation } from '../../src/engine/types.js';

const flow: Flow = {
  states: {
    a: { say: 'x', quick_replies: [{ title: 'B', goto: 'b' }, { title: 'C', goto: 'c' }, { title: 'Other', flow: 'other' }] },
    b: { say: 'y', next: 'c' },
    c: { say: 'z', end: true },
  },
};

describe('coverage', () => {
  it('counts the states entered and the moves between consecutive ones, across flows', () => {
    const cov = new Coverage();
    cov.record(undefined, [{ flow: 'f', state: 'a' }]);
    cov.record({ flow: 'f', state: 'a' }, [{ flow: 'f', state: 'b' }, { flow: 'f', state: 'c' }]);
    expect(cov.statesNotReached('f', flow)).toEqual([]);
    expect(cov.transitionsNotReached('f', flow).map(describeTransition)).toEqual(['a -> c (C)', 'a -> flow other (Other)']);
    cov.record({ flow: 'f', state: 'a' }, [{ flow: 'other', state: 'start' }]);
    expect(cov.transitionsNotReached('f', flow).map((t) => t.id)).toEqual(['a -> c']);
    expect(cov.touched('other')).toBe(true);
    expect(cov.touched('nobody')).toBe(false);
  });

  it('reads entered states from enter notes, else from a new visit of the conversation', () => {
    const conv = (visit: number, state?: string): Conversation => ({ version: 1, userId: 'u', status: state ? 'active' : 'ended', flowId: 'f', ...(state ? { state } : {}), visit, vars: {}, attempts: 0, lastActivity: 0, offered: [] });
    expect(enteredStates(conv(1, 'a'), conv(3, 'c'), ['enter:f:b', 'enter:f:c'])).toEqual([{ flow: 'f', state: 'b' }, { flow: 'f', state: 'c' }]);
    expect(enteredStates(conv(1, 'a'), conv(2, 'b'), ['choice'])).toEqual([{ flow: 'f', state: 'b' }]);
    expect(enteredStates(conv(2, 'b'), conv(2, 'b'), ['fallback'])).toEqual([]);
  });
});
