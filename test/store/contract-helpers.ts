/**
 * Fixtures shared by the store contract suite: events, conversations, and a one-call step.
 */
import type { Conversation, OutMessage, TimerSpec } from '../../src/engine/types.js';
import type { CommitResult, InboundRecord, Recipient, Store, UserClaim } from '../../src/store/port.js';

/** A fixed epoch: every test passes `now` explicitly, relative to it. */
export const T0 = 1_700_000_000_000;
export const LEASE = 30_000;
export const DAY = 24 * 60 * 60 * 1000;

/** An inbound text event as the channel layer records it. */
export function textEvent(key: string, userId: string, text = key, pageId = 'page-1', recipient?: Recipient): InboundRecord {
  const event: Record<string, unknown> = { userId, pageId, event: { kind: 'text', text }, mid: key, timestamp: T0 };
  if (recipient) event.recipient = recipient;
  return { key, userId, pageId, receivedAt: T0, event };
}

/** A conversation with the given variables. */
export function conversation(userId: string, vars: Record<string, unknown> = {}): Conversation {
  return { version: 1, userId, status: 'active', flowId: 'onboarding', flowHash: 'abc123', state: 'ask_name', visit: 1, vars, attempts: 0, lastActivity: T0, offered: [] };
}

/** A text reply. */
export function reply(text: string, pageId = 'page-1', recipient: Recipient = { id: 'u1' }): { pageId: string; recipient: Recipient; message: OutMessage } {
  return { pageId, recipient, message: { kind: 'text', text } };
}

export interface StepOptions {
  vars?: Record<string, unknown>;
  replies?: string[];
  timers?: TimerSpec[];
  expectedRev?: number;
  handled?: number[];
}

/** Commits one step for a claim: handles all its events, reads the current rev unless given. */
export async function commitStep(store: Store, claim: UserClaim, owner: string, now: number, options: StepOptions = {}): Promise<CommitResult> {
  const rev = options.expectedRev ?? (await store.getConversation(claim.userId)).rev;
  return store.commit(
    {
      userId: claim.userId,
      owner,
      handled: options.handled ?? claim.events.map((e) => e.seq!),
      expectedRev: rev,
      conversation: conversation(claim.userId, options.vars),
      outbox: (options.replies ?? []).map((text) => reply(text, 'page-1', { id: claim.userId })),
      timers: options.timers ?? [],
    },
    now,
  );
}

/** Claims `userId` (must succeed) and commits one step for it, then releases. */
export async function stepUser(store: Store, userId: string, now: number, options: StepOptions = {}): Promise<CommitResult> {
  const claim = await store.claimGivenUser(userId, 'helper', now, LEASE);
  if (!claim) throw new Error(`test setup: ${userId} has no pending event to claim`);
  const result = await commitStep(store, claim, 'helper', now, options);
  await store.releaseUser(userId, 'helper');
  return result;
}

let seeded = 0;

/** Puts one event for `userId` and steps it with the given replies and timers. */
export async function seedUser(store: Store, userId: string, now: number, options: StepOptions = {}): Promise<void> {
  await store.addInbound([textEvent(`seed-${userId}-${++seeded}`, userId)], now);
  const result = await stepUser(store, userId, now, options);
  if (result !== 'ok') throw new Error(`test setup: commit for ${userId} gave ${result}`);
}
