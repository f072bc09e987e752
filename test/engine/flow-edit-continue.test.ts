/**
 * A flow edited under a live conversation whose state still exists but no longer waits the way
 * it did: the person continues from that state in the new version (it is entered afresh: its
 * messages, `call` and `next`), rather than restarting the whole flow. Their message, meant for
 * the old step, is not taken as an answer to a question they have not seen.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/index.js';
import { Chat, botFrom, texts } from './helpers.js';

const BOT = `
call_allow: [api.test]
messages: { flow_changed: Flow changed., cancelled: Cancelled., help: Help text. }
`;
const OTHER = 'states:\n  s: { say: Other., end: true }\n';

/** Version 1: `intro` (a choice), then `q` asks for an email. */
const V1 = `
triggers: { keywords: [hi] }
states:
  intro:
    say: Welcome.
    quick_replies:
      - { title: Go, goto: q }
  q:
    say: Your email?
    ask: { save: email, type: email }
    next: done
  done: { say: "Done {{email}}.", end: true }
`;

/** Version 1 where `q` is a call (the conversation waits for its result). */
const V1_CALL = `
triggers: { keywords: [hi] }
states:
  intro:
    say: Welcome.
    quick_replies:
      - { title: Go, goto: q }
  q:
    say: Looking you up…
    call: { method: GET, url: "http://api.test/me", save: me }
    next: done
  done: { say: "Done {{me.name}}.", end: true }
`;

/** Version 2 where `q` became a `say` + `next` leading to a new question. */
const V2_SAY_NEXT = `
triggers: { keywords: [hi] }
states:
  intro:
    say: Welcome (v2).
    quick_replies:
      - { title: Go, goto: q }
  q:
    say: No email needed any more.
    next: topic
  topic:
    say: What is it about?
    ask: { save: topic, type: text }
    after:
      - { after: 10m, say: Still there? }
    next: done
  done: { say: "Done ({{topic}}).", end: true }
`;

/** Walks `v1` with `walk`, then hands the stored conversation to `v2`. */
function carriedOver(v1: string, v2: string, walk: (chat: Chat) => void, files: Record<string, string> = {}): Chat {
  const b1 = botFrom({ 'bot.yaml': BOT, 'f.yaml': v1, ...files });
  const b2 = botFrom({ 'bot.yaml': BOT, 'f.yaml': v2, ...files });
  expect(b1.flows.get('f')!.hash).not.toBe(b2.flows.get('f')!.hash);
  const chat = new Chat(b1);
  walk(chat);
  const next = new Chat(createEngine(b2));
  next.conversation = chat.conversation;
  next.now = chat.now;
  return next;
}

const toQ = (chat: Chat) => {
  chat.text('hi');
  chat.tap('Go');
  expect(chat.state).toBe('q');
};

