import { describe, expect, it } from 'vitest';
import { check } from './helpers.js';

const flow = (after: string) => `states:\n  a:\n    say: A\n    ask: { save: x }\n    after: [{ after: ${after}, say: Still there? }]\n    end: true\n`;

describe('timer-exceeds-session', () => {
  it('accepts a timer within the default 30m session', () => {
    expect(check('timer-exceeds-session', flow('30m'))).toEqual([]);
  });

  it('warns at a timer longer than session_timeout', () => {
    expect(check('timer-exceeds-session', flow('31m')).map((d) => `${d.line}:${d.column}`)).toEqual(['5:22']);
    expect(check('timer-exceeds-session', { 'main.yaml': flow('2h'), 'bot.yaml': 'session_timeout: 1h\n' })[0]!.message).toContain('session_timeout of 1h');
  });
});
