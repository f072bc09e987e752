/**
 * The event worker: takes people with pending inbound events from the store (one worker per
 * person at a time, across processes), runs the engine on their events in arrival order, and
 * commits the new conversation, the replies (outbox) and the timers in one atomic write.
 * It knows nothing of HTTP frameworks or of the chat platform: events arrive through the
 * store, replies leave through the outbox.
 */
import type { Engine } from '../engine/index.js';
import { drive, type HttpPort } from '../engine/index.js';
import { errorMessage } from '../errors.js';
import type { Conversation, InboundEvent, Profile } from '../engine/types.js';
import type { Commit, CommitResult, Recipient, Store, UserClaim } from '../store/port.js';

/** The JSON recorded in the inbox for each event (see src/channel/webhook.ts). */
export interface QueuedEvent {
  userId: string;
  pageId: string;
  recipient?: Recipient;
  event: InboundEvent;
  mid?: string;
  timestamp: number;
}

export interface WorkerLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface EventWorkerMetrics {
  /** Called once per handled event with its kind and the processing time in ms. */
  handled(kind: string, ms: number): void;
  /** Engine notes (flow changes, stale taps...). */
  note(note: string): void;
  commitFailed(reason: string): void;
}

export interface EventWorkerOptions {
  store: Store;
  /** The current engine (flows may be reloaded while running). */
  getEngine: () => Engine;
  http: HttpPort;
  profiles?: { get(userId: string): Promise<Profile | undefined> };
  clock: () => number;
  /** Lease owner id, unique per process. */
  owner: string;
  /** People processed at the same time. Default 32. */
  concurrency?: number;
  /** Lease on a person while their events are processed. Default 30 s. */
  leaseMs?: number;
  /** Idle poll interval for events recorded by other processes. Default 200 ms. */
  pollMs?: number;
  /**
   * Called as soon as a commit with replies is handed to the store, before it is done: the
   * store carries out calls in the order they are made, so the outbox worker may claim the
   * person's first reply right away (in the same SQLite transaction, or the next Redis
   * command) instead of a turn later. A refused commit only makes that claim find nothing new.
   */
  onCommitting?: (commit: { userId: string; replies: number }) => void;
  /** Called after each successful commit (the server wakes the timer worker when timers were set). */
  onCommitted?: (commit: { userId: string; replies: number; timers: number }) => void;
  log: WorkerLogger;
  metrics?: EventWorkerMetrics;
}

export interface EventWorker {
  start(): void;
  /** Wakes the worker, optionally pointing at people who just got events. */
  kick(userIds?: readonly string[]): void;
  /** Stops taking new work and waits for the people in progress. */
  stop(): Promise<void>;
}

