import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/index.js';
import { Chat, botFrom, texts } from './helpers.js';

const BOT = 'messages: { flow_changed: Flow changed. }';
const V1 = `
states:
  first:
    say: First?
    quick_replies:
      - { title: Next, goto: second }
  second:
    say: Second?
    ask: { save: name, type: text }
    next: bye
  old_state:
    say: Old?
    quick_replies:
      - { title: Go, goto: bye }
  gone:
    say: Gone?
    quick_replies:
      - { title: Go, goto: bye }
  bye: { say: "Bye {{name}}.", end: true }
`;
const V2 = `
moved: { old_state: renamed }
states:
  first:
    say: First (v2)?
    quick_replies:
      - { title: Next, goto: second }
  second:
    say: Second (v2)?
    ask: { save: name, type: text }
    next: bye
  renamed:
    say: Renamed?
    quick_replies:
      - { title: Go, goto: bye }
  bye: { say: "Bye {{name}} (v2).", end: true }
`;

/** Walks version 1 to `state`, then hands the stored conversation to version 2. */
function inV2At(state: 'second' | 'old_state' | 'gone') {
  const v1 = botFrom({ 'bot.yaml': BOT, 'f.yaml': V1 });
  const v2 = botFrom({ 'bot.yaml': BOT, 'f.yaml': V2 });
  expect(v1.flows.get('f')!.hash).not.toBe(v2.flows.get('f')!.hash);
  const chat = new Chat(v1);
  chat.text('hi');
  chat.tap('Next');
  if (state !== 'second') chat.conversation!.state = state;
  chat.conversation!.vars.name = 'Ana';
  const next = new Chat(createEngine(v2));
  next.conversation = chat.conversation;
  next.now = chat.now;
  return { next, v2 };
}

describe('a flow that changed under a live conversation', () => {
  it('continues in the new version when the state still exists', () => {
    const { next, v2 } = inV2At('second');
    const out = next.text('Bob');
    expect(out.notes).toContain('flow_changed:continued');
    expect(texts(out.messages)).toEqual(['Bye Bob (v2).']);
    void v2;
  });

  it('continues in the state named by moved:', () => {
    const { next, v2 } = inV2At('old_state');
    const out = next.send({ kind: 'quick_reply', payload: 'FS1:f:renamed:0', title: 'Go' });
    expect(out.notes).toContain('flow_changed:moved');
    expect(texts(out.messages)).toEqual(['Bye Ana (v2).']);
    expect(next.conversation?.flowHash).toBe(v2.flows.get('f')!.hash);
  });

  it('a tap on a button of the old state after a move is stale', () => {
    const { next } = inV2At('old_state');
    const out = next.send({ kind: 'quick_reply', payload: 'FS1:f:old_state:0', title: 'Go' });
    expect(texts(out.messages)).toEqual(['That button is from an earlier step.', 'Renamed?']);
  });

  it('otherwise restarts the flow at start after flow_changed, keeping the variables', () => {
    const { next } = inV2At('gone');
    const out = next.send({ kind: 'quick_reply', payload: 'FS1:f:gone:0', title: 'Go' });
    expect(out.notes).toContain('flow_changed:restarted');
    expect(texts(out.messages)).toEqual(['Flow changed.', 'First (v2)?']);
    expect(next.state).toBe('first');
    expect(next.conversation?.vars.name).toBe('Ana');
  });

  it('honours cancel at once, without restarting the flow first', () => {
    const { next } = inV2At('gone');
    const out = next.text('cancel');
    expect(out.notes).toEqual(['command:cancel', 'cancelled']);
    expect(texts(out.messages)).toEqual(['OK, cancelled. Write anything to start again.']);
    expect(next.conversation?.status).toBe('ended');
  });

  it('ends with flow_changed when the flow is no longer loaded', () => {
    const v1 = botFrom({ 'bot.yaml': BOT, 'f.yaml': V1 });
    const other = botFrom({ 'bot.yaml': BOT + '\ndefault_flow: g', 'g.yaml': 'states:\n  s: { say: G., end: true }' });
    const chat = new Chat(v1);
    chat.text('hi');
    const next = new Chat(other);
    next.conversation = chat.conversation;
    const out = next.text('hello');
    expect(out.notes).toContain('flow_changed:removed');
    expect(texts(out.messages)).toEqual(['Flow changed.', 'G.']);
  });
});
