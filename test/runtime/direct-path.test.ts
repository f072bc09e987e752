/**
 * The event worker's `receive` (the webhook's entry) on the memory store and the real engine:
 * an event is handled at once when that needs nothing slow, and queued for the worker
 * otherwise (a profile that does not come in time, an HTTP call, earlier events waiting, a
 * conversation changed by another process). Either way each person's replies come once and
 * in order.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/engine/index.js';
import type { InboundEvent, Profile } from '../../src/engine/types.js';
import { createEventWorker, type EventWorker, type EventWorkerOptions, type QueuedEvent } from '../../src/runtime/event-worker.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { InboundRecord, Store } from '../../src/store/port.js';
import { botFrom } from '../engine/helpers.js';
import { HELLO_FLOW as HELLO, drain, repliesOnceHandled, silent, until } from './helpers.js';

const TICKET = `
triggers: { keywords: [ticket] }
states:
  create:
    call:
      method: POST
      url: "http://api.test/tickets"
      save: ticket
      on_error: failed
    next: done
  done: { say: "Ticket {{ticket.id}}.", end: true }
  failed: { say: "No ticket.", end: true }
`;

let seq = 0;
function record(userId: string, event: InboundEvent, key = `k${++seq}`): InboundRecord {
  const now = Date.now();
  const queued: QueuedEvent = { userId, pageId: 'P', recipient: { id: userId }, event, timestamp: now };
  return { key, userId, pageId: 'P', receivedAt: now, event: queued };
}
const hi = (userId: string, key?: string): InboundRecord => record(userId, { kind: 'text', text: 'hi' }, key);
const say = (userId: string, text: string): InboundRecord => record(userId, { kind: 'text', text });

/** A store that counts the calls of the queued path (addInbound) and of the direct one. */
function counting(inner: Store): Store & { queued: number; direct: number } {
  const store = {
    ...inner,
    queued: 0,
    direct: 0,
    addInbound: (events: InboundRecord[], now: number) => {
      store.queued += events.length;
      return inner.addInbound(events, now);
    },
    commitNow: (c: Parameters<Store['commitNow']>[0], now: number) => {
      store.direct++;
      return inner.commitNow(c, now);
    },
  };
  return store;
}