describe('a flow edited so that the current state no longer waits the same way', () => {
  it('enters the state in the new version (a say + next) instead of restarting the flow', () => {
    const chat = carriedOver(V1, V2_SAY_NEXT, toQ);
    const out = chat.text('ana@example.com');
    expect(texts(out.messages)).toEqual(['Flow changed.', 'No email needed any more.', 'What is it about?']);
    expect(out.notes).toContain('flow_changed:entered');
    expect(out.notes).not.toContain('flow_changed:restarted');
    expect(out.notes).toEqual(expect.arrayContaining(['enter:f:q', 'enter:f:topic']));
    expect(chat.state).toBe('topic');
    // the new state's timers are armed
    expect(out.timers).toHaveLength(1);
  });

  it('does not take the message as an answer to the question the person has not seen yet', () => {
    const chat = carriedOver(V1, V2_SAY_NEXT, toQ);
    const out = chat.text('ana@example.com');
    expect(out.notes).not.toContain('answer');
    expect(out.notes).not.toContain('retry');
    expect(chat.conversation?.vars.email).toBeUndefined();
    expect(chat.conversation?.vars.topic).toBeUndefined();
    expect(chat.conversation?.attempts).toBe(0);
    // the next message answers the question now shown
    expect(texts(chat.text('Printers').messages)).toEqual(['Done (Printers).']);
  });

  it('keeps the variables saved so far', () => {
    const chat = carriedOver(V1, V2_SAY_NEXT.replace('No email needed any more.', 'Hello {{name}}.'), (c) => {
      toQ(c);
      c.conversation!.vars.name = 'Ana';
    });
    expect(texts(chat.text('x').messages)).toEqual(['Flow changed.', 'Hello Ana.', 'What is it about?']);
  });

  it('a tap on a choice of the old version of the state is not followed either', () => {
    const v1 = V1.replace('    ask: { save: email, type: email }\n    next: done\n', '    quick_replies:\n      - { title: Yes, goto: done }\n');
    const chat = carriedOver(v1, V2_SAY_NEXT, (c) => {
      toQ(c);
      expect(c.last.messages[0]).toMatchObject({ quick_replies: [{ title: 'Yes', payload: 'FS1:f:q:0' }] });
    });
    const out = chat.send({ kind: 'quick_reply', payload: 'FS1:f:q:0', title: 'Yes' });
    expect(texts(out.messages)).toEqual(['Flow changed.', 'No email needed any more.', 'What is it about?']);
    expect(chat.state).toBe('topic');
  });

  it('enters a state that became an end: its messages, then the conversation ends', () => {
    const v2 = V1.replace(/ {2}q:\n[\s\S]*?next: done\n/, '  q: { say: We are closed., end: true }\n');
    const chat = carriedOver(V1, v2, toQ);
    const out = chat.text('ana@example.com');
    expect(texts(out.messages)).toEqual(['Flow changed.', 'We are closed.']);
    expect(out.notes).toEqual(expect.arrayContaining(['flow_changed:entered', 'ended']));
    expect(chat.conversation?.status).toBe('ended');
  });

  it('enters a state that became a call: the call is made and the message is not kept for after it', () => {
    const chat = carriedOver(V1, V1_CALL.replace('Welcome.', 'Welcome (v2).'), toQ);
    const out = chat.text('ana@example.com');
    expect(texts(out.messages)).toEqual(['Flow changed.', 'Looking you up…']);
    expect(out.calls).toHaveLength(1);
    expect(out.calls[0]).toMatchObject({ method: 'GET', url: 'http://api.test/me' });
    expect(chat.conversation?.pendingCall).toBe(out.calls[0]!.id);
    expect(chat.conversation?.deferred).toBeUndefined();
    const result = chat.send({ kind: 'call_result', callId: out.calls[0]!.id, status: 200, body: { name: 'Ana' } });
    expect(texts(result.messages)).toEqual(['Done Ana.']);
  });

  it('enters a state that lost its call while the conversation waited for it; the late result is stale', () => {
    let callId = '';
    const chat = carriedOver(V1_CALL, V1.replace('Welcome.', 'Welcome (v2).'), (c) => {
      c.text('hi');
      callId = c.tap('Go').calls[0]!.id;
      c.text('are you there?'); // deferred until the call's result
      expect(c.conversation?.deferred).toHaveLength(1);
    });
    const out = chat.text('hello?');
    expect(texts(out.messages)).toEqual(['Flow changed.', 'Your email?']);
    expect(out.notes).toContain('flow_changed:entered');
    expect(out.calls).toEqual([]);
    expect(chat.state).toBe('q');
    expect(chat.conversation?.pendingCall).toBeUndefined();
    expect(chat.conversation?.deferred).toBeUndefined();
    const late = chat.send({ kind: 'call_result', callId, status: 200, body: { name: 'Ana' } });
    expect(late.messages).toEqual([]);
    expect(late.notes).toContain('stale_call_result');
    expect(texts(chat.text('ana@example.com').messages)).toEqual(['Done ana@example.com.']);
  });

  it('enters the target of moved: when it does not wait the way the old state did', () => {
    const v2 = V2_SAY_NEXT.replace('  q:\n', '  moved_q:\n').replace('goto: q }', 'goto: moved_q }').replace('triggers:', 'moved: { q: moved_q }\ntriggers:');
    const chat = carriedOver(V1, v2, toQ);
    const out = chat.text('ana@example.com');
    expect(texts(out.messages)).toEqual(['Flow changed.', 'No email needed any more.', 'What is it about?']);
    expect(out.notes).toContain('flow_changed:moved_entered');
    expect(chat.state).toBe('topic');
  });

  it('help: the state is entered, then the help message and the current question again', () => {
    const chat = carriedOver(V1, V2_SAY_NEXT, toQ);
    const out = chat.text('help');
    expect(texts(out.messages)).toEqual(['Flow changed.', 'No email needed any more.', 'What is it about?', 'Help text.', 'What is it about?']);
    expect(out.notes).toEqual(expect.arrayContaining(['flow_changed:entered', 'command:help']));
  });
});

