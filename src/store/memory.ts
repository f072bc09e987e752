/**
 * The in-memory store: the same semantics as the SQLite store (dedupe window, leases, per-person
 * order, compare-and-set, head-of-outbox claims, owner liveness, exactly-once timers), nothing durable. For
 * tests and `STORE_URL=memory:` only. Values are kept as JSON text, so a caller can never
 * change stored data through an object it passed in or got back.
 */
import type { Commit, CommitResult, DirectCommit, DirectResult, InboundRecord, OutboxRecord, Recipient, Store, StoredConversation, UserClaim } from './port.js';
import { DEDUPE_WINDOW_MS, OWNER_MEMORY_MS, PRUNE_EVERY_MS, derivePlace, replyTarget, storedConversation, timerEvent, timerKey } from './store-rules.js';
import { StoreError } from './store-error.js';

interface InboundRow { seq: number; key: string; userId: string; pageId: string; receivedAt: number; event: string }
interface ConversationRow { rev: number; format: number; json: string; outSeq: number }
interface OutboxRow {
  id: number; userId: string; pageId: string; seq: number; recipient: string; message: string;
  attempts: number; notBefore: number; leaseOwner?: string; leaseUntil?: number; createdAt: number;
}
interface TimerRow { at: number; pageId: string; recipient?: string }

