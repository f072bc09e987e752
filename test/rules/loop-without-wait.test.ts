import { describe, expect, it } from 'vitest';
import { at, check, yaml } from './helpers.js';

describe('loop-without-wait', () => {
  it('reports a state whose next is itself', () => {
    const d = check('loop-without-wait', yaml`
      states:
        spin:
          say: Again
          next: spin
    `);
    expect(at(d)).toEqual(['4:11']);
    expect(d[0]!.message).toContain('The state "spin" moves on to itself and never waits for the person');
  });

  it('reports a circle of states once, at its first state, naming the way round', () => {
    const d = check('loop-without-wait', yaml`
      states:
        a:
          say: A
          next: b
        b:
          say: B
          next: [{ goto: c }]
        c:
          set: { n: 1 }
          next: a
    `);
    expect(at(d)).toEqual(['4:11']);
    expect(d[0]!.message).toContain('"a" → "b" → "c" → "a"');
  });

  it('reports a state whose every branch goes back to it, conditions or not', () => {
    const d = check('loop-without-wait', yaml`
      states:
        spin:
          say: Again
          next:
            - { if: 'x == "1"', goto: spin }
            - { goto: spin }
    `);
    expect(d).toHaveLength(1);
    expect(d[0]!.message).toContain('The state "spin" moves on to itself');
  });

  it('accepts circles with a state that waits, calls, or may leave by an if:', () => {
    expect(check('loop-without-wait', yaml`
      vars: { n: 0 }
      states:
        menu:
          say: Pick
          quick_replies: [{ title: Again, goto: menu }, { title: Stop, goto: bye }]
        count:
          set: { n: "{{n}}1" }
          next:
            - if: n == "111"
              goto: bye
            - goto: count
        poll:
          call: { url: "https://api.example.com/ready", save: r }
          next: poll
        bye:
          say: Bye
          end: true
    `)).toEqual([]);
  });

  it('accepts a chain that moves on by itself and then waits', () => {
    expect(check('loop-without-wait', yaml`
      states:
        a: { say: A, next: b }
        b: { say: B, next: c }
        c:
          ask: { save: x, type: text }
          next: a
    `)).toEqual([]);
  });
});
