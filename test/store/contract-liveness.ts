/**
 * Contract, part 4: owner liveness. A lease is free when it ends (`until <= now`) OR when its
 * owner's heartbeat lapsed (`heartbeat(owner, at, ttl)` with `at + ttl <= now`) or the owner
 * retired; an owner that never sent a heartbeat is judged by `until` alone. `commit` still
 * only asks whether the caller holds a lease that has not ended, so the holder whose lease
 * was taken over meets `lost-lease`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/port.js';
import { OWNER_MEMORY_MS } from '../../src/store/store-rules.js';
import { LEASE, T0, commitStep, seedUser, textEvent } from './contract-helpers.js';
import type { OpenPair } from './contract-shared.js';

/** A heartbeat's time to live, well inside LEASE so that takeovers before `until` show. */
const TTL = 10_000;

/** Registers the liveness tests for a store made by `make` (and, with `openPair`, across instances). */
export function livenessContract(make: () => Promise<Store>, openPair?: OpenPair): void {
  describe('owner liveness (heartbeats)', () => {
    let store: Store;
    beforeEach(async () => { store = await make(); });
    afterEach(async () => { await store.close(); });
    const texts = (records: Array<{ message: unknown }>) => records.map((r) => (r.message as { text: string }).text);

    it('hands a dead owner\'s person to another owner at once, before the lease ends; the dead owner\'s commit is refused', async () => {
      await store.heartbeat('w1', T0, TTL);
      await store.addInbound([textEvent('m1', 'u1')], T0);
      const first = (await store.claimUser('w1', T0, LEASE))!;
      expect(first.userId).toBe('u1');
      expect(await store.claimUser('w2', T0 + TTL - 1, LEASE)).toBeUndefined();
      expect(await store.claimGivenUser('u1', 'w2', T0 + TTL - 1, LEASE)).toBeUndefined();
      const taken = await store.claimGivenUser('u1', 'w2', T0 + TTL, LEASE);
      expect(taken?.events.map((e) => e.key)).toEqual(['m1']);
      expect(await commitStep(store, first, 'w1', T0 + TTL + 1, { replies: ['late'] })).toBe('lost-lease');
      expect(await store.stats()).toEqual({ inbound: 1, outbox: 0, timers: 0 });
      expect(await commitStep(store, taken!, 'w2', T0 + TTL + 1, { replies: ['ok'] })).toBe('ok');
    });

    it('takes over a dead owner\'s person in claimUser too, oldest event first', async () => {
      await store.heartbeat('w1', T0, TTL);
      await store.addInbound([textEvent('a1', 'ua'), textEvent('b1', 'ub')], T0);
      expect((await store.claimUser('w1', T0, LEASE))?.userId).toBe('ua');
      expect((await store.claimUser('w2', T0 + 1, LEASE))?.userId).toBe('ub');
      expect(await store.claimUser('w3', T0 + TTL - 1, LEASE)).toBeUndefined();
      expect((await store.claimUser('w3', T0 + TTL, LEASE))?.userId).toBe('ua');
    });

    it('keeps a live owner\'s leases while its heartbeat is renewed, and its own commit works after a lapse nobody used', async () => {
      await store.heartbeat('w1', T0, TTL);
      await store.addInbound([textEvent('m1', 'u1')], T0);
      const claim = (await store.claimUser('w1', T0, LEASE))!;
      await store.heartbeat('w1', T0 + TTL - 1, TTL);
      expect(await store.claimUser('w2', T0 + TTL, LEASE)).toBeUndefined();
      expect(await store.claimUser('w2', T0 + 2 * TTL - 2, LEASE)).toBeUndefined();
      // Its heartbeat lapsed, but nobody took the person over: the lease is still its own.
      expect(await commitStep(store, claim, 'w1', T0 + 2 * TTL, { replies: ['hi'] })).toBe('ok');
    });

    it('judges the leases of an owner that never sent a heartbeat by their end alone', async () => {
      await store.heartbeat('w2', T0, TTL);
      await store.addInbound([textEvent('m1', 'u1')], T0);
      await seedUser(store, 'u2', T0, { replies: ['a1'] });
      expect((await store.claimUser('w1', T0, LEASE))?.userId).toBe('u1');
      expect(texts(await store.claimOutbox('w1', T0, LEASE, 10))).toEqual(['a1']);
      expect(await store.claimUser('w2', T0 + LEASE - 1, LEASE)).toBeUndefined();
      expect(await store.claimOutbox('w2', T0 + LEASE - 1, LEASE, 10)).toEqual([]);
      expect((await store.claimUser('w2', T0 + LEASE, LEASE))?.userId).toBe('u1');
      expect(texts(await store.claimOutbox('w2', T0 + LEASE, LEASE, 10))).toEqual(['a1']);
    });

    it('hands a dead sender\'s reply to another sender at once, and ignores the dead sender\'s retry', async () => {
      await seedUser(store, 'u1', T0, { replies: ['a1', 'a2'] });
      await seedUser(store, 'u2', T0, { replies: ['b1'] });
      await store.heartbeat('d1', T0, TTL);
      await store.heartbeat('d2', T0, 3 * TTL);
      const [head] = await store.claimOutbox('d1', T0, LEASE, 1);
      expect(texts([head])).toEqual(['a1']);
      expect(texts(await store.claimOutbox('d2', T0 + 1, LEASE, 10))).toEqual(['b1']);
      expect(await store.claimOutbox('d3', T0 + TTL - 1, LEASE, 10)).toEqual([]);
      const again = await store.claimOutbox('d3', T0 + TTL, LEASE, 10);
      expect(again.map((r) => r.id)).toEqual([head.id]);
      await store.retryOutbox(head.id, 'd1', T0 + TTL, 5);
      expect(await store.claimOutbox('d4', T0 + TTL + 1, LEASE, 10)).toEqual([]);
      await store.ackOutbox(head.id, 'd3');
      expect(texts(await store.claimOutbox('d4', T0 + TTL + 2, LEASE, 10))).toEqual(['a2']);
    });

    it('keeps a reply leased by a sender that beats again after a lapse', async () => {
      await seedUser(store, 'u1', T0, { replies: ['a1'] });
      await store.heartbeat('d1', T0, TTL);
      const [head] = await store.claimOutbox('d1', T0, LEASE, 10);
      await store.heartbeat('d1', T0 + TTL + 5, TTL);
      expect(await store.claimOutbox('d2', T0 + TTL + 6, LEASE, 10)).toEqual([]);
      expect((await store.claimOutbox('d2', T0 + 2 * TTL + 5, LEASE, 10)).map((r) => r.id)).toEqual([head.id]);
    });

    it('frees a retired owner\'s person and reply at once', async () => {
      await seedUser(store, 'u2', T0, { replies: ['b1'] });
      await store.addInbound([textEvent('m1', 'u1')], T0);
      await store.heartbeat('w1', T0, TTL);
      const claim = (await store.claimUser('w1', T0, LEASE))!;
      expect(texts(await store.claimOutbox('w1', T0, LEASE, 10))).toEqual(['b1']);
      expect(await store.claimUser('w2', T0 + 1, LEASE)).toBeUndefined();
      await store.retire('w1', T0 + 1);
      expect((await store.claimUser('w2', T0 + 1, LEASE))?.userId).toBe('u1');
      expect(texts(await store.claimOutbox('w2', T0 + 1, LEASE, 10))).toEqual(['b1']);
      expect(await commitStep(store, claim, 'w1', T0 + 2)).toBe('lost-lease');
    });

    it('lists the owners alive at a time: beating, not lapsed, not retired', async () => {
      expect(await store.liveOwners(T0)).toEqual([]);
      await store.heartbeat('w1', T0, TTL);
      await store.heartbeat('w2', T0, 2 * TTL);
      await store.heartbeat('w3', T0, TTL);
      await store.retire('w3', T0 + 1);
      expect((await store.liveOwners(T0 + 1)).sort()).toEqual(['w1', 'w2']);
      expect(await store.liveOwners(T0 + TTL)).toEqual(['w2']);
      await store.heartbeat('w3', T0 + TTL, TTL);
      expect((await store.liveOwners(T0 + TTL)).sort()).toEqual(['w2', 'w3']);
      expect(await store.liveOwners(T0 + 2 * TTL)).toEqual([]);
    });

    it('forgets an owner dead for longer than OWNER_MEMORY_MS: its leases are then judged by their end', async () => {
      const long = 3 * OWNER_MEMORY_MS;
      await store.heartbeat('w1', T0, TTL);
      await store.addInbound([textEvent('m1', 'u1')], T0);
      await store.claimUser('w1', T0, long);
      expect((await store.claimUser('w2', T0 + TTL, LEASE))?.userId).toBe('u1');
      await store.releaseUser('u1', 'w2');
      await store.claimUser('w1', T0 + TTL, long);
      // Another owner's heartbeat, long after, forgets w1: its lease counts until it ends.
      await store.heartbeat('w3', T0 + 2 * OWNER_MEMORY_MS, TTL);
      expect(await store.claimUser('w2', T0 + 2 * OWNER_MEMORY_MS, LEASE)).toBeUndefined();
      expect((await store.claimUser('w2', T0 + TTL + long, LEASE))?.userId).toBe('u1');
    });
  });

  if (!openPair) return;
  it('judges, in one instance, the heartbeat an owner recorded through another', async () => {
    const { first: a, second } = await openPair();
    const b = await second();
    try {
      await a.heartbeat('w1', T0, TTL);
      await a.addInbound([textEvent('m1', 'u1')], T0);
      await seedUser(a, 'u2', T0, { replies: ['b1'] });
      expect((await a.claimUser('w1', T0, LEASE))?.userId).toBe('u1');
      expect(await a.claimOutbox('w1', T0, LEASE, 10)).toHaveLength(1);
      expect(await b.claimUser('w2', T0 + TTL - 1, LEASE)).toBeUndefined();
      expect(await b.claimOutbox('w2', T0 + TTL - 1, LEASE, 10)).toEqual([]);
      expect((await b.claimUser('w2', T0 + TTL, LEASE))?.userId).toBe('u1');
      expect(await b.claimOutbox('w2', T0 + TTL, LEASE, 10)).toHaveLength(1);
    } finally {
      await a.close();
      await b.close();
    }
  });
}
