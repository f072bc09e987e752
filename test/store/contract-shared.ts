/**
 * Contract, part 3 (for stores that several processes share): data survives a reopen, and two
 * instances on the same data never hand the same person, reply or timer to both.
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/port.js';
import { LEASE, T0, commitStep, conversation, seedUser, textEvent } from './contract-helpers.js';

/** Opens a store and, later, another instance on the same data (another process's view). */
export type OpenPair = () => Promise<{ first: Store; second: () => Promise<Store> }>;

/** Registers the reopen and two-instance tests. */
export function sharedContract(openPair: OpenPair): void {
  describe('shared between instances', () => {
    it('keeps everything across a close and reopen', async () => {
      const { first, second } = await openPair();
      await first.addInbound([textEvent('m1', 'u1'), textEvent('m2', 'u2')], T0);
      await seedUser(first, 'u3', T0, { vars: { kept: ['yes', 1] }, replies: ['r1', 'r2'], timers: [{ id: 't', at: T0 + 60_000 }] });
      const [head] = await first.claimOutbox('d1', T0, LEASE, 10);
      await first.retryOutbox(head.id, 'd1', T0 + 5000, 2);
      await first.claimGivenUser('u1', 'w1', T0, LEASE);
      await first.close();

      const reopened = await second();
      try {
        expect(await reopened.stats()).toEqual({ inbound: 2, outbox: 2, timers: 1 });
        expect(await reopened.getConversation('u3')).toEqual({ conversation: conversation('u3', { kept: ['yes', 1] }), rev: 1 });
        expect(await reopened.addInbound([textEvent('m1', 'u1')], T0 + 1)).toBe(0);
        expect((await reopened.claimUser('w2', T0 + 1, LEASE))?.userId).toBe('u2');
        expect(await reopened.claimUser('w2', T0 + 1, LEASE)).toBeUndefined();
        expect(await reopened.claimOutbox('d2', T0 + 4999, LEASE, 10)).toEqual([]);
        expect(await reopened.claimOutbox('d2', T0 + 5000, LEASE, 10)).toMatchObject([{ id: head.id, attempts: 2, message: { text: 'r1' } }]);
        expect(await reopened.nextTimerAt()).toBe(T0 + 60_000);
        await seedUser(reopened, 'u3', T0 + 2, { replies: ['r3'] });
        await reopened.ackOutbox(head.id, 'd2');
        const [next] = await reopened.claimOutbox('d2', T0 + 5001, LEASE, 10);
        expect(next.message).toEqual({ kind: 'text', text: 'r2' });
      } finally {
        await reopened.close();
      }
    });

    it('lets two instances share people, replies and timers without handing anything out twice', async () => {
      const { first: a, second } = await openPair();
      const b = await second();
      try {
        const users = Array.from({ length: 6 }, (_, i) => `u${i}`);
        await a.addInbound(users.map((u) => textEvent(`m-${u}`, u)), T0);
        const claimed: string[] = [];
        for (let i = 0; i < users.length; i++) {
          const store = i % 2 === 0 ? a : b;
          const claim = (await store.claimUser(`w${i % 2}`, T0, LEASE))!;
          claimed.push(claim.userId);
          expect(await commitStep(store, claim, `w${i % 2}`, T0, { replies: ['hi', 'bye'], timers: [{ id: 't', at: T0 + 10 }] })).toBe('ok');
        }
        expect([...claimed].sort()).toEqual(users);
        expect(await a.claimUser('w0', T0, LEASE)).toBeUndefined();
        expect(await b.claimUser('w1', T0, LEASE)).toBeUndefined();

        const fromA = await a.claimOutbox('dA', T0, LEASE, 4);
        const fromB = await b.claimOutbox('dB', T0, LEASE, 10);
        expect(fromA).toHaveLength(4);
        expect(fromB).toHaveLength(2);
        expect(new Set([...fromA, ...fromB].map((r) => r.userId)).size).toBe(6);

        expect((await a.fireDueTimers(T0 + 10, 4)) + (await b.fireDueTimers(T0 + 10, 10)) + (await a.fireDueTimers(T0 + 10, 10))).toBe(6);
        expect(await b.stats()).toEqual({ inbound: 6, outbox: 12, timers: 0 });
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
}
