/**
 * The embedded default store: one SQLite file through better-sqlite3. Several processes may
 * share the file: every write is one IMMEDIATE transaction (SQLite's single writer), so
 * claims, commits and timer firings never interleave, and nothing is ever half-written.
 * better-sqlite3 is synchronous; calls are grouped into one transaction per turn of the event
 * loop (see `run`), and their promises settle once that transaction is committed.
 */
import { accessSync, constants } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Commit, CommitResult, DirectCommit, DirectResult, InboundRecord, OutboxRecord, Recipient, Store, StoredConversation, UserClaim } from './port.js';
import { migrate } from './sqlite-migrations.js';
import { prepareStatements, type OutboxRow, type Statements } from './sqlite-statements.js';
import { DEDUPE_WINDOW_MS, OWNER_MEMORY_MS, PRUNE_EVERY_MS, derivePlace, replyTarget, storedConversation, timerEvent, timerKey } from './store-rules.js';
import { toStoreError } from './sqlite-errors.js';
import { StoreError } from './store-error.js';

/** Options of `openSqliteStore`. */
export interface SqliteStoreOptions {
  /** Epoch-ms clock, used only to date schema migrations (the port's methods take `now`). */
  clock?: () => number;
  /**
   * `normal` (default): WAL with `synchronous = NORMAL`. A commit that returned survives a
   * crash or `kill -9` of the process (the WAL is in the OS page cache), which is the
   * guarantee Flowstate promises; only a power loss or OS crash may lose the last commits.
   * `full`: `synchronous = FULL`, an fsync per commit, which also survives power loss, at a
   * cost in throughput.
   */
  durability?: 'normal' | 'full';
  /** How long a write waits for another process's write before failing (ms, default 5000). */
  busyTimeoutMs?: number;
}

/** The real `setImmediate`, taken before any test may fake the timers. */
const nextTurn: (fn: () => void) => unknown = setImmediate;

/** How long a heartbeat waits for another process's write (ms): see `heartbeat` below. */
const HEARTBEAT_BUSY_MS = 100;

/** Why the folder of `path` cannot be written (`on a read-only file system`, `not writable`), or undefined. */
function readOnlyFolder(path: string): string | undefined {
  if (path === ':memory:') return undefined;
  try {
    accessSync(dirname(path), constants.W_OK);
    return undefined;
  } catch (error) {
    const code = (error as { code?: string }).code;
    return code === 'EROFS' ? 'on a read-only file system' : code === 'EACCES' || code === 'EPERM' ? 'not writable by this user' : undefined;
  }
}

