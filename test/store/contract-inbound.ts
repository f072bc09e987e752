/**
 * Contract, part 1: inbound events, dedupe, claims and leases, per-person order, commits.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/port.js';
import { DAY, LEASE, T0, commitStep, conversation, reply, textEvent } from './contract-helpers.js';

/** Registers the inbound, claim and commit tests for a store made by `make`. */
export function inboundContract(make: () => Promise<Store>): void {
  let store: Store;
  beforeEach(async () => { store = await make(); });
  afterEach(async () => { await store.close(); });

  describe('addInbound and dedupe', () => {
    it('keeps one event per key, within a batch and across batches', async () => {
      expect(await store.addInbound([textEvent('m1', 'u1'), textEvent('m1', 'u1'), textEvent('m2', 'u1')], T0)).toBe(2);
      expect(await store.addInbound([textEvent('m2', 'u1'), textEvent('m3', 'u1')], T0 + 1)).toBe(1);
      expect((await store.stats()).inbound).toBe(3);
    });

    it('still drops a key after its event was handled, for 7 days, then accepts it again', async () => {
      await store.addInbound([textEvent('m1', 'u1')], T0);
      const claim = (await store.claimUser('w1', T0, LEASE))!;
      expect(await commitStep(store, claim, 'w1', T0)).toBe('ok');
      expect((await store.stats()).inbound).toBe(0);
      expect(await store.addInbound([textEvent('m1', 'u1')], T0 + 6 * DAY)).toBe(0);
      expect(await store.addInbound([textEvent('m1', 'u1')], T0 + 7 * DAY + 1)).toBe(1);
    });

    it('returns the events as recorded, oldest first, with increasing seq', async () => {
      const first = textEvent('m1', 'u1', 'héllo 👋', 'page-9', { thread_key: 't_1' });
      await store.addInbound([first, textEvent('m2', 'u1', 'second')], T0);
      const claim = (await store.claimUser('w1', T0, LEASE))!;
      expect(claim.userId).toBe('u1');
      expect(claim.events.map((e) => e.key)).toEqual(['m1', 'm2']);
      expect(claim.events[0]).toMatchObject({ key: 'm1', userId: 'u1', pageId: 'page-9', receivedAt: T0, event: first.event });
      expect(claim.events[1].seq!).toBeGreaterThan(claim.events[0].seq!);
    });
  });

  describe('claims and leases', () => {
    it('gives nothing when no event is pending', async () => {
      expect(await store.claimUser('w1', T0, LEASE)).toBeUndefined();
      expect(await store.claimGivenUser('u1', 'w1', T0, LEASE)).toBeUndefined();
    });

    it('leases a person to one owner until the lease expires, then lets another take over', async () => {
      await store.addInbound([textEvent('m1', 'u1')], T0);
      expect((await store.claimUser('w1', T0, LEASE))?.userId).toBe('u1');
      expect(await store.claimUser('w2', T0 + 1, LEASE)).toBeUndefined();
      expect(await store.claimGivenUser('u1', 'w2', T0 + LEASE - 1, LEASE)).toBeUndefined();
      // A live lease blocks its holder too: one owner may run several workers.
      expect(await store.claimUser('w1', T0 + 1, LEASE)).toBeUndefined();
      const taken = await store.claimUser('w2', T0 + LEASE, LEASE);
      expect(taken?.userId).toBe('u1');
      expect(taken?.events.map((e) => e.key)).toEqual(['m1']);
    });

    it('chooses the person with the oldest pending event among those not leased', async () => {
      await store.addInbound([textEvent('a1', 'ua'), textEvent('b1', 'ub'), textEvent('c1', 'uc')], T0);
      expect((await store.claimUser('w1', T0, LEASE))?.userId).toBe('ua');
      expect((await store.claimUser('w2', T0, LEASE))?.userId).toBe('ub');
      expect((await store.claimGivenUser('uc', 'w3', T0, LEASE))?.userId).toBe('uc');
      expect(await store.claimUser('w4', T0, LEASE)).toBeUndefined();
    });

    it('keeps each person\'s events in arrival order; events arriving during a step wait for the next claim', async () => {
      await store.addInbound([textEvent('a1', 'ua'), textEvent('b1', 'ub'), textEvent('a2', 'ua')], T0);
      const claim = (await store.claimGivenUser('ua', 'w1', T0, LEASE))!;
      expect(claim.events.map((e) => e.key)).toEqual(['a1', 'a2']);
      await store.addInbound([textEvent('a3', 'ua')], T0 + 1);
      expect(await commitStep(store, claim, 'w1', T0 + 2)).toBe('ok');
      await store.releaseUser('ua', 'w1');
      const next = (await store.claimGivenUser('ua', 'w2', T0 + 3, LEASE))!;
      expect(next.events.map((e) => e.key)).toEqual(['a3']);
    });

    it('releases only the holder\'s lease', async () => {
      await store.addInbound([textEvent('m1', 'u1')], T0);
      await store.claimUser('w1', T0, LEASE);
      await store.releaseUser('u1', 'w2');
      expect(await store.claimUser('w2', T0, LEASE)).toBeUndefined();
      await store.releaseUser('u1', 'w1');
      expect((await store.claimUser('w2', T0, LEASE))?.userId).toBe('u1');
    });
  });

  describe('commit', () => {
    it('writes the conversation, removes the handled events and appends replies in one step', async () => {
      await store.addInbound([textEvent('m1', 'u1')], T0);
      const claim = (await store.claimUser('w1', T0, LEASE))!;
      expect(await store.getConversation('u1')).toEqual({ conversation: undefined, rev: 0 });
      const vars = { name: 'Zoë «Ω»', n: 3.5, nested: { list: [1, 'two', null, true] }, empty: '' };
      expect(await commitStep(store, claim, 'w1', T0, { vars, replies: ['hi', 'there'] })).toBe('ok');
      const stored = await store.getConversation('u1');
      expect(stored).toEqual({ conversation: conversation('u1', vars), rev: 1 });
      expect(await store.stats()).toEqual({ inbound: 0, outbox: 2, timers: 0 });
    });

    it('hands the conversation over with each claim, as getConversation reads it', async () => {
      await store.addInbound([textEvent('m1', 'u1')], T0);
      const first = (await store.claimGivenUser('u1', 'w1', T0, LEASE))!;
      expect(first.stored).toEqual({ conversation: undefined, rev: 0 });
      expect(await commitStep(store, first, 'w1', T0, { vars: { step: 1 } })).toBe('ok');
      await store.releaseUser('u1', 'w1');
      await store.addInbound([textEvent('m2', 'u1')], T0 + 1);
      const second = (await store.claimUser('w1', T0 + 1, LEASE))!;
      expect(second.stored).toEqual({ conversation: conversation('u1', { step: 1 }), rev: 1 });
      expect(second.stored).toEqual(await store.getConversation('u1'));
    });

    it('carries out calls in the order they are made, also without waiting for each', async () => {
      const added = store.addInbound([textEvent('m1', 'u1')], T0);
      const claimed = store.claimGivenUser('u1', 'w1', T0, LEASE);
      expect(await added).toBe(1);
      const claim = (await claimed)!;
      expect(claim.events.map((e) => e.key)).toEqual(['m1']);
      const committed = store.commit({ userId: 'u1', owner: 'w1', handled: claim.events.map((e) => e.seq!), expectedRev: 0, conversation: conversation('u1'), outbox: [reply('first'), reply('second')], timers: [], release: true }, T0);
      const head = store.claimOutboxOf('u1', 'd1', T0, LEASE);
      expect(await committed).toBe('ok');
      const first = (await head)!;
      expect((first.message as { text: string }).text).toBe('first');
      const acked = store.ackOutbox(first.id, 'd1');
      const next = store.claimOutboxOf('u1', 'd1', T0, LEASE);
      await acked;
      expect(((await next)!.message as { text: string }).text).toBe('second');
    });

    it('gives the lease back with the write when asked to (release), and only then', async () => {
      await store.addInbound([textEvent('m1', 'u1'), textEvent('m2', 'u2')], T0);
      const c1 = (await store.claimGivenUser('u1', 'w1', T0, LEASE))!;
      const c2 = (await store.claimGivenUser('u2', 'w1', T0, LEASE))!;
      const commit = (claim: typeof c1, release: boolean) =>
        store.commit({ userId: claim.userId, owner: 'w1', handled: claim.events.map((e) => e.seq!), expectedRev: 0, conversation: conversation(claim.userId), outbox: [], timers: [], release }, T0);
      expect(await commit(c1, true)).toBe('ok');
      expect(await commit(c2, false)).toBe('ok');
      await store.addInbound([textEvent('m3', 'u1'), textEvent('m4', 'u2')], T0 + 1);
      expect((await store.claimGivenUser('u1', 'w2', T0 + 1, LEASE))?.userId).toBe('u1');
      expect(await store.claimGivenUser('u2', 'w2', T0 + 1, LEASE)).toBeUndefined();
    });

    it('refuses a commit whose expected rev is stale (conflict), changing nothing', async () => {
      await store.addInbound([textEvent('m1', 'u1')], T0);
      const claim = (await store.claimUser('w1', T0, LEASE))!;
      expect(await commitStep(store, claim, 'w1', T0, { expectedRev: 0, handled: [], vars: { v: 1 } })).toBe('ok');
      expect(await commitStep(store, claim, 'w1', T0, { expectedRev: 0, replies: ['x'], vars: { v: 2 } })).toBe('conflict');
      expect(await store.getConversation('u1')).toEqual({ conversation: conversation('u1', { v: 1 }), rev: 1 });
      expect(await store.stats()).toEqual({ inbound: 1, outbox: 0, timers: 0 });
      expect(await commitStep(store, claim, 'w1', T0, { expectedRev: 1, vars: { v: 3 } })).toBe('ok');
      expect((await store.getConversation('u1')).rev).toBe(2);
    });

    it('refuses a commit from an owner whose lease was lost (lost-lease), changing nothing', async () => {
      await store.addInbound([textEvent('m1', 'u1')], T0);
      const first = (await store.claimUser('w1', T0, LEASE))!;
      const second = (await store.claimUser('w2', T0 + LEASE, LEASE))!;
      expect(await commitStep(store, first, 'w1', T0 + LEASE, { replies: ['late'] })).toBe('lost-lease');
      expect(await store.stats()).toEqual({ inbound: 1, outbox: 0, timers: 0 });
      expect(await commitStep(store, second, 'w2', T0 + LEASE + 1, { replies: ['ok'] })).toBe('ok');
    });

    it('refuses a commit without a live lease: never claimed, released, or expired', async () => {
      await store.addInbound([textEvent('m1', 'u1')], T0);
      const fake = { userId: 'u1', events: [], stored: { conversation: undefined, rev: 0 } };
      expect(await commitStep(store, fake, 'w1', T0)).toBe('lost-lease');
      const claim = (await store.claimUser('w1', T0, LEASE))!;
      expect(await commitStep(store, claim, 'w1', T0 + LEASE)).toBe('lost-lease');
      await store.releaseUser('u1', 'w1');
      expect(await commitStep(store, claim, 'w1', T0 + 1)).toBe('lost-lease');
      expect((await store.stats()).inbound).toBe(1);
    });

    it('writes nothing when a commit fails half-way', async () => {
      await store.addInbound([textEvent('m1', 'u1')], T0);
      const claim = (await store.claimUser('w1', T0, LEASE))!;
      const broken = { ...reply('two'), message: { kind: 'text', text: 'two', big: 1n } as never };
      const attempt = store.commit({
        userId: 'u1', owner: 'w1', handled: [claim.events[0].seq!], expectedRev: 0,
        conversation: conversation('u1'), outbox: [reply('one'), broken], timers: [{ id: 't', at: T0 + 5 }],
      }, T0);
      await expect(attempt).rejects.toThrow();
      expect(await store.getConversation('u1')).toEqual({ conversation: undefined, rev: 0 });
      expect(await store.stats()).toEqual({ inbound: 1, outbox: 0, timers: 0 });
    });

    it('reads a conversation of an unknown format version as none, keeping its rev', async () => {
      await store.addInbound([textEvent('m1', 'u1')], T0);
      await store.claimUser('w1', T0, LEASE); // the lease the commit needs
      const future = { ...conversation('u1'), version: 2 } as never;
      expect(await store.commit({ userId: 'u1', owner: 'w1', handled: [], expectedRev: 0, conversation: future, outbox: [], timers: [] }, T0)).toBe('ok');
      expect(await store.getConversation('u1')).toEqual({ conversation: undefined, rev: 1 });
    });
  });
}
