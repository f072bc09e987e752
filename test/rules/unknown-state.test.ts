import { describe, expect, it } from 'vitest';
import { at, check, yaml } from './helpers.js';

describe('unknown-state', () => {
  it('accepts targets that are states of the flow', () => {
    expect(check('unknown-state', yaml`
      states:
        a:
          say: Hi
          quick_replies: [{ title: Go, goto: b }]
        b: { say: Bye, end: true }
    `)).toEqual([]);
  });

  it('reports a misspelt goto at its value, with a suggestion', () => {
    const d = check('unknown-state', yaml`
      states:
        ask_email:
          say: Your email?
          ask: { save: email, type: email }
          next: ask_emial
    `);
    expect(at(d)).toEqual(['5:11']);
    expect(d[0]!.suggestion).toBe('ask_email');
    expect(d[0]!.message).toContain('"ask_emial" is not a state of this flow');
    expect(d[0]!.message).toContain('Did you mean "ask_email"?');
  });

  it('checks on_fail, on_error, timer goto and branch goto too', () => {
    const d = check('unknown-state', yaml`
      states:
        a:
          say: Code?
          ask: { save: code, on_fail: nowhere1 }
          after: [{ after: 5m, goto: nowhere2 }]
          next: [{ if: code == "x", goto: nowhere3 }, { goto: b }]
        b:
          call: { url: "https://x.example.com", on_error: nowhere4 }
          next: a
    `);
    expect(d.map((x) => x.message.split('"')[1])).toEqual(['nowhere1', 'nowhere3', 'nowhere2', 'nowhere4']);
    expect(d[0]!.message).toContain('ask.on_fail');
    expect(d[0]!.suggestion).toBeUndefined();
  });
});
