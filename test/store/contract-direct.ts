/**
 * Contract, part 4: the direct path (`commitNow`): an event handled at once by the process
 * that received it, written in one go, or refused with nothing written so that the caller
 * queues it behind the person's earlier events.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DirectCommit, InboundRecord, Store } from '../../src/store/port.js';
import type { TimerSpec } from '../../src/engine/types.js';
import { DAY, LEASE, T0, conversation, reply, seedUser, textEvent } from './contract-helpers.js';

/** A direct step of `event`: a conversation with `vars`, the given replies and timers. */
function direct(event: InboundRecord, expectedRev: number, options: { vars?: Record<string, unknown>; replies?: string[]; timers?: TimerSpec[] } = {}): DirectCommit {
  return {
    event,
    expectedRev,
    conversation: conversation(event.userId, options.vars),
    outbox: (options.replies ?? []).map((text) => reply(text, event.pageId, { id: event.userId })),
    timers: options.timers ?? [],
  };
}

/** Registers the direct-path tests for a store made by `make`. */
export function directContract(make: () => Promise<Store>): void {
  let store: Store;
  beforeEach(async () => { store = await make(); });
  afterEach(async () => { await store.close(); });

  /** Everything a refused `commitNow` must have left as it was. */
  async function snapshot(userId: string) {
    return { stats: await store.stats(), conversation: await store.getConversation(userId) };
  }

  describe('commitNow (the direct path)', () => {
    it('writes the conversation, the replies and the timers of a new person in one go, queueing nothing', async () => {
      const e = textEvent('m1', 'u1');
      expect(await store.commitNow(direct(e, 0, { vars: { name: 'Ada' }, replies: ['one', 'two'], timers: [{ id: 't1', at: T0 + 5_000 }] }), T0)).toBe('ok');
      expect(await store.getConversation('u1')).toEqual({ conversation: conversation('u1', { name: 'Ada' }), rev: 1 });
      expect(await store.stats()).toEqual({ inbound: 0, outbox: 2, timers: 1 });
      const first = await store.claimOutboxOf('u1', 'd', T0, LEASE);
      expect(first).toMatchObject({ userId: 'u1', pageId: 'page-1', recipient: { id: 'u1' }, message: { kind: 'text', text: 'one' }, attempts: 0, notBefore: T0 });
      await store.ackOutbox(first!.id, 'd');
      expect((await store.claimOutboxOf('u1', 'd', T0, LEASE))?.message).toEqual({ kind: 'text', text: 'two' });
    });

    it('continues the replies of a person after those of the queued path, in order', async () => {
      await seedUser(store, 'u1', T0, { replies: ['queued'] });
      const { rev } = await store.getConversation('u1');
      expect(await store.commitNow(direct(textEvent('m2', 'u1'), rev, { replies: ['direct'] }), T0 + 1)).toBe('ok');
      const heads: string[] = [];
      for (let r = await store.claimOutboxOf('u1', 'd', T0 + 2, LEASE); r; r = await store.claimOutboxOf('u1', 'd', T0 + 2, LEASE)) {
        heads.push((r.message as { text: string }).text);
        await store.ackOutbox(r.id, 'd');
      }
      expect(heads).toEqual(['queued', 'direct']);
      expect((await store.getConversation('u1')).rev).toBe(rev + 1);
    });

    it('marks the key seen: the same event again, by either path and within 7 days, is a duplicate', async () => {
      expect(await store.commitNow(direct(textEvent('m1', 'u1'), 0, { replies: ['once'] }), T0)).toBe('ok');
      expect(await store.commitNow(direct(textEvent('m1', 'u1'), 1, { replies: ['twice'] }), T0 + 6 * DAY)).toBe('duplicate');
      expect(await store.addInbound([textEvent('m1', 'u1')], T0 + 6 * DAY)).toBe(0);
      expect(await store.stats()).toEqual({ inbound: 0, outbox: 1, timers: 0 });
      expect((await store.getConversation('u1')).rev).toBe(1);
      // After the window the key is new again.
      expect(await store.commitNow(direct(textEvent('m1', 'u1'), 1), T0 + 7 * DAY + 1)).toBe('ok');
    });

    it('is a duplicate when the key was recorded by addInbound', async () => {
      await store.addInbound([textEvent('m1', 'u1')], T0);
      const before = await snapshot('u1');
      expect(await store.commitNow(direct(textEvent('m1', 'u1'), 0, { replies: ['x'] }), T0 + 1)).toBe('duplicate');
      expect(await snapshot('u1')).toEqual(before);
    });

    it('queues, writing nothing, when the person has an event waiting (the new one goes after it)', async () => {
      await store.addInbound([textEvent('m1', 'u1')], T0);
      const before = await snapshot('u1');
      expect(await store.commitNow(direct(textEvent('m2', 'u1'), 0, { replies: ['x'], timers: [{ id: 't', at: T0 + 1 }] }), T0 + 1)).toBe('queue');
      expect(await snapshot('u1')).toEqual(before);
      // Nothing was marked seen: the caller can record it.
      expect(await store.addInbound([textEvent('m2', 'u1')], T0 + 2)).toBe(1);
      expect((await store.claimGivenUser('u1', 'w', T0 + 2, LEASE))?.events.map((e) => e.key)).toEqual(['m1', 'm2']);
    });

    it('queues while someone holds a lease on the person, and goes ahead once the lease ended', async () => {
      await seedUser(store, 'u1', T0);
      await store.addInbound([textEvent('m1', 'u1')], T0);
      const claim = await store.claimGivenUser('u1', 'w1', T0, LEASE);
      const { rev } = await store.getConversation('u1');
      // The worker commits its step but keeps the lease (no release): it is still at work.
      expect(await store.commit({ userId: 'u1', owner: 'w1', handled: claim!.events.map((e) => e.seq!), expectedRev: rev, conversation: conversation('u1'), outbox: [], timers: [] }, T0 + 1)).toBe('ok');
      const before = await snapshot('u1');
      expect(await store.commitNow(direct(textEvent('m2', 'u1'), rev + 1, { replies: ['x'] }), T0 + LEASE - 1)).toBe('queue');
      expect(await snapshot('u1')).toEqual(before);
      expect(await store.commitNow(direct(textEvent('m2', 'u1'), rev + 1, { replies: ['x'] }), T0 + LEASE)).toBe('ok');
    });

    it('goes ahead when the lease on the person is held by an owner that died', async () => {
      await seedUser(store, 'u1', T0);
      await store.addInbound([textEvent('m1', 'u1')], T0);
      const claim = await store.claimGivenUser('u1', 'w1', T0, LEASE);
      const { rev } = await store.getConversation('u1');
      expect(await store.commit({ userId: 'u1', owner: 'w1', handled: claim!.events.map((e) => e.seq!), expectedRev: rev, conversation: conversation('u1'), outbox: [], timers: [] }, T0)).toBe('ok');
      await store.heartbeat('w1', T0, 1_000);
      expect(await store.commitNow(direct(textEvent('m2', 'u1'), rev + 1), T0 + 500)).toBe('queue');
      expect(await store.commitNow(direct(textEvent('m2', 'u1'), rev + 1), T0 + 1_000)).toBe('ok');
    });

    it('queues, writing nothing, when the conversation changed since it was read', async () => {
      await seedUser(store, 'u1', T0, { vars: { v: 1 } });
      const before = await snapshot('u1');
      expect(await store.commitNow(direct(textEvent('m1', 'u1'), before.conversation.rev - 1, { vars: { v: 2 }, replies: ['x'] }), T0 + 1)).toBe('queue');
      expect(await store.commitNow(direct(textEvent('m1', 'u1'), 0, { vars: { v: 2 } }), T0 + 1)).toBe('queue');
      expect(await snapshot('u1')).toEqual(before);
    });

    it('replaces the person\'s timers; their events go to the page and thread the event came from', async () => {
      await seedUser(store, 'u1', T0, { timers: [{ id: 'old', at: T0 + 1_000 }] });
      const { rev } = await store.getConversation('u1');
      const e = textEvent('m1', 'u1', 'hi', 'page-7', { thread_key: 't_9' });
      expect(await store.commitNow(direct(e, rev, { timers: [{ id: 'new', at: T0 + 2_000 }] }), T0 + 1)).toBe('ok');
      expect(await store.nextTimerAt()).toBe(T0 + 2_000);
      expect(await store.fireDueTimers(T0 + 2_000, 10)).toBe(1);
      const fired = await store.claimGivenUser('u1', 'w', T0 + 2_000, LEASE);
      expect(fired?.events).toEqual([
        expect.objectContaining({ key: 'timer:u1:new', pageId: 'page-7', event: { userId: 'u1', pageId: 'page-7', recipient: { thread_key: 't_9' }, event: { kind: 'timer', timerId: 'new' }, timestamp: T0 + 2_000 } }),
      ]);
    });

    it('clears the person\'s timers when the step sets none', async () => {
      await seedUser(store, 'u1', T0, { timers: [{ id: 'old', at: T0 + 1_000 }] });
      const { rev } = await store.getConversation('u1');
      expect(await store.commitNow(direct(textEvent('m1', 'u1'), rev), T0 + 1)).toBe('ok');
      expect(await store.stats()).toMatchObject({ timers: 0 });
      expect(await store.fireDueTimers(T0 + 5_000, 10)).toBe(0);
    });
  });
}
