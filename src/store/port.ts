/**
 * The store port: everything the server keeps durably, behind one small interface that the
 * memory, SQLite and Redis adapters implement and one contract suite (test/store/contract.ts)
 * checks. Adapters import this file as a type only.
 *
 * The life of an inbound event:
 *  1. the webhook calls `addInbound` (duplicates, by `key`, are dropped here) and only then
 *     answers 200;
 *  2. a worker calls `claimUser` to lease one person with pending events (one worker per
 *     person at a time, across processes; a lease that expires is taken over), reads the
 *     conversation, runs the engine, and calls `commit`: in ONE atomic write the handled
 *     inbound events are removed, the conversation is compare-and-set, the replies are
 *     appended to the person's outbox and the person's timers are replaced;
 *  3. the delivery loop calls `claimOutbox` (only the head of each person's outbox, so
 *     replies go out in order), sends, then `ackOutbox`, `retryOutbox` or `dropOutbox`;
 *  4. the timer loop calls `fireDueTimers`, which turns due timers into inbound events
 *     (atomically, exactly once) that go through step 2 like any other event.
 *
 * Leases and liveness. A lease (on a person, or on an outbox record) is FREE, and may be
 * claimed by anyone, when its `until <= now`, OR when its owner's heartbeat lapsed: the owner
 * called `heartbeat(owner, at, ttlMs)` and `at + ttlMs <= now` (it died or stalled), or it
 * called `retire`. So a process killed with `kill -9` holds its work only until its last
 * heartbeat lapses, not until its leases end. The leases of an owner that never sent a
 * heartbeat (or whose record was forgotten, `OWNER_MEMORY_MS` after it died) are judged by
 * `until` alone. `commit` is not judged by liveness: it needs a lease of the same owner whose
 * `until > now`, so an owner that stalled but whose work nobody took over still commits,
 * and one whose work was taken over meets `lost-lease`.
 */
import type { Conversation, OutMessage, TimerSpec } from '../engine/types.js';

/** Where a reply goes: a person, or (Workplace) a group thread. */
export interface Recipient {
  id?: string;
  thread_key?: string;
}

/** An inbound event as recorded by the webhook, before the engine sees it. */
export interface InboundRecord {
  /** Dedupe key: the platform's `mid`, else sender + timestamp + payload; `timer:<user>:<id>` for timers. */
  key: string;
  userId: string;
  /** The page (bot) the event was sent to: replies are rate-limited per page. */
  pageId: string;
  /** Arrival order (assigned by the store; ignored on input). */
  seq?: number;
  receivedAt: number;
  /** The normalised event (JSON): see src/channel/ for its shape. */
  event: unknown;
}

export interface StoredConversation {
  conversation: Conversation | undefined;
  /** Revision for compare-and-set; 0 when there is none yet. */
  rev: number;
}

export interface OutboxRecord {
  /** Unique id (assigned by the store). */
  id: string;
  userId: string;
  pageId: string;
  /** Per-person order. */
  seq: number;
  recipient: Recipient;
  message: OutMessage;
  attempts: number;
  /** Epoch ms before which it must not be sent (backoff). */
  notBefore: number;
  createdAt: number;
}

export interface TimerRecord extends TimerSpec {
  userId: string;
  pageId: string;
}

export interface Commit {
  userId: string;
  /** The worker's lease owner id (from `claimUser`). */
  owner: string;
  /** The `seq`s of the inbound events handled (removed in the same write). */
  handled: number[];
  /** `rev` as read; the write fails with `conflict` when it changed meanwhile. */
  expectedRev: number;
  conversation: Conversation;
  /** Replies to append, in order. */
  outbox: Array<{ pageId: string; recipient: Recipient; message: OutMessage }>;
  /** The person's pending timers after this step (replaces the previous set). */
  timers: TimerSpec[];
  /** Also give the person's lease back once the write succeeded (saves a `releaseUser`). */
  release?: boolean;
}

export type CommitResult = 'ok' | 'conflict' | 'lost-lease';

/** One inbound event handled at once by the process that received it (see `Store.commitNow`). */
export interface DirectCommit {
  /** The event, as `addInbound` would record it (its `key` is marked seen by the write). */
  event: InboundRecord;
  /** `rev` of the conversation the step started from (as `getConversation` answered it). */
  expectedRev: number;
  conversation: Conversation;
  /** Replies to append, in order. */
  outbox: Commit['outbox'];
  /** The person's pending timers after this step (replaces the previous set). */
  timers: TimerSpec[];
}

