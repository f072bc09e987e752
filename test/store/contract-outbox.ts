/**
 * Contract, part 2: the outbox (head-only claims, leases, ack, retry, drop) and timers.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/port.js';
import { LEASE, T0, commitStep, seedUser, stepUser, textEvent } from './contract-helpers.js';

/** Registers the outbox and timer tests for a store made by `make`. */
export function outboxContract(make: () => Promise<Store>): void {
  let store: Store;
  beforeEach(async () => { store = await make(); });
  afterEach(async () => { await store.close(); });

  const texts = (records: Array<{ message: unknown }>) => records.map((r) => (r.message as { text: string }).text);

  describe('outbox', () => {
    it('hands out only the head of each person\'s outbox, and the next one after the ack', async () => {
      await seedUser(store, 'u1', T0, { replies: ['a1', 'a2'] });
      await seedUser(store, 'u2', T0, { replies: ['b1'] });
      await seedUser(store, 'u1', T0 + 1, { replies: ['a3'] });
      const heads = await store.claimOutbox('d1', T0 + 2, LEASE, 10);
      expect(texts(heads)).toEqual(['a1', 'b1']);
      expect(heads[0]).toMatchObject({ userId: 'u1', pageId: 'page-1', recipient: { id: 'u1' }, message: { kind: 'text', text: 'a1' }, attempts: 0, notBefore: T0, createdAt: T0 });
      expect(await store.claimOutbox('d2', T0 + 2, LEASE, 10)).toEqual([]);
      await store.ackOutbox(heads[0].id, 'd1');
      const next = await store.claimOutbox('d2', T0 + 3, LEASE, 10);
      expect(texts(next)).toEqual(['a2']);
      expect(next[0].seq).toBeGreaterThan(heads[0].seq);
      await store.ackOutbox(next[0].id, 'd2');
      const last = await store.claimOutbox('d2', T0 + 4, LEASE, 10);
      expect(texts(last)).toEqual(['a3']);
      expect(last[0].seq).toBeGreaterThan(next[0].seq);
    });

    it('claims one person\'s head directly, in order, and never what another sender holds', async () => {
      await seedUser(store, 'u1', T0, { replies: ['a1', 'a2'] });
      await seedUser(store, 'u2', T0, { replies: ['b1'] });
      expect(await store.claimOutboxOf('nobody', 'd1', T0, LEASE)).toBeUndefined();
      const first = await store.claimOutboxOf('u1', 'd1', T0, LEASE);
      expect(first).toMatchObject({ userId: 'u1', message: { text: 'a1' }, attempts: 0 });
      // The head is held: neither the same nor another sender gets it, nor the reply behind it.
      expect(await store.claimOutboxOf('u1', 'd1', T0 + 1, LEASE)).toBeUndefined();
      expect(await store.claimOutboxOf('u1', 'd2', T0 + 1, LEASE)).toBeUndefined();
      expect(texts(await store.claimOutbox('d2', T0 + 1, LEASE, 10))).toEqual(['b1']);
      await store.ackOutbox(first!.id, 'd1');
      const second = await store.claimOutboxOf('u1', 'd1', T0 + 2, LEASE);
      expect(texts([second!])).toEqual(['a2']);
      expect(await store.claimOutbox('d2', T0 + 2, LEASE, 10)).toEqual([]);
      await store.ackOutbox(second!.id, 'd1');
      expect(await store.claimOutboxOf('u1', 'd1', T0 + 3, LEASE)).toBeUndefined();
    });

    it('claims a person\'s head directly only when it is due, and after its lease expired', async () => {
      await seedUser(store, 'u1', T0, { replies: ['a1'] });
      const [head] = await store.claimOutbox('d1', T0, LEASE, 10);
      await store.retryOutbox(head.id, 'd1', T0 + 1000, 1);
      expect(await store.claimOutboxOf('u1', 'd2', T0 + 999, LEASE)).toBeUndefined();
      const retried = await store.claimOutboxOf('u1', 'd2', T0 + 1000, LEASE);
      expect(retried).toMatchObject({ id: head.id, attempts: 1 });
      expect(await store.claimOutboxOf('u1', 'd3', T0 + 1000 + LEASE - 1, LEASE)).toBeUndefined();
      expect((await store.claimOutboxOf('u1', 'd3', T0 + 1000 + LEASE, LEASE))?.id).toBe(head.id);
      // Whoever claimed last holds it now: the general claim does not hand it out again.
      expect(await store.claimOutbox('d1', T0 + 1000 + LEASE + 1, LEASE, 10)).toEqual([]);
    });

    it('respects the limit, oldest first', async () => {
      for (const u of ['u1', 'u2', 'u3']) await seedUser(store, u, T0, { replies: [`${u}-hi`] });
      expect(texts(await store.claimOutbox('d1', T0, LEASE, 2))).toEqual(['u1-hi', 'u2-hi']);
      expect(texts(await store.claimOutbox('d1', T0, LEASE, 2))).toEqual(['u3-hi']);
    });

    it('lets another sender take over a head whose lease expired', async () => {
      await seedUser(store, 'u1', T0, { replies: ['a1'] });
      const [first] = await store.claimOutbox('d1', T0, LEASE, 10);
      expect(await store.claimOutbox('d2', T0 + LEASE - 1, LEASE, 10)).toEqual([]);
      const [again] = await store.claimOutbox('d2', T0 + LEASE, LEASE, 10);
      expect(again.id).toBe(first.id);
    });

    it('keeps a retried record at the head, not before notBefore, with its attempts', async () => {
      await seedUser(store, 'u1', T0, { replies: ['a1', 'a2'] });
      const [head] = await store.claimOutbox('d1', T0, LEASE, 10);
      await store.retryOutbox(head.id, 'd1', T0 + 1000, 1);
      expect(await store.claimOutbox('d1', T0 + 999, LEASE, 10)).toEqual([]);
      const [retried] = await store.claimOutbox('d2', T0 + 1000, LEASE, 10);
      expect(retried).toMatchObject({ id: head.id, attempts: 1, notBefore: T0 + 1000 });
      expect(texts([retried])).toEqual(['a1']);
    });

    it('ignores a retry from a sender that no longer holds the record', async () => {
      await seedUser(store, 'u1', T0, { replies: ['a1'] });
      const [head] = await store.claimOutbox('d1', T0, LEASE, 10);
      await store.claimOutbox('d2', T0 + LEASE, LEASE, 10);
      await store.retryOutbox(head.id, 'd1', T0 + LEASE, 5);
      expect(await store.claimOutbox('d3', T0 + LEASE + 1, LEASE, 10)).toEqual([]);
    });

    it('removes an acknowledged record even when the sender\'s lease was taken over (it was sent)', async () => {
      await seedUser(store, 'u1', T0, { replies: ['a1', 'a2'] });
      const [head] = await store.claimOutbox('d1', T0, LEASE, 10);
      await store.claimOutbox('d2', T0 + LEASE, LEASE, 10);
      await store.ackOutbox(head.id, 'd1');
      expect(texts(await store.claimOutbox('d3', T0 + LEASE, LEASE, 10))).toEqual(['a2']);
      await store.ackOutbox(head.id, 'd2');
      expect((await store.stats()).outbox).toBe(1);
    });

    it('drops a record for good and moves on to the next', async () => {
      await seedUser(store, 'u1', T0, { replies: ['a1', 'a2'] });
      const [head] = await store.claimOutbox('d1', T0, LEASE, 10);
      await store.dropOutbox(head.id, 'd1');
      expect(texts(await store.claimOutbox('d1', T0, LEASE, 10))).toEqual(['a2']);
      expect((await store.stats()).outbox).toBe(1);
    });
  });

  describe('timers', () => {
    it('fires a due timer exactly once, as an inbound event in the channel shape', async () => {
      await store.addInbound([textEvent('m1', 'u1', 'hi', 'page-7', { thread_key: 't_9' })], T0);
      const claim = (await store.claimUser('w1', T0, LEASE))!;
      expect(await commitStep(store, claim, 'w1', T0, { timers: [{ id: 'remind', at: T0 + 100 }, { id: 'later', at: T0 + 200 }] })).toBe('ok');
      await store.releaseUser('u1', 'w1');
      expect(await store.nextTimerAt()).toBe(T0 + 100);
      expect(await store.fireDueTimers(T0 + 99, 10)).toBe(0);
      expect(await store.fireDueTimers(T0 + 100, 10)).toBe(1);
      expect(await store.fireDueTimers(T0 + 100, 10)).toBe(0);
      expect(await store.nextTimerAt()).toBe(T0 + 200);
      const fired = (await store.claimUser('w1', T0 + 101, LEASE))!;
      expect(fired.events).toHaveLength(1);
      expect(fired.events[0]).toMatchObject({
        key: 'timer:u1:remind', userId: 'u1', pageId: 'page-7', receivedAt: T0 + 100,
        event: { userId: 'u1', pageId: 'page-7', recipient: { thread_key: 't_9' }, event: { kind: 'timer', timerId: 'remind' }, timestamp: T0 + 100 },
      });
      expect(await store.stats()).toEqual({ inbound: 1, outbox: 0, timers: 1 });
    });

    it('fires at most `limit` timers per call, earliest first', async () => {
      await seedUser(store, 'u1', T0, { timers: [{ id: 'c', at: T0 + 3 }, { id: 'a', at: T0 + 1 }, { id: 'b', at: T0 + 2 }] });
      expect(await store.fireDueTimers(T0 + 10, 2)).toBe(2);
      expect(await store.nextTimerAt()).toBe(T0 + 3);
      const claim = (await store.claimUser('w1', T0 + 10, LEASE))!;
      expect(claim.events.map((e) => e.key)).toEqual(['timer:u1:a', 'timer:u1:b']);
    });

    it('replaces a person\'s timers on each commit, and keeps other people\'s', async () => {
      await seedUser(store, 'u1', T0, { timers: [{ id: 'a', at: T0 + 100 }, { id: 'b', at: T0 + 50 }] });
      await seedUser(store, 'u2', T0, { timers: [{ id: 'z', at: T0 + 500 }] });
      await seedUser(store, 'u1', T0 + 1, { timers: [{ id: 'c', at: T0 + 300 }] });
      expect(await store.nextTimerAt()).toBe(T0 + 300);
      expect((await store.stats()).timers).toBe(2);
      await seedUser(store, 'u1', T0 + 2, { timers: [] });
      expect(await store.nextTimerAt()).toBe(T0 + 500);
      await seedUser(store, 'u2', T0 + 3, { timers: [] });
      expect(await store.nextTimerAt()).toBeUndefined();
    });

    it('does not re-arm a timer that fired while the step that keeps it was running', async () => {
      await seedUser(store, 'u1', T0, { timers: [{ id: 'a', at: T0 + 100 }] });
      await store.addInbound([textEvent('m2', 'u1')], T0 + 99);
      const claim = (await store.claimUser('w1', T0 + 99, LEASE))!;
      expect(await store.fireDueTimers(T0 + 100, 10)).toBe(1);
      expect(await commitStep(store, claim, 'w1', T0 + 101, { timers: [{ id: 'a', at: T0 + 100 }] })).toBe('ok');
      expect(await store.stats()).toEqual({ inbound: 1, outbox: 0, timers: 0 });
      await store.releaseUser('u1', 'w1');
      // The step that handles the timer's own event may set it again.
      const timerClaim = (await store.claimUser('w1', T0 + 102, LEASE))!;
      expect(timerClaim.events.map((e) => e.key)).toEqual(['timer:u1:a']);
      expect(await commitStep(store, timerClaim, 'w1', T0 + 102, { timers: [{ id: 'a', at: T0 + 1000 }] })).toBe('ok');
      expect(await store.nextTimerAt()).toBe(T0 + 1000);
    });
  });

  describe('health', () => {
    it('counts pending work, answers ping, and fails with STORE_UNAVAILABLE once closed', async () => {
      expect(await store.stats()).toEqual({ inbound: 0, outbox: 0, timers: 0 });
      await store.addInbound([textEvent('m1', 'u1'), textEvent('m2', 'u2')], T0);
      expect(await stepUser(store, 'u1', T0, { replies: ['a', 'b'], timers: [{ id: 't', at: T0 + 1 }] })).toBe('ok');
      expect(await store.stats()).toEqual({ inbound: 1, outbox: 2, timers: 1 });
      await expect(store.ping()).resolves.toBeUndefined();
      await store.close();
      await expect(store.ping()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      await store.close();
    });
  });
}
