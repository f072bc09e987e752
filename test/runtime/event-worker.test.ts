/**
 * The event worker on the memory store and the real engine: events are processed in arrival
 * order per person, each person by one worker at a time, the replies and the conversation
 * are committed together, and work recorded by "another process" (no kick) is found by
 * polling.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/index.js';
import type { InboundEvent } from '../../src/engine/types.js';
import { createEventWorker, type EventWorker, type QueuedEvent } from '../../src/runtime/event-worker.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { InboundRecord, Store } from '../../src/store/port.js';
import { botFrom } from '../engine/helpers.js';
import { HELLO_FLOW as FLOW, drain, silent, until } from './helpers.js';


let seq = 0;
function record(userId: string, event: InboundEvent, now: number): InboundRecord {
  const queued: QueuedEvent = { userId, pageId: 'P', recipient: { id: userId }, event, timestamp: now };
  return { key: `k${++seq}`, userId, pageId: 'P', receivedAt: now, event: queued };
}

describe('event worker', () => {
  let worker: EventWorker | undefined;
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
  });

  function start(store: Store, options: { pollMs?: number; profiles?: boolean } = {}): { committed: () => number } {
    const engine = createEngine(botFrom({ 'hello.yaml': FLOW }));
    let commits = 0;
    worker = createEventWorker({
      store,
      getEngine: () => engine,
      http: { request: async () => ({ status: 500, error: 'no calls here' }) },
      profiles: options.profiles ? { get: async (id) => ({ id, first_name: `P${id}` }) } : undefined,
      clock: Date.now,
      owner: 'worker-1',
      concurrency: 4,
      pollMs: options.pollMs ?? 20,
      onCommitted: () => commits++,
      log: silent,
    });
    worker.start();
    return { committed: () => commits };
  }

  it('processes each person\'s events in arrival order and commits replies with the conversation', async () => {
    const store = createMemoryStore();
    const probe = start(store, { profiles: true });
    const people = ['1', '2', '3', '4', '5', '6'];
    const now = Date.now();
    await store.addInbound(people.flatMap((u) => [record(u, { kind: 'text', text: 'hi' }, now), record(u, { kind: 'text', text: `name-${u}` }, now)]), now);
    worker!.kick(people);
    await until(async () => (await store.stats()).inbound === 0);
    const replies = await drain(store);
    for (const u of people) {
      expect(replies.get(u)).toEqual([`Hi P${u}! Your name?`, `Thanks name-${u}.`]);
      const { conversation, rev } = await store.getConversation(u);
      expect(conversation?.status).toBe('ended');
      expect(conversation?.profile?.first_name).toBe(`P${u}`);
      expect(rev).toBeGreaterThan(0);
    }
    expect(probe.committed()).toBeGreaterThan(0);
  });

  it('finds events recorded without a kick (by another process) by polling', async () => {
    const store = createMemoryStore();
    start(store, { pollMs: 10 });
    const now = Date.now();
    await store.addInbound([record('9', { kind: 'text', text: 'hi' }, now)], now);
    await until(async () => (await store.stats()).inbound === 0);
    expect((await drain(store)).get('9')).toEqual(['Hi ! Your name?']);
  });

  it('leaves events queued when the person is leased elsewhere, and processes them once the lease is gone', async () => {
    const store = createMemoryStore();
    const now = Date.now();
    await store.addInbound([record('7', { kind: 'text', text: 'hi' }, now)], now);
    const other = await store.claimGivenUser('7', 'another-process', now, 60_000);
    expect(other?.events).toHaveLength(1);
    start(store, { pollMs: 10 });
    worker!.kick(['7']);
    await new Promise((r) => setTimeout(r, 100));
    expect((await store.stats()).inbound).toBe(1);
    await store.releaseUser('7', 'another-process');
    await until(async () => (await store.stats()).inbound === 0);
    expect((await drain(store)).get('7')).toEqual(['Hi ! Your name?']);
  });

  it('keeps the events when the commit is refused, and processes them again', async () => {
    const store = createMemoryStore();
    let refusals = 1;
    const flaky: Store = {
      ...store,
      commit: async (c, now) => (refusals-- > 0 ? 'conflict' : store.commit(c, now)),
    };
    start(flaky, { pollMs: 10 });
    const now = Date.now();
    await store.addInbound([record('8', { kind: 'text', text: 'hi' }, now)], now);
    worker!.kick(['8']);
    await until(async () => (await store.stats()).inbound === 0);
    expect((await drain(store)).get('8')).toEqual(['Hi ! Your name?']);
  });

  it('takes a person named by a kick while being processed as soon as the step is committed, without waiting for the poll', async () => {
    const store = createMemoryStore();
    let gate: (() => void) | undefined;
    let commits = 0;
    const slow: Store = {
      ...store,
      commit: async (c, now) => {
        // The first commit waits until the test has recorded and kicked a second event.
        if (commits++ === 0) await new Promise<void>((r) => (gate = r));
        return store.commit(c, now);
      },
    };
    start(slow, { pollMs: 3_600_000 });
    const now = Date.now();
    await store.addInbound([record('6', { kind: 'text', text: 'hi' }, now)], now);
    worker!.kick(['6']);
    await until(async () => gate !== undefined);
    await store.addInbound([record('6', { kind: 'text', text: 'Ada' }, now)], now);
    worker!.kick(['6']); // the claim fails: the person is leased by this very worker
    await new Promise((r) => setTimeout(r, 20));
    gate!();
    await until(async () => (await store.stats()).inbound === 0, 2_000);
    expect((await drain(store)).get('6')).toEqual(['Hi ! Your name?', 'Thanks Ada.']);
  });

  it('tells as soon as a commit with replies is handed to the store, before it is done', async () => {
    const store = createMemoryStore();
    const order: string[] = [];
    const tracked: Store = {
      ...store,
      commit: async (c, now) => {
        order.push(`commit ${c.outbox.length}`);
        const result = await store.commit(c, now);
        order.push('committed');
        return result;
      },
    };
    const engine = createEngine(botFrom({ 'hello.yaml': FLOW }));
    worker = createEventWorker({
      store: tracked, getEngine: () => engine, http: { request: async () => ({ status: 500, error: 'none' }) }, clock: Date.now, owner: 'w', concurrency: 1, pollMs: 3_600_000, log: silent,
      onCommitting: ({ userId, replies }) => void order.push(`committing ${userId} ${replies}`),
      onCommitted: () => void order.push('onCommitted'),
    });
    worker.start();
    const now = Date.now();
    await store.addInbound([record('4', { kind: 'text', text: 'hi' }, now)], now);
    worker.kick(['4']);
    await until(async () => order.includes('onCommitted'));
    expect(order).toEqual(['commit 1', 'committing 4 1', 'committed', 'onCommitted']);
  });

  it('stops after the work in progress', async () => {
    const store = createMemoryStore();
    start(store);
    const now = Date.now();
    await store.addInbound([record('5', { kind: 'text', text: 'hi' }, now)], now);
    worker!.kick(['5']);
    await worker!.stop();
    worker = undefined;
    const stats = await store.stats();
    // Either processed fully (replies in the outbox) or not at all: never half.
    expect(stats.inbound + stats.outbox).toBe(1);
  });
});