/**
 * `ok`: written. `duplicate`: the event's key was seen within the dedupe window (nothing
 * written; the event needs nothing more). `queue`: the event cannot be handled at once (the
 * person has pending inbound events, a lease that counts is held on them, or their
 * conversation changed since it was read): nothing written, and the caller records the event
 * with `addInbound` so that it goes the usual way, after the person's earlier events.
 */
export type DirectResult = 'ok' | 'duplicate' | 'queue';

export interface UserClaim {
  userId: string;
  /** The person's pending inbound events, oldest first. */
  events: InboundRecord[];
  /** The person's conversation as the claim found it (as `getConversation` answers it). */
  stored: StoredConversation;
}

/**
 * Call order. Every adapter carries out calls in the order they are made, also calls made
 * without waiting for the previous one: a call sees the effects of every call made before it
 * (the workers rely on this to claim a reply in the same breath as the commit or the
 * acknowledgement before it).
 */
export interface Store {
  /** Records inbound events durably; returns how many were new (the rest were duplicates). */
  addInbound(events: InboundRecord[], now: number): Promise<number>;
  /** Leases one person with pending inbound events whose lease is free (none, ended, or its owner died). */
  claimUser(owner: string, now: number, leaseMs: number): Promise<UserClaim | undefined>;
  /** Leases a given person if they have pending events and their lease is free. */
  claimGivenUser(userId: string, owner: string, now: number, leaseMs: number): Promise<UserClaim | undefined>;
  /** Gives a person's lease back (after commit, or on failure so another worker can retry). */
  releaseUser(userId: string, owner: string): Promise<void>;
  getConversation(userId: string): Promise<StoredConversation>;
  /** The atomic write of one step (see the file's header). */
  commit(commit: Commit, now: number): Promise<CommitResult>;
  /**
   * The direct path: steps 1 and 2 of the file's header in ONE atomic write, for an event the
   * receiving process handled at once (runtime/event-worker.ts `receive`). When the event is
   * not a duplicate, the person has no pending inbound event, nobody holds a lease on them
   * that counts, and their conversation's `rev` is still `expectedRev`: marks the event's key
   * seen, compare-and-sets the conversation, appends the replies and replaces the timers (as
   * `commit` does; the timers' events go where this event came from). Otherwise writes
   * nothing (see `DirectResult`).
   */
  commitNow(commit: DirectCommit, now: number): Promise<DirectResult>;

  /** Leases up to `limit` outbox records that are due and free, at most one per person: the head of their outbox. */
  claimOutbox(owner: string, now: number, leaseMs: number, limit: number): Promise<OutboxRecord[]>;
  /**
   * Leases the head of one person's outbox when it is due and nobody else holds it (the hot
   * path: right after a commit added replies, or after the previous reply was sent), without
   * scanning the whole outbox.
   */
  claimOutboxOf(userId: string, owner: string, now: number, leaseMs: number): Promise<OutboxRecord | undefined>;
  /** Sent: remove it, so the person's next reply becomes claimable. */
  ackOutbox(id: string, owner: string): Promise<void>;
  /** Temporary failure: keep it at the head, not before `notBefore`. */
  retryOutbox(id: string, owner: string, notBefore: number, attempts: number): Promise<void>;
  /** Permanent failure: remove it (the caller logs and counts it). */
  dropOutbox(id: string, owner: string): Promise<void>;

  /** Turns timers due at `now` into inbound events (exactly once, across processes); returns how many. */
  fireDueTimers(now: number, limit: number): Promise<number>;
  /** Epoch ms of the earliest pending timer, if any. */
  nextTimerAt(): Promise<number | undefined>;

  /**
   * Records that `owner` is alive until `now + ttlMs` (replacing its previous record); from
   * then on its leases are judged by its liveness too (see the file's header). Also forgets,
   * now and then, owners dead for longer than `OWNER_MEMORY_MS`.
   */
  heartbeat(owner: string, now: number, ttlMs: number): Promise<void>;
  /**
   * The owner stopped for good (graceful shutdown, after its workers stopped): it counts as
   * dead from `now`, so whatever it still holds is free at once. A later `heartbeat` of the
   * same owner makes it alive again.
   */
  retire(owner: string, now: number): Promise<void>;
  /**
   * The owners alive at `now`: their last heartbeat has not lapsed and they did not retire
   * (in no particular order). The heartbeat reads it to find the processes of its own machine
   * that died without retiring (see delivery/local-owners.ts).
   */
  liveOwners(now: number): Promise<string[]>;

  /** Figures for /metrics and /readyz. */
  stats(): Promise<{ inbound: number; outbox: number; timers: number }>;
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