/** Creates an empty in-memory store (tests and `memory:` only: everything is lost on exit). */
export function createMemoryStore(): Store {
  const seen = new Map<string, number>();
  const inbound = new Map<number, InboundRow>(); // insertion order = seq order
  const conversations = new Map<string, ConversationRow>();
  const leases = new Map<string, { owner: string; until: number }>();
  /** Owner -> alive until (epoch ms), from heartbeats; an owner without one is judged by its leases' ends. */
  const owners = new Map<string, number>();
  const outbox = new Map<number, OutboxRow>(); // insertion order = id order
  const timers = new Map<string, Map<string, TimerRow>>();
  let nextSeq = 1;
  let nextOutboxId = 1;
  let lastPrune = -Infinity;
  let closed = false;

  function open(): void {
    if (closed) throw new StoreError('STORE_UNAVAILABLE', 'The memory store is closed: open a new one.');
  }

  function prune(now: number): void {
    if (now - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = now;
    for (const [key, at] of seen) if (at <= now - DEDUPE_WINDOW_MS) seen.delete(key);
    for (const [userId, lease] of leases) if (lease.until <= now) leases.delete(userId);
    for (const [owner, aliveUntil] of owners) if (aliveUntil <= now - OWNER_MEMORY_MS) owners.delete(owner);
  }

  /** The owner's heartbeat lapsed (or it retired); false for an owner that never sent one. */
  function dead(owner: string | undefined, now: number): boolean {
    const aliveUntil = owner === undefined ? undefined : owners.get(owner);
    return aliveUntil !== undefined && aliveUntil <= now;
  }

  /** A lease that counts: not ended, and its owner not dead. */
  function leased(userId: string, now: number): boolean {
    const lease = leases.get(userId);
    return lease !== undefined && lease.until > now && !dead(lease.owner, now);
  }

  /**
   * What `commit` and `commitNow` write alike: the step's conversation (after `current`, rev
   * + 1) and its replies (already JSON), appended after the person's last reply.
   */
  function writeStep(userId: string, current: ConversationRow | undefined, format: number, json: string, replies: ReadonlyArray<{ pageId: string; recipient: string; message: string }>, now: number): void {
    let outSeq = current?.outSeq ?? 0;
    conversations.set(userId, { rev: (current?.rev ?? 0) + 1, format, json, outSeq: outSeq + replies.length });
    for (const reply of replies) {
      const id = nextOutboxId++;
      outbox.set(id, { id, userId, pageId: reply.pageId, seq: ++outSeq, recipient: reply.recipient, message: reply.message, attempts: 0, notBefore: now, createdAt: now });
    }
  }

  /** Replaces the person's timers (none: forgets them). */
  function setTimers(userId: string, next: Map<string, TimerRow>): void {
    if (next.size > 0) timers.set(userId, next);
    else timers.delete(userId);
  }

  function eventsOf(userId: string): InboundRecord[] {
    const out: InboundRecord[] = [];
    for (const row of inbound.values()) {
      if (row.userId === userId) out.push({ key: row.key, userId, pageId: row.pageId, seq: row.seq, receivedAt: row.receivedAt, event: JSON.parse(row.event) });
    }
    return out;
  }

  function lease(userId: string, owner: string, now: number, leaseMs: number): UserClaim {
    leases.set(userId, { owner, until: now + leaseMs });
    return { userId, events: eventsOf(userId), stored: storedConversation(conversations.get(userId)) };
  }

  /** An outbox record whose lease counts: not ended, and its owner not dead. */
  function held(row: OutboxRow, now: number): boolean {
    return row.leaseUntil !== undefined && row.leaseUntil > now && !dead(row.leaseOwner, now);
  }

  function toRecord(row: OutboxRow): OutboxRecord {
    return {
      id: String(row.id), userId: row.userId, pageId: row.pageId, seq: row.seq,
      recipient: JSON.parse(row.recipient) as Recipient, message: JSON.parse(row.message),
      attempts: row.attempts, notBefore: row.notBefore, createdAt: row.createdAt,
    };
  }

  const store: Store = {
    async addInbound(events, now) {
      open();
      prune(now);
      const rows = events.map((e) => ({ key: e.key, userId: e.userId, pageId: e.pageId, receivedAt: e.receivedAt, event: JSON.stringify(e.event) }));
      let added = 0;
      for (const row of rows) {
        const at = seen.get(row.key);
        if (at !== undefined && at > now - DEDUPE_WINDOW_MS) continue;
        seen.set(row.key, now);
        const seq = nextSeq++;
        inbound.set(seq, { seq, ...row });
        added++;
      }
      return added;
    },

    async claimUser(owner, now, leaseMs) {
      open();
      for (const row of inbound.values()) {
        if (!leased(row.userId, now)) return lease(row.userId, owner, now, leaseMs);
      }
      return undefined;
    },

    async claimGivenUser(userId, owner, now, leaseMs) {
      open();
      if (leased(userId, now)) return undefined;
      for (const row of inbound.values()) if (row.userId === userId) return lease(userId, owner, now, leaseMs);
      return undefined;
    },

    async releaseUser(userId, owner) {
      open();
      if (leases.get(userId)?.owner === owner) leases.delete(userId);
    },

    async getConversation(userId): Promise<StoredConversation> {
      open();
      return storedConversation(conversations.get(userId));
    },

    async commit(commit: Commit, now: number): Promise<CommitResult> {
      open();
      const held = leases.get(commit.userId);
      if (!held || held.owner !== commit.owner || held.until <= now) return 'lost-lease';
      const current = conversations.get(commit.userId);
      if ((current?.rev ?? 0) !== commit.expectedRev) return 'conflict';
      // Everything that can throw happens before the first change: all or nothing.
      const json = JSON.stringify(commit.conversation);
      const replies = commit.outbox.map((o) => ({ pageId: o.pageId, recipient: JSON.stringify(o.recipient), message: JSON.stringify(o.message) }));
      const handled = new Set(commit.handled);
      const handledRows = [...inbound.values()].filter((r) => r.userId === commit.userId && handled.has(r.seq));
      const previous = timers.get(commit.userId);
      const place = derivePlace(
        handledRows.map((r) => ({ pageId: r.pageId, event: r.event })),
        commit.outbox,
        previous ? [...previous.values()][0] : undefined,
      );
      const pendingFired = new Set([...inbound.values()].filter((r) => r.userId === commit.userId && !handled.has(r.seq)).map((r) => r.key));

      for (const row of handledRows) inbound.delete(row.seq);
      writeStep(commit.userId, current, commit.conversation.version, json, replies, now);
      const next = new Map<string, TimerRow>();
      for (const t of commit.timers) {
        if (pendingFired.has(timerKey(commit.userId, t.id))) continue;
        next.set(t.id, { at: t.at, pageId: place.pageId, recipient: place.recipient });
      }
      setTimers(commit.userId, next);
      if (commit.release) leases.delete(commit.userId);
      return 'ok';
    },

    async commitNow(c: DirectCommit, now: number): Promise<DirectResult> {
      open();
      const e = c.event;
      const at = seen.get(e.key);
      if (at !== undefined && at > now - DEDUPE_WINDOW_MS) return 'duplicate';
      const current = conversations.get(e.userId);
      if (leased(e.userId, now) || (current?.rev ?? 0) !== c.expectedRev) return 'queue';
      for (const row of inbound.values()) if (row.userId === e.userId) return 'queue';
      // Everything that can throw happens before the first change: all or nothing.
      const json = JSON.stringify(c.conversation);
      const replies = c.outbox.map((o) => ({ pageId: o.pageId, recipient: JSON.stringify(o.recipient), message: JSON.stringify(o.message) }));
      const recipient = replyTarget(e.event);
      prune(now);
      seen.set(e.key, now);
      writeStep(e.userId, current, c.conversation.version, json, replies, now);
      // No pending event, so none of these timers has fired already (see `commit`).
      setTimers(e.userId, new Map(c.timers.map((t) => [t.id, { at: t.at, pageId: e.pageId, recipient }])));
      return 'ok';
    },

    async claimOutbox(owner, now, leaseMs, limit) {
      open();
      const heads = new Map<string, OutboxRow>();
      for (const row of outbox.values()) {
        const head = heads.get(row.userId);
        if (!head || row.seq < head.seq) heads.set(row.userId, row);
      }
      const due = [...heads.values()]
        .filter((r) => r.notBefore <= now && !held(r, now))
        .sort((a, b) => a.id - b.id)
        .slice(0, Math.max(0, limit));
      for (const row of due) { row.leaseOwner = owner; row.leaseUntil = now + leaseMs; }
      return due.map(toRecord);
    },

    async claimOutboxOf(userId, owner, now, leaseMs) {
      open();
      let head: OutboxRow | undefined;
      for (const row of outbox.values()) if (row.userId === userId && (!head || row.seq < head.seq)) head = row;
      if (!head || head.notBefore > now || held(head, now)) return undefined;
      head.leaseOwner = owner;
      head.leaseUntil = now + leaseMs;
      return toRecord(head);
    },

    async ackOutbox(id) {
      open();
      outbox.delete(Number(id));
    },

    async retryOutbox(id, owner, notBefore, attempts) {
      open();
      const row = outbox.get(Number(id));
      if (!row || row.leaseOwner !== owner) return;
      Object.assign(row, { notBefore, attempts, leaseOwner: undefined, leaseUntil: undefined });
    },

    async dropOutbox(id) {
      open();
      outbox.delete(Number(id));
    },

    async fireDueTimers(now, limit) {
      open();
      const due: Array<{ userId: string; id: string; row: TimerRow }> = [];
      for (const [userId, set] of timers) for (const [id, row] of set) if (row.at <= now) due.push({ userId, id, row });
      due.sort((a, b) => a.row.at - b.row.at || cmp(a.userId, b.userId) || cmp(a.id, b.id));
      const fired = due.slice(0, Math.max(0, limit));
      for (const { userId, id, row } of fired) {
        const seq = nextSeq++;
        const recipient = row.recipient === undefined ? undefined : (JSON.parse(row.recipient) as Recipient);
        inbound.set(seq, { seq, key: timerKey(userId, id), userId, pageId: row.pageId, receivedAt: now, event: JSON.stringify(timerEvent(userId, row.pageId, id, row.at, recipient)) });
        const set = timers.get(userId)!;
        set.delete(id);
        if (set.size === 0) timers.delete(userId);
      }
      return fired.length;
    },

    async nextTimerAt() {
      open();
      let min: number | undefined;
      for (const set of timers.values()) for (const row of set.values()) if (min === undefined || row.at < min) min = row.at;
      return min;
    },

    async heartbeat(owner, now, ttlMs) {
      open();
      prune(now);
      owners.set(owner, now + ttlMs);
    },

    async retire(owner, now) {
      open();
      owners.set(owner, now);
    },

    async liveOwners(now) {
      open();
      return [...owners].filter(([, aliveUntil]) => aliveUntil > now).map(([owner]) => owner);
    },

    async stats() {
      open();
      let timerCount = 0;
      for (const set of timers.values()) timerCount += set.size;
      return { inbound: inbound.size, outbox: outbox.size, timers: timerCount };
    },

    async ping() {
      open();
    },

    async close() {
      closed = true;
    },
  };
  return store;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
