import { describe, expect, it } from 'vitest';
import { createEngine, drive, type HttpPort } from '../../src/engine/index.js';
import type { CallRequest } from '../../src/engine/types.js';
import { Chat, botFrom, texts } from './helpers.js';

const TIMED = `
states:
  wait:
    say: Pick one.
    quick_replies:
      - { title: A, goto: done }
    after:
      - { after: 1h, goto: timeout }
      - { after: 10m, say: Still there? }
  done: { say: Done., end: true }
  timeout: { say: Timed out., end: true }
`;

describe('after timers', () => {
  const bot = botFrom({ 'bot.yaml': 'session_timeout: 2h', 'f.yaml': TIMED });

  it('sets the timers of a waiting state, fires the reminder with the choices, then the time-out', () => {
    const chat = new Chat(bot);
    const start = chat.text('hi');
    expect(start.timers.map((t) => t.at - chat.now)).toEqual([600_000, 3_600_000]);
    const reminder = chat.fireNextTimer();
    expect(reminder.messages).toEqual([{ kind: 'text', text: 'Still there?', quick_replies: [{ title: 'A', payload: 'FS1:f:wait:0' }] }]);
    expect(reminder.timers).toHaveLength(1);
    const timeout = chat.fireNextTimer();
    expect(texts(timeout.messages)).toEqual(['Timed out.']);
    expect(chat.conversation?.status).toBe('ended');
    expect(timeout.timers).toEqual([]);
  });

  it('ignores a timer of an older visit or an older arming', () => {
    const chat = new Chat(bot);
    const first = chat.text('hi');
    const old = first.timers[0]!;
    const rearmed = chat.text('something');
    expect(rearmed.timers[0]!.id).not.toBe(old.id);
    const out = chat.send({ kind: 'timer', timerId: old.id }, 600_000);
    expect(out.messages).toEqual([]);
    expect(out.notes).toContain('stale_timer');
    chat.send({ kind: 'quick_reply', payload: 'FS1:f:wait:0', title: 'A' });
    expect(chat.conversation?.status).toBe('ended');
    expect(chat.send({ kind: 'timer', timerId: rearmed.timers[1]!.id }).notes).toContain('stale_timer');
    expect(chat.send({ kind: 'timer', timerId: 'garbage' }).notes).toContain('stale_timer');
  });

  it('does not fire a timer of an expired conversation', () => {
    const b = botFrom({ 'bot.yaml': 'session_timeout: 30m', 'f.yaml': TIMED });
    const chat = new Chat(b);
    const first = chat.text('hi');
    const out = chat.send({ kind: 'timer', timerId: first.timers[1]!.id }, 3_600_000);
    expect(out.messages).toEqual([]);
    expect(out.notes).toContain('session_expired');
  });
});

const CALLS = `
states:
  ask:
    say: Describe it.
    ask: { save: problem, type: text }
    next: create
  create:
    say: One moment…
    call:
      method: POST
      url: "{{env.API}}/tickets"
      headers: { Authorization: "Bearer {{env.TOKEN}}" }
      query: { who: "{{user.first_name}}" }
      json: { title: "{{problem}}", count: 2, tags: ["{{user.id}}"] }
      save: ticket
      timeout: 5s
      on_error: failed
    next:
      - if: ticket.priority == "urgent"
        goto: urgent
      - goto: done
  done: { say: "Ticket {{ticket.id}} is open.", end: true }
  urgent: { say: "Urgent ticket {{ticket.id}}.", end: true }
  failed: { say: "Failed ({{error.status}}): {{error.message}}", end: true }
`;
const BOTYAML = 'env_allow: [API, TOKEN]\ncall_allow: [api.test]';

