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
import type { Conversation, InboundEvent, OutMessage, Profile } from '../engine/types.js';
import { createLru } from '../store/lru.js';
import type { Commit, CommitResult, DirectResult, InboundRecord, Recipient, Store, StoredConversation, UserClaim } from '../store/port.js';

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

/**
 * Why `receive` queued an event instead of handling it at once: its profile lookup took too
 * long, its step makes an HTTP call, its step threw, or the store refused (`busy`: the
 * person's earlier events wait, someone holds them, or their conversation changed).
 */
export type QueueReason = 'profile' | 'call' | 'step_failed' | 'busy';

export interface EventWorkerMetrics {
  /** Called once per handled event with its kind and the processing time in ms. */
  handled(kind: string, ms: number): void;
  /** Engine notes (flow changes, stale taps...). */
  note(note: string): void;
  commitFailed(reason: string): void;
  /** An event of `receive` queued instead of handled at once, and why. */
  queued?(reason: QueueReason): void;
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
  /** Conversations kept in memory for the direct path (see `receive`). Default 10,000; 0 keeps none. */
  recentConversations?: number;
  /**
   * How long the direct path waits for a new person's profile before it leaves the event to
   * the worker (the webhook's answer waits that long at most). Default 1000 ms.
   */
  profileWaitMs?: number;
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
  /**
   * The webhook's entry: handles `records` at once where it can (the direct path, see
   * `tryNow`), records the others with `addInbound` for the worker, and resolves to how many
   * were new (not duplicates) once every one of them is committed or recorded. One person's
   * records are taken in order, after those of earlier calls for the same person.
   */
  receive(records: InboundRecord[]): Promise<number>;
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
  const profileWaitMs = options.profileWaitMs ?? 1000;
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
    recent.delete(userId);
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
      commit.outbox.push(...repliesOf(record, out.messages));
      commit.handled.push(record.seq!);
      counted(queued, out.notes, t0);
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
    recent.set(userId, { conversation: commit.conversation, rev: stored.rev + 1 });
    log.debug({ userId, events: events.length, replies: commit.outbox.length, ms: clock() - started }, 'events processed');
    options.onCommitted?.({ userId, replies: commit.outbox.length, timers: commit.timers.length });
    return true;
  }

  /** The outbox entries of an event's replies: to the Workplace thread or person it came from, through its page. */
  function repliesOf(record: InboundRecord, messages: readonly OutMessage[]): Commit['outbox'] {
    const queued = record.event as QueuedEvent;
    const recipient: Recipient = queued.recipient && (queued.recipient.id || queued.recipient.thread_key) ? queued.recipient : { id: record.userId };
    return messages.map((message) => ({ pageId: record.pageId, recipient, message }));
  }

  /** Counts a handled event (its kind and time since `t0`) and the engine's notes. */
  function counted(queued: QueuedEvent, notes: readonly string[], t0: number): void {
    for (const note of notes) options.metrics?.note(note);
    options.metrics?.handled(queued.event?.kind ?? 'unknown', clock() - t0);
  }

  /**
   * The direct path: one event handled right away, in the webhook's request, when that needs
   * nothing slow: the person's profile is known already or looked up within `profileWaitMs`
   * (else the worker waits for it, after the answer), and the step makes no HTTP call (the
   * worker makes them, after the answer; the step is a pure function, so running it again
   * there changes nothing). The store then writes it in one go, unless the person has
   * earlier events waiting, is being processed, or their conversation changed (`queue`): the
   * event is then recorded for the worker like any other.
   */
  async function tryNow(record: InboundRecord): Promise<DirectResult> {
    const { userId } = record;
    const stored = recent.get(userId) ?? (await store.getConversation(userId));
    let profile = stored.conversation?.profile;
    if (!profile) {
      const found = options.profiles ? await within(options.profiles.get(userId).catch(() => undefined), profileWaitMs) : undefined;
      if (found === LATE) return queue('profile');
      profile = found ?? { id: userId };
    }
    const queued = record.event as QueuedEvent;
    const t0 = clock();
    let out: ReturnType<Engine['step']>;
    try {
      out = options.getEngine().step({ conversation: stored.conversation, event: queued.event, profile, now: t0, eventId: record.key });
    } catch {
      return queue('step_failed'); // the worker runs it again, and logs and retries what fails
    }
    if (out.calls.length > 0) return queue('call');
    const outbox = repliesOf(record, out.messages);
    const conversation = { ...out.conversation, profile };
    const pending = store.commitNow({ event: record, expectedRev: stored.rev, conversation, outbox, timers: out.timers }, clock());
    if (outbox.length > 0) options.onCommitting?.({ userId, replies: outbox.length });
    const result = await pending;
    if (result !== 'ok') {
      recent.delete(userId); // perhaps changed by another process: read it again next time
      return result === 'queue' ? queue('busy') : result;
    }
    recent.set(userId, { conversation, rev: stored.rev + 1 });
    counted(queued, out.notes, t0);
    options.onCommitted?.({ userId, replies: outbox.length, timers: out.timers.length });
    return 'ok';
  }

  function queue(reason: QueueReason): 'queue' {
    options.metrics?.queued?.(reason);
    return 'queue';
  }

  /**
   * The conversations this process wrote last, as written, so that the direct path starts
   * from memory instead of a store read. A stale one (another process wrote since) is harmless:
   * the store's compare-and-set refuses the step, the event is queued, the entry forgotten.
   */
  const recent = createLru<StoredConversation>(Math.max(0, options.recentConversations ?? 10_000));

  /** The direct path of each person in this process (their next events wait for it: per-person order). */
  const directs = new Map<string, Promise<unknown>>();

  /** `receive` for one person's records, in order; how many were new. */
  async function receiveOf(userId: string, records: InboundRecord[]): Promise<number> {
    const before = directs.get(userId);
    const mine = (async () => {
      if (before) await before.catch(() => undefined);
      let added = 0;
      let i = 0;
      for (; i < records.length; i++) {
        const result = await tryNow(records[i]!);
        if (result === 'queue') break;
        if (result === 'ok') added++;
      }
      if (i === records.length) return added;
      // The rest go through the queue; the worker's claim follows the write (call order).
      const recording = store.addInbound(records.slice(i), clock());
      kick([userId]);
      return added + (await recording);
    })();
    directs.set(userId, mine);
    try {
      return await mine;
    } finally {
      if (directs.get(userId) === mine) directs.delete(userId);
    }
  }

  function kick(userIds?: readonly string[]): void {
    let fresh = 0;
    for (const id of userIds ?? []) {
      if (hintedSet.has(id)) continue;
      hintedSet.add(id);
      hinted.push(id);
      fresh++;
    }
    signal(Math.max(1, fresh));
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
    kick,
    async receive(records) {
      const byPerson = new Map<string, InboundRecord[]>();
      for (const r of records) {
        const list = byPerson.get(r.userId);
        if (list) list.push(r);
        else byPerson.set(r.userId, [r]);
      }
      const added = await Promise.all([...byPerson].map(([userId, list]) => receiveOf(userId, list)));
      return added.reduce((a, b) => a + b, 0);
    },
    async stop() {
      running = false;
      signal(concurrency);
      await Promise.all(loops.splice(0));
    },
  };
}

const LATE = Symbol('late');

/** What `promise` gives if it settles within `ms`, else `LATE` (it goes on; its result is not awaited). */
function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof LATE> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<typeof LATE>((res) => (timer = setTimeout(() => res(LATE), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
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
