/** Shared helpers of the delivery tests: put replies and timers into a real store through its public port. */
import type { Conversation, OutMessage, TimerSpec } from '../../src/engine/types.js';
import type { Recipient, Store } from '../../src/store/port.js';

let counter = 0;

function conversation(userId: string): Conversation {
  return { version: 1, userId, status: 'active', visit: 1, vars: {}, attempts: 0, lastActivity: 0, offered: [] };
}

/** One step for a person: an inbound event handled, `texts` appended to the outbox, `timers` set. */
export async function step(store: Store, userId: string, texts: string[], now: number, opts: { pageId?: string; timers?: TimerSpec[]; recipient?: Recipient } = {}): Promise<void> {
  const pageId = opts.pageId ?? 'P';
  const recipient = opts.recipient ?? { id: userId };
  await store.addInbound([{ key: `k${++counter}`, userId, pageId, receivedAt: now, event: { userId, pageId, recipient, event: { kind: 'text', text: 'hi' }, timestamp: now } }], now);
  const claim = await store.claimGivenUser(userId, 'writer', now, 10_000);
  if (!claim) throw new Error(`could not claim ${userId}`);
  const { rev } = await store.getConversation(userId);
  const outbox = texts.map((text) => ({ pageId, recipient, message: { kind: 'text', text } as OutMessage }));
  const result = await store.commit({ userId, owner: 'writer', handled: claim.events.map((e) => e.seq as number), expectedRev: rev, conversation: conversation(userId), outbox, timers: opts.timers ?? [] }, now);
  if (result !== 'ok') throw new Error(`commit failed: ${result}`);
  await store.releaseUser(userId, 'writer');
}

/** A promise with its resolve function outside. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