export function createEventWorker(options: EventWorkerOptions): EventWorker {
  const { store, clock, owner, log } = options;
  const concurrency = options.concurrency ?? 32;
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 200;
  const hinted: string[] = [];
  const hintedSet = new Set<string>();
  let running = false;
  /** Loops waiting for work, and wake-ups that arrived while none was waiting. */
  const waiters: Array<() => void> = [];
  let pendingWakes = 0;
  const loops: Promise<void>[] = [];
  /** People this process is processing now, and those of them named by a kick meanwhile. */
  const inProgress = new Set<string>();
  const missed = new Set<string>();

  /** Wakes `n` idle loops (not all of them: each wake-up costs a store query). */
  function signal(n: number): void {
    for (let i = 0; i < n; i++) {
      const w = waiters.shift();
      if (w) w();
      else pendingWakes = Math.min(pendingWakes + 1, concurrency);
    }
  }

  /**
   * Waits for a wake-up. Only the first loop also wakes up every `pollMs` by itself (to find
   * events recorded by other processes, or fired timers): idle loops cost no store queries.
   */
  function idle(polls: boolean): Promise<void> {
    if (pendingWakes > 0) {
      pendingWakes--;
      return Promise.resolve();
    }
    return new Promise((res) => {
      const done = (): void => {
        if (timer) clearTimeout(timer);
        const i = waiters.indexOf(done);
        if (i >= 0) waiters.splice(i, 1);
        res();
      };
      const timer = polls ? setTimeout(done, pollMs) : undefined;
      waiters.push(done);
    });
  }

  /**
   * The next person to process: a person named by a kick first, else (when `search`) anyone
   * with pending events. A named person this process is busy with is remembered, and taken
   * again as soon as their current events are committed.
   */
  async function nextClaim(search: boolean): Promise<{ claim: UserClaim; searched: boolean } | undefined> {
    while (hinted.length > 0) {
      const userId = hinted.shift()!;
      hintedSet.delete(userId);
      const claim = await store.claimGivenUser(userId, owner, clock(), leaseMs);
      if (claim) return { claim, searched: false };
      if (inProgress.has(userId)) missed.add(userId);
    }
    if (!search) return undefined;
    const claim = await store.claimUser(owner, clock(), leaseMs);
    return claim ? { claim, searched: true } : undefined;
  }

  /** Processes a claimed person's events; true when the commit also gave the lease back. */
  async function processClaim(claim: UserClaim): Promise<boolean> {
    const { userId, events } = claim;
    const started = clock();
    const engine = options.getEngine();
    const stored = claim.stored;
    let conversation: Conversation | undefined = stored.conversation;
    let profile: Profile | undefined = conversation?.profile;
    if (!profile && options.profiles) profile = await options.profiles.get(userId).catch(() => undefined);
    profile ??= { id: userId };
    const commit: Commit = { userId, owner, handled: [], expectedRev: stored.rev, conversation: conversation!, outbox: [], timers: [], release: true };
    for (const record of events) {
      const queued = record.event as QueuedEvent;
      const t0 = clock();
      const out = await drive(engine, { conversation, event: queued.event, profile, now: clock(), eventId: record.key }, options.http);
      conversation = out.conversation;
      commit.timers = out.timers;
      const recipient: Recipient = queued.recipient && (queued.recipient.id || queued.recipient.thread_key) ? queued.recipient : { id: userId };
      for (const message of out.messages) commit.outbox.push({ pageId: record.pageId, recipient, message });
      commit.handled.push(record.seq!);
      for (const note of out.notes) options.metrics?.note(note);
      options.metrics?.handled(queued.event?.kind ?? 'unknown', clock() - t0);
    }
    if (!conversation) return false;
    commit.conversation = { ...conversation, profile };
    const pending = store.commit(commit, clock());
    if (commit.outbox.length > 0) options.onCommitting?.({ userId, replies: commit.outbox.length });
    const result = await pending;
    if (result !== 'ok') {
      options.metrics?.commitFailed(result);
      log.warn({ userId, result, events: events.length }, COMMIT_REFUSED[result]);
      return false;
    }
    log.debug({ userId, events: events.length, replies: commit.outbox.length, ms: clock() - started }, 'events processed');
    options.onCommitted?.({ userId, replies: commit.outbox.length, timers: commit.timers.length });
    return true;
  }

  async function loop(polls: boolean): Promise<void> {
    let failures = 0;
    // Search the store for work when woken, and while searching finds some (a backlog); after
    // a person named by a kick, only other named people: kicks name the events this process
    // records, and the polling loop finds the rest (other processes' events, fired timers).
    let search = true;
    while (running) {
      let claim: UserClaim | undefined;
      try {
        const next = await nextClaim(search);
        claim = next?.claim;
        search = next?.searched ?? true;
        // Found by searching: there may be a backlog (another process's events, fired
        // timers), so recruit one more idle loop.
        if (next?.searched) signal(1);
      } catch (err) {
        failures++;
        const info = errorFields(err);
        log.error({ code: 'FLOW_ERR_STORE_FAILURE', err: info }, errorMessage('FLOW_ERR_STORE_FAILURE', 'looking for people with pending events', info.message));
        await sleep(backoffMs(failures));
        continue;
      }
      if (!claim) {
        await idle(polls);
        continue;
      }
      let released = false;
      inProgress.add(claim.userId);
      try {
        released = await processClaim(claim);
        failures = 0;
      } catch (err) {
        failures++;
        log.error({ err: errorFields(err), userId: claim.userId }, 'Processing a person\'s events failed; they stay queued and are processed again in a moment.');
        await sleep(backoffMs(failures));
      } finally {
        // Not committed (refused, or failed): the events stay queued; search finds them again.
        if (!released) {
          search = true;
          await store.releaseUser(claim.userId, owner).catch(() => undefined);
        }
        inProgress.delete(claim.userId);
        // Named by a kick while we were busy with them: their new events wait; take them now.
        if (missed.delete(claim.userId) && !hintedSet.has(claim.userId)) {
          hintedSet.add(claim.userId);
          hinted.unshift(claim.userId);
        }
      }
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      for (let i = 0; i < concurrency; i++) loops.push(loop(i === 0));
    },
    kick(userIds) {
      let fresh = 0;
      for (const id of userIds ?? []) {
        if (hintedSet.has(id)) continue;
        hintedSet.add(id);
        hinted.push(id);
        fresh++;
      }
      signal(Math.max(1, fresh));
    },
    async stop() {
      running = false;
      signal(concurrency);
      await Promise.all(loops.splice(0));
    },
  };
}

/** What the log says when a commit is refused; either way the events stay queued. */
const COMMIT_REFUSED: Record<Exclude<CommitResult, 'ok'>, string> = {
  'lost-lease':
    'Another process took this person over while this one was processing their events (this process stalled for longer than its lease or heartbeat): ' +
    'nothing was written, and the events stay queued to be processed again. If it happens often, look for what stalls this process: CPU starvation, long garbage-collection pauses, or a slow store.',
  conflict: 'This person\'s conversation was changed by another process meanwhile: nothing was written, and the events stay queued to be processed again.',
};

/** The wait after `failures` failures in a row: 200 ms doubling up to 5 s. */
function backoffMs(failures: number): number {
  return Math.min(5_000, 100 * 2 ** Math.min(failures, 6));
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function errorFields(err: unknown): { message: string; code?: string } {
  const e = err as { message?: string; code?: string };
  return { message: String(e?.message ?? err), code: e?.code };
}
