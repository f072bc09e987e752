import { describe, expect, it } from 'vitest';
import { check } from './helpers.js';

const body = 'states:\n  a: { say: A, end: true }\n';

describe('no-default-flow', () => {
  it('accepts one flow, or several with a default_flow', () => {
    expect(check('no-default-flow', body)).toEqual([]);
    expect(check('no-default-flow', { 'a.yaml': body, 'b.yaml': body, 'bot.yaml': 'default_flow: b\n' })).toEqual([]);
  });

  it('warns on bot.yaml, or on the first flow when there is no bot.yaml', () => {
    const withBot = check('no-default-flow', { 'a.yaml': body, 'b.yaml': body, 'bot.yaml': 'session_timeout: 1h\n' });
    expect(withBot.map((x) => `${x.file}:${x.line}`)).toEqual(['flows/bot.yaml:1']);
    const without = check('no-default-flow', { 'b.yaml': body, 'a.yaml': body });
    expect(without.map((x) => `${x.file}:${x.line}`)).toEqual(['flows/a.yaml:1']);
    expect(without[0]!.message).toContain('2 flows ("a" and "b")');
  });
});
