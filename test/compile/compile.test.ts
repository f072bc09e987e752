import { describe, expect, it } from 'vitest';
import { getInitialSnapshot, transition } from 'xstate';
import { choicePayload, menuPayload } from '../../src/compile/payloads.js';
import { flowHash } from '../../src/language/hash.js';
import { botFrom } from '../engine/helpers.js';

const FLOW = `
title: { en: Flow, fr: Flux }
triggers: { keywords: [Go, "go there"], postbacks: [GO] }
states:
  a:
    set: { n: 1, who: "{{user.first_name}}" }
    say: A
    next:
      - if: n == 1
        goto: b
      - goto: c
  b:
    say: B
    quick_replies:
      - { title: X, goto: c }
      - { title: Y, payload: MY_Y, flow: other }
    buttons:
      - { title: Web, url: "https://example.com" }
  c: { say: C, end: true }
`;
const OTHER = `
triggers: { keywords: [go] }
states:
  o: { say: O, end: true }
`;

describe('compileBot', () => {
  const bot = botFrom({ 'bot.yaml': 'persistent_menu: [{ title: M, flow: flow }]\nget_started: { payload: START, flow: other }', 'flow.yaml': FLOW, 'other.yaml': OTHER });

  it('compiles each flow with its content hash and start state', () => {
    const f = bot.flows.get('flow')!;
    expect(f.hash).toBe(flowHash(f.flow));
    expect(f.start).toBe('a');
    expect(bot.flowIds).toEqual(['flow', 'other']);
  });

  it('generates stable payloads FS1:<flow>:<state>:<index>; explicit payloads win; url buttons have none', () => {
    const b = bot.flows.get('flow')!.states.get('b')!;
    expect(b.choices.map((c) => c.payload)).toEqual([choicePayload('flow', 'b', 0), 'MY_Y', undefined]);
    expect(choicePayload('flow', 'b', 0)).toBe('FS1:flow:b:0');
    expect([...bot.allPayloads].sort()).toEqual(['FS1:flow:b:0', 'MY_Y']);
    expect(b.waits).toBe(true);
  });

  it('indexes keywords (first flow id in sort order wins), postbacks, menu and get_started', () => {
    expect(bot.keywords.get('go')).toBe('flow');
    expect(bot.keywords.get('go there')).toBe('flow');
    expect(bot.postbacks.get('GO')).toBe('flow');
    expect(bot.postbacks.get('START')).toBe('other');
    expect(bot.postbacks.get(menuPayload({ flow: 'flow' }))).toBe('flow');
    expect(bot.commands.get('start over')).toBe('restart');
  });

  it('builds an xstate machine: set and guards on entry, `always` for states that move on, events for choices', () => {
    const m = bot.flows.get('flow')!.machine;
    const snap = getInitialSnapshot(m, { vars: {}, user: { first_name: 'Ana' }, language: 'en' });
    expect(snap.value).toBe('b');
    expect(snap.context.vars).toEqual({ n: 1, who: 'Ana' });
    const [jumped] = transition(m, snap, { type: 'CHOICE_1' });
    expect(jumped.value).toBe('$jump:other');
    expect(jumped.status).toBe('done');
    const [ended, actions] = transition(m, snap, { type: 'CHOICE_0' });
    expect(ended.value).toBe('c');
    expect(ended.status).toBe('done');
    expect(actions.map((a) => a.type)).toEqual(['enter']);
    const [same] = transition(m, snap, { type: 'CHOICE_2' });
    expect(same).toBe(snap);
  });

  it('is deterministic: compiling twice gives the same hashes and payloads', () => {
    const again = botFrom({ 'bot.yaml': 'persistent_menu: [{ title: M, flow: flow }]', 'flow.yaml': FLOW, 'other.yaml': OTHER });
    expect(again.flows.get('flow')!.hash).toBe(bot.flows.get('flow')!.hash);
    expect([...again.allPayloads]).toEqual([...bot.allPayloads]);
  });

  it('passes only env_allow variables to templates', () => {
    const b = botFrom({ 'bot.yaml': 'env_allow: [A]', 'f.yaml': 'states:\n  s: { say: "{{env.A}}", end: true }' }, { A: 'yes', B: 'secret' });
    expect(b.env).toEqual({ A: 'yes' });
  });
});