describe('event worker: receive (the direct path)', () => {
  const workers: EventWorker[] = [];
  /** Why events were queued (the `queued` metric), and the kinds handled, in order. */
  let reasons: string[] = [];
  let handled: string[] = [];
  afterEach(async () => {
    reasons = [];
    handled = [];
    for (const w of workers.splice(0)) await w.stop();
  });

  function make(store: Store, options: Partial<EventWorkerOptions> = {}): EventWorker {
    const engine = createEngine(botFrom({ 'hello.yaml': HELLO, 'ticket.yaml': TICKET, 'bot.yaml': 'call_allow: [api.test]' }));
    const worker = createEventWorker({
      store,
      getEngine: () => engine,
      http: { request: async () => ({ status: 200, body: { id: 42 } }) },
      clock: Date.now,
      owner: 'w1',
      concurrency: 2,
      pollMs: 10,
      log: silent,
      metrics: { handled: (kind) => void handled.push(kind), note: () => undefined, commitFailed: () => undefined, queued: (reason) => void reasons.push(reason) },
      ...options,
    });
    workers.push(worker);
    return worker;
  }

  it('handles an event at once: its replies are committed when receive resolves, nothing is queued', async () => {
    const store = counting(createMemoryStore());
    const committed: number[] = [];
    const worker = make(store, {
      profiles: { get: async (id) => ({ id, first_name: 'Ana' }) },
      onCommitted: ({ replies }) => void committed.push(replies),
    });
    // The worker is not even started: the webhook's events do not need it.
    expect(await worker.receive([hi('u1')])).toBe(1);
    expect(await worker.receive([say('u1', 'Ana')])).toBe(1);
    expect(store).toMatchObject({ queued: 0, direct: 2 });
    expect(await store.stats()).toMatchObject({ inbound: 0 });
    expect((await drain(store)).get('u1')).toEqual(['Hi Ana! Your name?', 'Thanks Ana.']);
    expect(handled).toEqual(['text', 'text']);
    expect(reasons).toEqual([]);
    expect(committed).toEqual([1, 1]);
    expect((await store.getConversation('u1')).conversation).toMatchObject({ status: 'ended', profile: { first_name: 'Ana' } });
  });

  it('counts a duplicate as not new, and replies once', async () => {
    const store = createMemoryStore();
    const worker = make(store);
    expect(await worker.receive([hi('u1', 'same')])).toBe(1);
    expect(await worker.receive([hi('u1', 'same')])).toBe(0);
    expect(await worker.receive([say('u1', 'Bo')])).toBe(1);
    expect((await drain(store)).get('u1')).toEqual(['Hi ! Your name?', 'Thanks Bo.']);
  });

  it('keeps each person\'s order when their events arrive in several deliveries at once', async () => {
    const store = createMemoryStore();
    const answers = new Map<string, (p: Profile) => void>();
    // The lookups are slow (but within the wait): u1's later delivery must wait for its first.
    const worker = make(store, { profiles: { get: (id) => new Promise<Profile>((r) => answers.set(id, r)) } });
    const first = worker.receive([hi('u1')]);
    const second = worker.receive([say('u1', 'Cy')]);
    const other = worker.receive([hi('u2')]);
    await until(async () => answers.size === 2);
    answers.get('u2')!({ id: 'u2', first_name: 'Di' });
    expect(await other).toBe(1);
    expect((await drain(store)).get('u2')).toEqual(['Hi Di! Your name?']);
    answers.get('u1')!({ id: 'u1', first_name: 'Cy' });
    expect(await Promise.all([first, second])).toEqual([1, 1]);
    expect((await drain(store)).get('u1')).toEqual(['Hi Cy! Your name?', 'Thanks Cy.']);
  });

  it('queues the event when the profile does not come in time, and the worker replies once it does', async () => {
    const store = counting(createMemoryStore());
    let lookups = 0;
    const worker = make(store, {
      profileWaitMs: 20,
      profiles: { get: async (id) => (++lookups === 1 ? new Promise<Profile>((r) => setTimeout(() => r({ id, first_name: 'Late' }), 200)) : { id, first_name: 'Eve' }) },
    });
    expect(await worker.receive([hi('u1')])).toBe(1);
    expect(store).toMatchObject({ queued: 1, direct: 0 });
    expect(reasons).toEqual(['profile']);
    expect((await repliesOnceHandled(worker, store)).get('u1')).toEqual(['Hi Eve! Your name?']);
  });

  it('leaves a step that makes an HTTP call to the worker, which makes the call once', async () => {
    const store = counting(createMemoryStore());
    const calls: string[] = [];
    const worker = make(store, { http: { request: async (req) => (calls.push(req.url), { status: 200, body: { id: 7 } }) } });
    expect(await worker.receive([record('u1', { kind: 'text', text: 'ticket' })])).toBe(1);
    expect(store).toMatchObject({ queued: 1, direct: 0 });
    expect(reasons).toEqual(['call']);
    expect(calls).toEqual([]);
    expect((await repliesOnceHandled(worker, store)).get('u1')).toEqual(['Ticket 7.']);
    expect(calls).toEqual(['http://api.test/tickets']);
  });

  it('queues an event behind the person\'s waiting events, so they are handled in arrival order', async () => {
    const store = counting(createMemoryStore());
    const worker = make(store);
    // An earlier event recorded by another process (or a fired timer), not handled yet.
    await store.addInbound([hi('u1')], Date.now());
    expect(await worker.receive([say('u1', 'Flo')])).toBe(1);
    expect(store).toMatchObject({ direct: 1, queued: 2 });
    expect(reasons).toEqual(['busy']);
    expect(await store.stats()).toMatchObject({ inbound: 2 });
    expect((await repliesOnceHandled(worker, store)).get('u1')).toEqual(['Hi ! Your name?', 'Thanks Flo.']);
  });

  it('queues the rest of a delivery once one of its events is queued', async () => {
    const store = counting(createMemoryStore());
    const worker = make(store);
    await store.addInbound([hi('u1')], Date.now());
    expect(await worker.receive([say('u1', 'Gus'), hi('u1')])).toBe(2);
    expect(store).toMatchObject({ direct: 1, queued: 3 });
    expect(reasons).toEqual(['busy']);
    expect((await repliesOnceHandled(worker, store)).get('u1')).toEqual(['Hi ! Your name?', 'Thanks Gus.', 'Hi ! Your name?']);
  });

  it('starts from the store again when another process changed the conversation since this one wrote it', async () => {
    const store = counting(createMemoryStore());
    const here = make(store);
    const there = make(store, { owner: 'w2' });
    expect(await here.receive([hi('u1')])).toBe(1);
    // The other process handles the person's next event: this one's copy is now stale.
    expect(await there.receive([say('u1', 'Hal')])).toBe(1);
    expect(store.direct).toBe(2);
    // This process tries its stale copy, is refused, queues the event and handles it afresh.
    expect(await here.receive([hi('u1')])).toBe(1);
    expect(store).toMatchObject({ direct: 3, queued: 1 });
    expect(reasons).toEqual(['busy']);
    expect((await repliesOnceHandled(here, store)).get('u1')).toEqual(['Hi ! Your name?', 'Thanks Hal.', 'Hi ! Your name?']);
    // And its copy is fresh again: the next event goes straight through.
    expect(await here.receive([say('u1', 'Ida')])).toBe(1);
    expect(store).toMatchObject({ direct: 4, queued: 1 });
    expect((await drain(store)).get('u1')).toEqual(['Thanks Ida.']);
  });

  it('leaves an event whose step throws to the worker', async () => {
    const store = counting(createMemoryStore());
    const real = createEngine(botFrom({ 'hello.yaml': HELLO }));
    let throws = 1;
    const flaky: Engine = { ...real, step: (input) => { if (throws-- > 0) throw new Error('boom'); return real.step(input); } };
    const worker = make(store, { getEngine: () => flaky });
    expect(await worker.receive([hi('u1')])).toBe(1);
    expect(store).toMatchObject({ direct: 0, queued: 1 });
    expect(reasons).toEqual(['step_failed']);
    expect((await repliesOnceHandled(worker, store)).get('u1')).toEqual(['Hi ! Your name?']);
  });

  it('rejects when the store fails, so that the webhook answers 503 and the platform sends again', async () => {
    const inner = createMemoryStore();
    const failing: Store = { ...inner, commitNow: () => Promise.reject(Object.assign(new Error('disk full'), { code: 'STORE_UNAVAILABLE' })) };
    const worker = make(failing);
    await expect(worker.receive([hi('u1', 'm1')])).rejects.toThrow('disk full');
    expect(await inner.stats()).toEqual({ inbound: 0, outbox: 0, timers: 0 });
    // The resend, once the store works, is handled as new.
    expect(await make(inner).receive([hi('u1', 'm1')])).toBe(1);
  });
});
