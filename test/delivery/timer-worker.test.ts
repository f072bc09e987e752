import { describe, expect, it, vi } from 'vitest';
import { createTimerWorker } from '../../src/delivery/timer-worker.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { Store } from '../../src/store/port.js';
import { step } from './helpers.js';

async function pendingTimerEvents(store: Store, userId: string, now: number): Promise<unknown[]> {
  const claim = await store.claimGivenUser(userId, 'reader', now, 1000);
  await store.releaseUser(userId, 'reader');
  return (claim?.events ?? []).map((e) => e.event).filter((e) => (e as { event: { kind: string } }).event.kind === 'timer');
}

describe('timer worker', () => {
  it('fires a timer when it is due, not before, and wakes the event workers', async () => {
    const store = createMemoryStore();
    const clock = { now: 10_000 };
    await step(store, 'ann', [], clock.now, { timers: [{ id: 'remind', at: 70_000 }] });
    let fired = 0;
    const worker = createTimerWorker({ store, clock: () => clock.now, onFired: () => void fired++ });
    expect(await worker.runOnce()).toBe(0);
    clock.now = 69_999;
    expect(await worker.runOnce()).toBe(0);
    expect(fired).toBe(0);
    clock.now = 70_000;
    expect(await worker.runOnce()).toBe(1);
    expect(fired).toBe(1);
    expect(await pendingTimerEvents(store, 'ann', clock.now)).toEqual([{ userId: 'ann', pageId: 'P', recipient: { id: 'ann' }, event: { kind: 'timer', timerId: 'remind' }, timestamp: 70_000 }]);
    expect(await worker.runOnce()).toBe(0);
    expect(fired).toBe(1);
  });

  it('fires what came due while the server was down, at the first pass of a new process', async () => {
    const store = createMemoryStore();
    const clock = { now: 0 };
    await step(store, 'ann', [], clock.now, { timers: [{ id: 't1', at: 1000 }] });
    await step(store, 'bob', [], clock.now, { timers: [{ id: 't2', at: 2000 }] });
    const before = createTimerWorker({ store, clock: () => clock.now, onFired: () => {} });
    expect(await before.runOnce()).toBe(0);
    // "Restart": a new worker on the same store, later.
    clock.now = 5000;
    const after = createTimerWorker({ store, clock: () => clock.now, onFired: () => {}, batch: 1 });
    expect(await after.runOnce()).toBe(2);
    expect((await store.stats()).timers).toBe(0);
  });

  it('its loop sleeps until the next timer and fires it', async () => {
    const store = createMemoryStore();
    const clock = { now: 0 };
    await step(store, 'ann', [], clock.now, { timers: [{ id: 't', at: 500 }] });
    let fired = 0;
    const worker = createTimerWorker({ store, clock: () => clock.now, onFired: () => void fired++, pollMs: 5 });
    worker.start();
    try {
      await new Promise((r) => setTimeout(r, 30));
      expect(fired).toBe(0);
      clock.now = 500;
      worker.kick();
      await vi.waitFor(() => expect(fired).toBe(1), { timeout: 5000, interval: 5 });
    } finally {
      await worker.stop();
    }
    expect((await store.stats()).timers).toBe(0);
  });

  it('keeps going after a store failure', async () => {
    const clock = { now: 0 };
    let calls = 0;
    const errors: unknown[] = [];
    const worker = createTimerWorker({
      clock: () => clock.now,
      pollMs: 5,
      errorBackoffMs: 1,
      onFired: () => {},
      logger: { info() {}, warn() {}, error: (obj) => void errors.push(obj) },
      store: {
        fireDueTimers: async () => {
          calls++;
          if (calls === 1) throw new Error('database is locked');
          return 0;
        },
        nextTimerAt: async () => undefined,
      },
    });
    worker.start();
    try {
      await vi.waitFor(() => expect(calls).toBeGreaterThanOrEqual(3), { timeout: 5000, interval: 5 });
    } finally {
      await worker.stop();
    }
    expect(errors).toEqual([{ code: 'FLOW_ERR_STORE_FAILURE' }]);
  });
});