/**
 * Opens (creating it and its schema when needed) the SQLite store at `path`. Throws a
 * `StoreError` naming the file when it cannot be opened, is not a database, or was written by
 * a newer Flowstate. The parent folder must exist (`openStore` creates it).
 */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Store {
  const clock = options.clock ?? Date.now;
  const busyMs = Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000));
  let db: Database.Database | undefined;
  let q: Statements;
  try {
    db = new Database(path, { timeout: busyMs });
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma('foreign_keys = ON');
    migrate(db, path, clock());
    q = prepareStatements(db);
  } catch (error) {
    db?.close();
    const readOnly = readOnlyFolder(path);
    if (readOnly) throw new StoreError('STORE_READONLY', `The store "${path}" cannot be written: its folder is ${readOnly}. Flowstate writes the file and its -wal and -shm files there: make the folder writable (or remount its file system read-write), or point STORE_URL elsewhere.`, { cause: error });
    const mapped = toStoreError(error, path);
    if (mapped instanceof StoreError) throw mapped;
    throw new StoreError('STORE_UNAVAILABLE', `The store "${path}" cannot be opened: ${(error as Error).message}. Check the path and that Flowstate may write there.`, { cause: error });
  }
  const conn = db;
  let lastPrune = -Infinity;
  let closed = false;
  /**
   * better-sqlite3 is synchronous: a call that meets another program's write lock blocks the
   * whole process for the busy timeout. After one such wait the store is in "locked" mode:
   * calls do not wait for the lock at all (busy timeout 0), so they fail at once while the
   * lock lasts — the webhook answers 503 quickly and the process stays responsive — and the
   * first call that succeeds ends the mode. Ordinary contention between Flowstate processes
   * never waits anywhere near the busy timeout, so it never enters this mode.
   */
  let locked = false;

  /**
   * Runs `work` now, waiting at most `waitMs` for another process's write lock (not at all in
   * the "locked" mode); throws what SQLite threw, mapped. A call that `trips` and meets the
   * lock enters the mode.
   */
  function runNow<T>(work: () => T, trips: boolean, waitMs = busyMs): T {
    const probing = locked;
    const wait = probing ? 0 : waitMs;
    if (wait !== busyMs) conn.pragma(`busy_timeout = ${wait}`);
    try {
      const result = work();
      if (probing) locked = false;
      return result;
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (trips && typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))) locked = true;
      throw toStoreError(error, path);
    } finally {
      if (wait !== busyMs) conn.pragma(`busy_timeout = ${busyMs}`);
    }
  }

  function closedError(): StoreError {
    return new StoreError('STORE_UNAVAILABLE', `The store "${path}" is closed: open it again.`);
  }

  /**
   * Group commit. Calls made while the process is busy elsewhere queue up and run together,
   * in call order, at the next turn of the event loop, in ONE write transaction, and every
   * promise settles only once the whole group is committed. A webhook, a worker and the
   * delivery loop each wait a turn at most; the disk sees one commit where it used to see a
   * dozen, which is most of the store's cost.
   *
   * A call that fails is undone alone and rejects alone: calls that write more than once run
   * in a savepoint of their own (better-sqlite3 nests transactions that way); calls that write
   * once, after all their reads, need none (a failed statement changes nothing) and save the
   * savepoint's two statements. Should SQLite give up the whole transaction (it does so on
   * some I/O errors), every call of the group is rejected: none of them was written.
   */
  type Queued = { inGroup: () => unknown; alone: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void };
  let queue: Queued[] = [];
  let flushing = false;
  const group = conn.transaction((calls: Queued[]) =>
    calls.map((c): { ok: true; value: unknown } | { ok: false; error: unknown } => {
      try {
        return { ok: true, value: c.inGroup() };
      } catch (error) {
        if (!conn.inTransaction) throw error;
        return { ok: false, error };
      }
    }),
  );

  function flush(): void {
    flushing = false;
    const calls = queue;
    queue = [];
    if (calls.length === 0) return;
    if (calls.length === 1) {
      const [c] = calls as [Queued];
      try {
        c.resolve(runNow(c.alone, true));
      } catch (error) {
        c.reject(error);
      }
      return;
    }
    let results: ReturnType<typeof group>;
    try {
      results = runNow(() => group.immediate(calls), true);
    } catch (error) {
      for (const c of calls) c.reject(error);
      return;
    }
    results.forEach((r, i) => (r.ok ? calls[i]!.resolve(r.value) : calls[i]!.reject(toStoreError(r.error, path))));
  }

  /**
   * Queues a call: `alone` is how it runs when it is the only one of its turn (in its own
   * IMMEDIATE transaction when it reads before it writes, or writes more than once), `inGroup`
   * how it runs inside the group's transaction (see above).
   */
  function run<T>(inGroup: () => T, alone: () => T = inGroup): Promise<T> {
    if (closed) return Promise.reject(closedError());
    return new Promise<T>((resolve, reject) => {
      queue.push({ inGroup, alone, resolve: resolve as (value: unknown) => void, reject });
      if (!flushing) {
        flushing = true;
        nextTurn(flush);
      }
    });
  }

  function eventsOf(userId: string): InboundRecord[] {
    return q.inboundOfUser.all(userId).map((r) => ({
      key: r.key, userId, pageId: r.page_id, seq: r.seq, receivedAt: r.received_at, event: JSON.parse(r.event),
    }));
  }

  function storedOf(userId: string): StoredConversation {
    return storedConversation(q.getConversation.get(userId));
  }

  function toRecord(r: OutboxRow): OutboxRecord {
    return {
      id: String(r.id), userId: r.user_id, pageId: r.page_id, seq: r.seq,
      recipient: JSON.parse(r.recipient) as Recipient, message: JSON.parse(r.message),
      attempts: r.attempts, notBefore: r.not_before, createdAt: r.created_at,
    };
  }

  /** Now and then (by the callers' `now`), forgets keys older than the window and ended leases. */
  function prune(now: number): void {
    if (now - lastPrune >= PRUNE_EVERY_MS) {
      lastPrune = now;
      q.pruneSeen.run(now - DEDUPE_WINDOW_MS);
      q.pruneLeases.run(now);
    }
  }

  /**
   * What `commit` and `commitNow` write alike: the step's conversation (`rev` + 1), and its
   * replies appended after the person's last reply number `outSeq`.
   */
  function writeStep(userId: string, rev: number, outSeq: number, step: Pick<Commit, 'conversation' | 'outbox'>, now: number): void {
    q.upsertConversation.run(userId, rev + 1, step.conversation.version, JSON.stringify(step.conversation), outSeq + step.outbox.length, now);
    for (const o of step.outbox) q.insertOutbox.run(userId, o.pageId, ++outSeq, JSON.stringify(o.recipient), JSON.stringify(o.message), now, now);
  }

  const addInbound = conn.transaction((events: InboundRecord[], now: number): number => {
    prune(now);
    let added = 0;
    for (const e of events) {
      const event = JSON.stringify(e.event);
      if (q.markSeen.run({ key: e.key, now, forgotten: now - DEDUPE_WINDOW_MS }).changes === 0) continue;
      q.insertInbound.run(e.key, e.userId, e.pageId, e.receivedAt, event);
      added++;
    }
    return added;
  });

  // Reads first, then its one write: see `run`.
  const claimRaw = (userId: string | undefined, owner: string, now: number, leaseMs: number): UserClaim | undefined => {
    const chosen = userId === undefined ? q.firstFreeUser.get({ now })?.user_id : q.userIfFree.get({ userId, now })?.user_id;
    if (chosen === undefined) return undefined;
    const found: UserClaim = { userId: chosen, events: eventsOf(chosen), stored: storedOf(chosen) };
    q.upsertLease.run(chosen, owner, now + leaseMs);
    return found;
  };
  const claim = conn.transaction(claimRaw);

  const commit = conn.transaction((c: Commit, now: number): CommitResult => {
    const held = q.getLease.get(c.userId);
    if (!held || held.owner !== c.owner || held.until <= now) return 'lost-lease';
    const current = q.getConversation.get(c.userId);
    if ((current?.rev ?? 0) !== c.expectedRev) return 'conflict';
    const handled = new Set(c.handled);
    const previous = q.anyTimerOfUser.get(c.userId);
    // Where fired timers reply, and which timers already fired: only worked out when the step
    // sets timers (the person's pending events are read for it).
    let place: ReturnType<typeof derivePlace> | undefined;
    let pendingKeys: Set<string> | undefined;
    if (c.timers.length > 0) {
      const pending = q.inboundKeysOfUser.all(c.userId);
      const handledRows = pending.filter((r) => handled.has(r.seq));
      const last = handledRows[handledRows.length - 1];
      place = derivePlace(
        last ? [{ pageId: last.page_id, event: q.inboundEvent.get(last.seq)?.event ?? '' }] : [],
        c.outbox,
        previous ? { pageId: previous.page_id, recipient: previous.recipient ?? undefined } : undefined,
      );
      pendingKeys = new Set(pending.filter((r) => !handled.has(r.seq)).map((r) => r.key));
    }
    for (const seq of handled) q.deleteInboundOf.run(seq, c.userId);
    writeStep(c.userId, current?.rev ?? 0, current?.out_seq ?? 0, c, now);
    if (previous) q.deleteTimersOfUser.run(c.userId);
    if (place && pendingKeys) {
      for (const t of c.timers) {
        // A timer that already fired (its event waits in inbound) is not armed again.
        if (pendingKeys.has(timerKey(c.userId, t.id))) continue;
        q.upsertTimer.run(c.userId, t.id, t.at, place.pageId, place.recipient ?? null);
      }
    }
    if (c.release) q.releaseLease.run(c.userId, c.owner);
    return 'ok';
  });

  const commitNow = conn.transaction((c: DirectCommit, now: number): DirectResult => {
    const e = c.event;
    const found = q.directCheck.get({ key: e.key, forgotten: now - DEDUPE_WINDOW_MS, userId: e.userId, now })!;
    if (found.seen) return 'duplicate';
    if (found.pending || found.leased || (found.rev ?? 0) !== c.expectedRev) return 'queue';
    prune(now);
    q.markSeen.run({ key: e.key, now, forgotten: now - DEDUPE_WINDOW_MS });
    writeStep(e.userId, found.rev ?? 0, found.out_seq ?? 0, c, now);
    if (found.timers) q.deleteTimersOfUser.run(e.userId);
    // The person had no pending event, so none of these timers has fired already; their
    // events go where this event came from (see derivePlace).
    const recipient = replyTarget(e.event) ?? null;
    for (const t of c.timers) q.upsertTimer.run(e.userId, t.id, t.at, e.pageId, recipient);
    return 'ok';
  });

  const claimOutbox = conn.transaction((owner: string, now: number, leaseMs: number, limit: number): OutboxRecord[] => {
    const rows = q.dueHeads.all({ now, limit: Math.max(0, Math.floor(limit)) });
    for (const r of rows) q.leaseOutbox.run(owner, now + leaseMs, r.id);
    return rows.map(toRecord);
  });

  let lastOwnerPrune = -Infinity;
  const heartbeat = conn.transaction((owner: string, now: number, ttlMs: number): void => {
    if (now - lastOwnerPrune >= PRUNE_EVERY_MS) {
      lastOwnerPrune = now;
      q.pruneOwners.run(now - OWNER_MEMORY_MS);
    }
    q.upsertOwner.run(owner, now + ttlMs);
  });

  // Reads first, then its one write: see `run`.
  const claimOutboxOfRaw = (userId: string, owner: string, now: number, leaseMs: number): OutboxRecord | undefined => {
    const head = q.headOf.get({ userId, now });
    if (!head || head.not_before > now || head.held) return undefined;
    const record = toRecord(head);
    q.leaseOutbox.run(owner, now + leaseMs, head.id);
    return record;
  };
  const claimOutboxOf = conn.transaction(claimOutboxOfRaw);

  const fireDueTimers = conn.transaction((now: number, limit: number): number => {
    const due = q.dueTimers.all(now, Math.max(0, Math.floor(limit)));
    for (const t of due) {
      const recipient = t.recipient === null ? undefined : (JSON.parse(t.recipient) as Recipient);
      const event = JSON.stringify(timerEvent(t.user_id, t.page_id, t.id, t.at, recipient));
      q.insertInbound.run(timerKey(t.user_id, t.id), t.user_id, t.page_id, now, event);
      q.deleteTimer.run(t.user_id, t.id);
    }
    return due.length;
  });

  return {
    addInbound: (events, now) => run(() => addInbound(events, now), () => addInbound.immediate(events, now)),
    claimUser: (owner, now, leaseMs) => run(() => claimRaw(undefined, owner, now, leaseMs), () => claim.immediate(undefined, owner, now, leaseMs)),
    claimGivenUser: (userId, owner, now, leaseMs) => run(() => claimRaw(userId, owner, now, leaseMs), () => claim.immediate(userId, owner, now, leaseMs)),
    releaseUser: (userId, owner) => run(() => void q.releaseLease.run(userId, owner)),
    getConversation: (userId) => run(() => storedOf(userId)),
    commit: (c, now) => run(() => commit(c, now), () => commit.immediate(c, now)),
    commitNow: (c, now) => run(() => commitNow(c, now), () => commitNow.immediate(c, now)),
    claimOutbox: (owner, now, leaseMs, limit) => run(() => claimOutbox(owner, now, leaseMs, limit), () => claimOutbox.immediate(owner, now, leaseMs, limit)),
    claimOutboxOf: (userId, owner, now, leaseMs) => run(() => claimOutboxOfRaw(userId, owner, now, leaseMs), () => claimOutboxOf.immediate(userId, owner, now, leaseMs)),
    ackOutbox: (id) => run(() => void q.deleteOutbox.run(id)),
    retryOutbox: (id, owner, notBefore, attempts) => run(() => void q.retryOutbox.run(notBefore, attempts, id, owner)),
    dropOutbox: (id) => run(() => void q.deleteOutbox.run(id)),
    fireDueTimers: (now, limit) => run(() => fireDueTimers(now, limit), () => fireDueTimers.immediate(now, limit)),
    nextTimerAt: () => run(() => q.nextTimer.get()?.at ?? undefined),
    // A heartbeat waits for another process's write only briefly: while that write lasts,
    // nobody can claim this process's work anyway (claims are writes too), and a long wait
    // would stall this process's event loop for nothing; the next beat comes soon.
    heartbeat: (owner, now, ttlMs) => {
      if (closed) return Promise.reject(closedError());
      try {
        runNow(() => heartbeat.immediate(owner, now, ttlMs), false, Math.min(busyMs, HEARTBEAT_BUSY_MS));
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error);
      }
    },
    retire: (owner, now) => run(() => void q.upsertOwner.run(owner, now)),
    liveOwners: (now) => run(() => q.liveOwners.all(now).map((r) => r.owner)),
    stats: () => run(() => q.stats.get()!),
    ping: () => run(() => void q.ping.get()),
    close: () => {
      if (!closed) {
        flush(); // what was asked before close is carried out
        closed = true;
        conn.close();
      }
      return Promise.resolve();
    },
  };
}
