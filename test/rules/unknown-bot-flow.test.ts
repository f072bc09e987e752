import { describe, expect, it } from 'vitest';
import { check } from './helpers.js';

const body = 'states:\n  a: { say: A, end: true }\n';

describe('unknown-bot-flow', () => {
  it('accepts flows that exist', () => {
    expect(check('unknown-bot-flow', {
      'main.yaml': body,
      'bot.yaml': 'default_flow: main\nget_started: { payload: GO, flow: main }\npersistent_menu: [{ title: Main, flow: main }]\n',
    })).toEqual([]);
  });

  it('reports default_flow, get_started and menu flows that do not exist', () => {
    const d = check('unknown-bot-flow', {
      'main.yaml': body,
      'bot.yaml': 'default_flow: mian\nget_started: { payload: GO, flow: nope }\npersistent_menu: [{ title: Main, flow: other }]\n',
    });
    expect(d.map((x) => `${x.line}:${x.column}`)).toEqual(['1:15', '2:35', '3:40']);
    expect(d[0]!.suggestion).toBe('main');
  });
});
