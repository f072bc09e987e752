import { describe, expect, it } from 'vitest';
import { check } from './helpers.js';

describe('bad-duration', () => {
  it('accepts usable durations', () => {
    expect(check('bad-duration', 'states:\n  a:\n    say: A\n    ask: { save: x }\n    after: [{ after: 1h30m, say: Still there? }]\n    end: true\n')).toEqual([]);
  });

  it('reports zero and too large durations in timers, call timeouts and session_timeout', () => {
    const d = check('bad-duration', {
      'main.yaml': 'states:\n  a:\n    call: { url: "https://x.example.com", timeout: 0s }\n    after: [{ after: 99999999999999999999d, say: Hi }]\n    end: true\n',
      'bot.yaml': 'session_timeout: 0m\n',
    });
    expect(d.map((x) => `${x.file}:${x.line}:${x.column}`)).toEqual(['flows/main.yaml:3:52', 'flows/main.yaml:4:22', 'flows/bot.yaml:1:18']);
    expect(d[0]!.message).toContain('must be above zero');
    expect(d[1]!.message).toContain('far too long');
  });
});
