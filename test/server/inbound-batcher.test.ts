import { describe, expect, it } from 'vitest';
import { createInboundBatcher } from '../../src/server/inbound-batcher.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { InboundRecord, Store } from '../../src/store/port.js';

const record = (key: string, userId = 'u1'): InboundRecord => ({ key, userId, pageId: 'P', receivedAt: 0, event: { userId, pageId: 'P', event: { kind: 'text', text: key }, timestamp: 0 } });

/** A memory store that counts addInbound calls (and may say it groups calls itself). */
function counting(groupsCalls: boolean): { store: Pick<Store, 'addInbound' | 'groupsCalls' | 'stats'>; calls: number[] } {
  const inner = createMemoryStore();
  const calls: number[] = [];
  return {
    calls,
    store: {
      groupsCalls,
      addInbound: (events, now) => {
        calls.push(events.length);
        return inner.addInbound(events, now);
      },
      stats: () => inner.stats(),
    },
  };
}

describe('inbound batcher', () => {
  it('records the requests of one turn in one store write, and tells each request how many of its events were new', async () => {
    const { store, calls } = counting(false);
    const batcher = createInboundBatcher(store, () => 0);
    expect(batcher.writesAtOnce).toBe(false);
    const results = await Promise.all([batcher.add([record('a'), record('b')]), batcher.add([record('a')]), batcher.add([record('c', 'u2')])]);
    expect(calls).toEqual([4]);
    expect(results.reduce((n, r) => n + r, 0)).toBe(3); // 'a' twice: one duplicate in all
    expect((await store.stats()).inbound).toBe(3);
  });

  it('hands each request straight to a store that groups calls itself', async () => {
    const { store, calls } = counting(true);
    const batcher = createInboundBatcher(store, () => 0);
    expect(batcher.writesAtOnce).toBe(true);
    expect(await Promise.all([batcher.add([record('a'), record('b')]), batcher.add([record('c')])])).toEqual([2, 1]);
    expect(calls).toEqual([2, 1]);
  });

  it('cuts a large turn into writes of at most maxRecords, never splitting a request', async () => {
    const { store, calls } = counting(false);
    const batcher = createInboundBatcher(store, () => 0, 3);
    await Promise.all([batcher.add([record('a'), record('b')]), batcher.add([record('c'), record('d')]), batcher.add([record('e')])]);
    expect(calls).toEqual([2, 3]);
  });
});