describe('call states', () => {
  const bot = botFrom({ 'bot.yaml': BOTYAML, 'f.yaml': CALLS }, { API: 'http://api.test', TOKEN: 't0k', SECRET: 'no' });

  function toCall(chat: Chat): CallRequest {
    chat.text('hi');
    const out = chat.text('Printer is on fire');
    expect(texts(out.messages)).toEqual(['One moment…']);
    expect(out.calls).toHaveLength(1);
    return out.calls[0]!;
  }

  it('asks for a rendered request with a stable idempotency key', () => {
    const chat = new Chat(bot);
    const call = toCall(chat);
    expect(call).toMatchObject({
      method: 'POST',
      url: 'http://api.test/tickets',
      headers: { Authorization: 'Bearer t0k' },
      query: { who: 'Ana' },
      json: { title: 'Printer is on fire', count: 2, tags: ['u1'] },
      timeoutMs: 5000,
    });
    expect(call.idempotencyKey).toMatch(/^[0-9a-f]{40}$/);
    expect(chat.conversation?.pendingCall).toBe(call.id);
    const again = new Chat(bot);
    expect(toCall(again).idempotencyKey).toBe(call.idempotencyKey);
  });

  it('saves the 2xx JSON body and follows next (with conditions on it)', () => {
    const chat = new Chat(bot);
    const call = toCall(chat);
    const out = chat.send({ kind: 'call_result', callId: call.id, status: 201, body: { id: 'T-1', priority: 'urgent' } });
    expect(texts(out.messages)).toEqual(['Urgent ticket T-1.']);
  });

  it('goes to on_error with error = {status, message} on a 500 and on a timeout', () => {
    const chat = new Chat(bot);
    const call = toCall(chat);
    expect(texts(chat.send({ kind: 'call_result', callId: call.id, status: 500 }).messages)).toEqual(['Failed (500): The service answered with HTTP status 500.']);
    const chat2 = new Chat(bot);
    const call2 = toCall(chat2);
    expect(texts(chat2.send({ kind: 'call_result', callId: call2.id, status: 0, error: 'No answer within 5000 ms.' }).messages)).toEqual(['Failed (0): No answer within 5000 ms.']);
  });

  it('says error and ends without on_error', () => {
    const b = botFrom({ 'bot.yaml': BOTYAML + '\nmessages: { error: Oops. }', 'f.yaml': CALLS.replace('      on_error: failed\n', '') }, { API: 'http://api.test' });
    const chat = new Chat(b);
    const call = toCall(chat);
    expect(texts(chat.send({ kind: 'call_result', callId: call.id, status: 503 }).messages)).toEqual(['Oops.']);
    expect(chat.conversation?.status).toBe('ended');
  });

  it('ignores a result for another call; defers messages sent while the call is pending', () => {
    const chat = new Chat(bot);
    const call = toCall(chat);
    expect(chat.send({ kind: 'call_result', callId: 'other', status: 200 }).notes).toContain('stale_call_result');
    const waiting = chat.text('hello?');
    expect(waiting.messages).toEqual([]);
    expect(waiting.calls.map((c) => c.idempotencyKey)).toEqual([call.idempotencyKey]);
    const out = chat.send({ kind: 'call_result', callId: call.id, status: 200, body: { id: 'T-2' } });
    // the deferred "hello?" arrives after the end: a new conversation starts (the only flow)
    expect(texts(out.messages)).toEqual(['Ticket T-2 is open.', 'Describe it.']);
  });

  it('cancel works while a call is pending, and the late result is ignored', () => {
    const chat = new Chat(bot);
    const call = toCall(chat);
    chat.text('cancel');
    expect(chat.conversation?.status).toBe('ended');
    expect(chat.send({ kind: 'call_result', callId: call.id, status: 200 }).notes).toContain('stale_call_result');
  });

  it('drive performs the calls through the port and returns the final conversation', async () => {
    const seen: CallRequest[] = [];
    const http: HttpPort = { request: async (req) => (seen.push(req), { status: 200, body: { id: 'T-9' } }) };
    const engine = createEngine(bot);
    const profile = { id: 'u1', first_name: 'Ana' };
    const first = engine.step({ conversation: undefined, event: { kind: 'text', text: 'hi' }, profile, now: 1, eventId: 'a' });
    const out = await drive(engine, { conversation: first.conversation, event: { kind: 'text', text: 'The printer' }, profile, now: 2, eventId: 'b' }, http);
    expect(seen).toHaveLength(1);
    expect(texts(out.messages)).toEqual(['One moment…', 'Ticket T-9 is open.']);
    expect(out.conversation.status).toBe('ended');
    expect(out.calls).toEqual([]);
  });

  it('drive turns a port that throws into an error result', async () => {
    const http: HttpPort = { request: async () => Promise.reject(new Error('boom')) };
    const engine = createEngine(bot);
    const first = engine.step({ conversation: undefined, event: { kind: 'text', text: 'hi' }, profile: { id: 'u' }, now: 1, eventId: 'a' });
    const out = await drive(engine, { conversation: first.conversation, event: { kind: 'text', text: 'x' }, profile: { id: 'u' }, now: 2, eventId: 'b' }, http);
    expect(texts(out.messages)).toEqual(['One moment…', 'Failed (0): boom']);
  });
});
