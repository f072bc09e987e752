import { describe, expect, it } from 'vitest';
import { at, check, yaml } from './helpers.js';

describe('dead-end-state', () => {
  it('accepts states that wait, move on or end', () => {
    expect(check('dead-end-state', yaml`
      states:
        a: { say: A, quick_replies: [{ title: B, goto: b }] }
        b: { say: B, buttons: [{ title: C, goto: c }] }
        c: { say: C, ask: { save: x }, next: d }
        d: { say: D, next: e }
        e: { say: E, end: true }
    `)).toEqual([]);
  });

  it('reports a state that does nothing, and one whose buttons only open links', () => {
    const d = check('dead-end-state', yaml`
      states:
        a: { say: A, next: b }
        b: { say: B }
        c:
          say: C
          buttons: [{ title: Site, url: "https://example.com" }]
    `);
    expect(at(d)).toEqual(['3:3', '4:3']);
    expect(d[0]!.message).toContain('The state "b" is a dead end');
    expect(d[1]!.message).toContain('only open web pages');
  });
});
