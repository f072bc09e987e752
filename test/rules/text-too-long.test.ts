import { describe, expect, it } from 'vitest';
import { at, check } from './helpers.js';

describe('text-too-long', () => {
  it('accepts 2000 literal characters plus templates', () => {
    expect(check('text-too-long', `vars: { x: 1 }\nstates:\n  a:\n    say: "${'x'.repeat(2000)}{{x}}"\n    end: true\n`)).toEqual([]);
  });

  it('reports say, retry and timer texts over 2000 characters', () => {
    const long = 'x'.repeat(2001);
    const d = check('text-too-long', `states:\n  a:\n    say: ${long}\n    ask: { save: v, retry: ${long} }\n    after: [{ after: 5m, say: ${long} }]\n    end: true\n`);
    expect(at(d)).toEqual(['3:10', '4:28', '5:31']);
  });

  it('checks the messages of bot.yaml', () => {
    const d = check('text-too-long', {
      'main.yaml': 'states:\n  a: { say: A, end: true }\n',
      'bot.yaml': `messages:\n  fallback: { en: ok, fr: ${'x'.repeat(2001)} }\n`,
    });
    expect(d.map((x) => `${x.file}:${x.line}:${x.column}`)).toEqual(['flows/bot.yaml:2:27']);
  });
});