describe('cancel and restart on an edited flow act at once', () => {
  it('cancel does not enter the changed state first (no call is made)', () => {
    const chat = carriedOver(V1, V1_CALL, toQ);
    const out = chat.text('cancel');
    expect(texts(out.messages)).toEqual(['Cancelled.']);
    expect(out.calls).toEqual([]);
    expect(out.notes).toEqual(['command:cancel', 'cancelled']);
    expect(chat.conversation?.status).toBe('ended');
  });

  it('restart starts the flow in progress once, even when its state is gone and there is no default flow', () => {
    const v2 = V1.replace('Welcome.', 'Welcome (v2).').replace(/ {2}q:\n[\s\S]*?next: done\n/, '').replace('goto: q', 'goto: done');
    const chat = carriedOver(V1, v2, toQ, { 'g.yaml': OTHER });
    const out = chat.text('restart');
    expect(texts(out.messages)).toEqual(['Welcome (v2).']);
    expect(out.notes).toEqual(expect.arrayContaining(['command:restart', 'flow_started:f']));
    expect(chat.state).toBe('intro');
  });
});

describe('a flow edited so that the current state is gone', () => {
  it('restarts, and drops the messages deferred for a call of the gone state', () => {
    const v2 = V1_CALL.replace(/ {2}q:\n[\s\S]*?next: done\n/, '').replace('goto: q', 'goto: done');
    const chat = carriedOver(V1_CALL, v2, (c) => {
      c.text('hi');
      c.tap('Go');
      c.text('are you there?');
      expect(c.conversation?.deferred).toHaveLength(1);
    });
    const out = chat.text('hello?');
    expect(out.notes).toContain('flow_changed:restarted');
    expect(texts(out.messages)).toEqual(['Flow changed.', 'Welcome.']);
    expect(chat.conversation?.deferred).toBeUndefined();
    expect(chat.conversation?.pendingCall).toBeUndefined();
  });
});

describe('describing a conversation whose state was renamed with moved:', () => {
  it('shows the person in the new state, waiting as it does, before their next message moves them there', async () => {
    const { describeState } = await import('../../src/engine/describe.js');
    const renamed = V1.replace('  q:\n', '  email_q:\n').replace('goto: q }', 'goto: email_q }').replace('triggers:', 'moved: { q: email_q }\ntriggers:');
    const chat = carriedOver(V1, renamed, toQ);
    const view = describeState(chat.engine.bot, chat.conversation);
    expect(view).toMatchObject({ status: 'active', flowId: 'f', state: 'email_q', waitingFor: 'answer', askType: 'email', flowChanged: true });
    expect(texts(chat.text('ana@example.com').messages)).toEqual(['Done ana@example.com.']);
  });
});

describe('moved: while a call is pending, and vars: added by the edit', () => {
  it('enters the moved-to state afresh, with a call of its own, instead of handing it the old call\'s answer', () => {
    let oldCall = { id: '', idempotencyKey: '' };
    const v2 = V1_CALL.replace('  q:\n', '  lookup:\n').replace('goto: q }', 'goto: lookup }').replace('triggers:', 'moved: { q: lookup }\ntriggers:').replace('http://api.test/me', 'http://api.test/v2/me');
    const chat = carriedOver(V1_CALL, v2, (c) => {
      c.text('hi');
      const call = c.tap('Go').calls[0]!;
      oldCall = { id: call.id, idempotencyKey: call.idempotencyKey };
    });
    const out = chat.text('hello?');
    expect(out.notes).toContain('flow_changed:moved_entered');
    expect(out.calls.map((c) => c.url)).toEqual(['http://api.test/v2/me']);
    expect(out.calls[0]!.idempotencyKey).not.toBe(oldCall.idempotencyKey);
    // The old call's answer is stale: it does not move the person on.
    const late = chat.send({ kind: 'call_result', callId: oldCall.id, status: 200, body: { name: 'Old' } });
    expect(late.notes).toContain('stale_call_result');
    expect(late.messages).toEqual([]);
  });

  it('gives a variable the edit declared in vars: its default when a state is entered afresh', () => {
    const v2 = V2_SAY_NEXT.replace('triggers:', 'vars: { team: Support }\ntriggers:').replace('say: No email needed any more.', 'say: "Team {{team}}."');
    const chat = carriedOver(V1, v2, toQ);
    expect(texts(chat.text('ana@example.com').messages)).toEqual(['Flow changed.', 'Team Support.', 'What is it about?']);
  });
});
