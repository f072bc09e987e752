/**
 * The shared store for several server processes: Redis (ioredis). Every method that reads and
 * writes is one Lua script (src/store/redis-scripts.ts), so it runs atomically in Redis; the
 * semantics are those of the SQLite and memory stores (the contract suite checks all three).
 * Times are the callers' `now`; see docs/deployment.md ("How the Redis store works").
 */
import { Redis } from 'ioredis';
import type { TimerSpec } from '../engine/types.js';
import type { Commit, CommitResult, DirectCommit, DirectResult, InboundRecord, OutboxRecord, Recipient, Store, StoredConversation, UserClaim } from './port.js';
import { REDIS_SCRIPTS, type RedisScriptName } from './redis-scripts.js';
import { DEDUPE_WINDOW_MS, OWNER_MEMORY_MS, replyTarget, storedConversation, timerKey } from './store-rules.js';
import { StoreError } from './store-error.js';

/** The layout of the data under the prefix; a newer layout is refused, never misread. */
export const REDIS_DATA_FORMAT = 1;
/** Extra life of a lease key after its lease ends: the TTL only collects leases a crashed process left. */
const LEASE_GARBAGE_MS = 60_000;

/** Options of `openRedisStore`. */
export interface RedisStoreOptions {
  /** Prefix of every key (default `fs:`): several Flowstate installations may share one Redis. */
  prefix?: string;
  /** Epoch-ms clock, used only to date the data's creation (the port's methods take `now`). */
  clock?: () => number;
  /** How long to wait for a connection before failing (ms, default 3000). */
  connectTimeoutMs?: number;
  /** How long one command may take before failing (ms, default 5000). */
  commandTimeoutMs?: number;
}

/** `url` without user name and password, for messages and logs. */
export function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return 'the Redis URL in STORE_URL (it is not a valid URL)';
  }
}

/**
 * Maps a failure of Redis at `where` to a `StoreError`; errors that are bugs (a script error,
 * a wrong argument) pass through unchanged.
 */
export function toRedisStoreError(error: unknown, where: string): unknown {
  if (error instanceof StoreError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  const at = `The Redis store at ${where}`;
  const replyError = (error as { name?: unknown } | null)?.name === 'ReplyError';
  if (/^OOM\b/.test(detail)) {
    return new StoreError('STORE_FULL', `${at} is full (it reached its maxmemory limit). Give Redis more memory or raise maxmemory; nothing was half-written. (${detail})`, { cause: error });
  }
  if (/^READONLY\b/.test(detail)) {
    return new StoreError('STORE_READONLY', `${at} is a read-only replica. Point STORE_URL at the primary. (${detail})`, { cause: error });
  }
  if (/^(NOAUTH|WRONGPASS|NOPERM)\b/.test(detail)) {
    return new StoreError('STORE_UNAVAILABLE', `${at} refused Flowstate's login. Check the user name and password in STORE_URL (redis://user:password@host:port/db). (${detail})`, { cause: error });
  }
  if (/^(LOADING|BUSY|MASTERDOWN|MISCONF|TRYAGAIN|CLUSTERDOWN)\b/.test(detail)) {
    return new StoreError('STORE_UNAVAILABLE', `${at} cannot serve requests right now. Check the Redis server's log. (${detail})`, { cause: error });
  }
  if (replyError) return error;
  return new StoreError('STORE_UNAVAILABLE', `${at} cannot be reached (${detail}). Check that Redis runs there and that STORE_URL is right.`, { cause: error });
}

type ScriptCall = (...args: Array<string | number>) => Promise<unknown>;

/** An outbox record from a claim script's row. */
function outboxRecord([id, userId, pageId, seq, recipient, message, attempts, notBefore, createdAt]: string[]): OutboxRecord {
  return {
    id: id!, userId: userId!, pageId: pageId!, seq: Number(seq),
    recipient: JSON.parse(recipient!) as Recipient, message: JSON.parse(message!),
    attempts: Number(attempts), notBefore: Number(notBefore), createdAt: Number(createdAt),
  };
}

/** A stored conversation from the `rev`, `fmt` and `json` fields of its hash (all null when there is none). */
function storedOf([rev, format, json]: Array<string | null | undefined>): StoredConversation {
  return storedConversation(rev === null || rev === undefined ? undefined : { rev: Number(rev), format: Number(format), json: json ?? '' });
}

/**
 * Connects to Redis at `url` (`redis://[user:password@]host:port/db`, or `rediss://` for TLS)
 * and returns the store. Throws a `StoreError` naming the URL (without password) when Redis
 * cannot be reached or holds data of a newer Flowstate.
 */
export async function openRedisStore(url: string, options: RedisStoreOptions = {}): Promise<Store> {
  const where = describeRedisUrl(url);
  const prefix = options.prefix ?? 'fs:';
  const clock = options.clock ?? Date.now;
  let redis: Redis;
  try {
    redis = new Redis(url, {
      lazyConnect: true,
      // Fail fast when Redis is down, so that the webhook can answer 503 and the platform retries.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: options.connectTimeoutMs ?? 3000,
      commandTimeout: options.commandTimeoutMs ?? 5000,
      retryStrategy: (times) => Math.min(100 * times, 2000),
    });
  } catch (error) {
    throw new StoreError('STORE_UNAVAILABLE', `STORE_URL names a Redis store that cannot be used (${(error as Error).message}). Use redis://host:port/db.`, { cause: error });
  }
  // Connection errors are reported by the calls that fail; without a listener ioredis prints them.
  redis.on('error', () => undefined);
  for (const [name, lua] of Object.entries(REDIS_SCRIPTS)) redis.defineCommand(name, { numberOfKeys: 0, lua });
  try {
    await redis.connect();
    await checkFormat(redis, prefix, where, clock());
  } catch (error) {
    redis.disconnect();
    const mapped = toRedisStoreError(error, where);
    throw mapped instanceof StoreError ? mapped : new StoreError('STORE_UNAVAILABLE', `The Redis store at ${where} cannot be opened: ${(error as Error).message}`, { cause: error });
  }
  return createRedisStore(redis, prefix, where);
}

async function checkFormat(redis: Redis, prefix: string, where: string, now: number): Promise<void> {
  const meta = `${prefix}meta`;
  await redis.hsetnx(meta, 'created', String(now));
  await redis.hsetnx(meta, 'format', String(REDIS_DATA_FORMAT));
  const format = Number(await redis.hget(meta, 'format'));
  if (format > REDIS_DATA_FORMAT) {
    throw new StoreError('STORE_UNAVAILABLE', `The Redis store at ${where} (keys "${prefix}*") has data format ${format}, written by a newer Flowstate; this version reads format ${REDIS_DATA_FORMAT}. Upgrade Flowstate, or point STORE_URL at another database.`);
  }
}

function createRedisStore(redis: Redis, prefix: string, where: string): Store {
  let closed = false;

  async function run<T>(work: () => Promise<T>): Promise<T> {
    if (closed) throw new StoreError('STORE_UNAVAILABLE', `The Redis store at ${where} is closed: open it again.`);
    try {
      return await work();
    } catch (error) {
      throw toRedisStoreError(error, where);
    }
  }

  function script(name: RedisScriptName, ...args: Array<string | number>): Promise<unknown> {
    return (redis as unknown as Record<RedisScriptName, ScriptCall>)[name](prefix, ...args);
  }

  function toClaim(reply: unknown): UserClaim | undefined {
    if (!Array.isArray(reply)) return undefined;
    const [userId, flat, conv] = reply as [string, string[], Array<string | null>];
    const events: InboundRecord[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      const [key, pageId, receivedAt, , event] = JSON.parse(flat[i + 1]!) as [string, string, string, string, string];
      events.push({ key, userId, pageId, seq: Number(flat[i]), receivedAt: Number(receivedAt), event: JSON.parse(event) });
    }
    events.sort((a, b) => a.seq! - b.seq!);
    return { userId, events, stored: storedOf(conv) };
  }

  /** The timers' script arguments: how many, then id, at and inbound key of each. */
  function timerArgs(userId: string, timers: readonly TimerSpec[]): string[] {
    const args = [String(timers.length)];
    for (const t of timers) {
      if (!Number.isFinite(t.at)) throw new TypeError(`commit: timer "${t.id}" of ${userId} has no valid time (at = ${t.at})`);
      args.push(t.id, String(t.at), timerKey(userId, t.id));
    }
    return args;
  }

  function claim(userId: string, owner: string, now: number, leaseMs: number): Promise<UserClaim | undefined> {
    return run(async () => toClaim(await script('fsClaimUser', now, now + leaseMs, owner, Math.max(1, leaseMs + LEASE_GARBAGE_MS), userId)));
  }

  return {
    addInbound: (events, now) =>
      run(async () => {
        if (events.length === 0) return 0;
        const args: string[] = [];
        for (const e of events) {
          args.push(e.key, e.userId, JSON.stringify([e.key, e.pageId, String(e.receivedAt), replyTarget(e.event) ?? '', JSON.stringify(e.event)]));
        }
        return Number(await script('fsAddInbound', now, DEDUPE_WINDOW_MS, events.length, ...args));
      }),

    claimUser: (owner, now, leaseMs) => claim('', owner, now, leaseMs),
    claimGivenUser: (userId, owner, now, leaseMs) => claim(userId, owner, now, leaseMs),
    releaseUser: (userId, owner) => run(async () => void (await script('fsReleaseUser', userId, owner))),

    getConversation: (userId) =>
      run(async () => storedOf(await redis.hmget(`${prefix}conv:{${userId}}`, 'rev', 'fmt', 'json'))),

    commit: (c: Commit, now: number) =>
      run(async (): Promise<CommitResult> => {
        // Everything that can throw happens before the script runs: all or nothing.
        const args: Array<string | number> = [c.userId, c.owner, now, c.expectedRev, c.conversation.version, JSON.stringify(c.conversation)];
        args.push(c.handled.length, ...c.handled.map(String), c.outbox.length);
        for (const o of c.outbox) args.push(o.pageId, JSON.stringify(o.recipient), JSON.stringify(o.message));
        args.push(...timerArgs(c.userId, c.timers));
        args.push(c.release ? '1' : '0');
        return (await script('fsCommit', ...args)) as CommitResult;
      }),

    commitNow: (c: DirectCommit, now: number) =>
      run(async (): Promise<DirectResult> => {
        // Everything that can throw happens before the script runs: all or nothing.
        const e = c.event;
        const args: Array<string | number> = [e.userId, now, c.expectedRev, c.conversation.version, JSON.stringify(c.conversation), e.key, DEDUPE_WINDOW_MS, e.pageId, replyTarget(e.event) ?? ''];
        args.push(c.outbox.length);
        for (const o of c.outbox) args.push(o.pageId, JSON.stringify(o.recipient), JSON.stringify(o.message));
        args.push(...timerArgs(e.userId, c.timers));
        return (await script('fsCommitNow', ...args)) as DirectResult;
      }),

    claimOutbox: (owner, now, leaseMs, limit) =>
      run(async () => {
        const max = Math.max(0, Math.floor(limit));
        if (max === 0) return [];
        const rows = (await script('fsClaimOutbox', now, now + leaseMs, owner, max)) as string[][];
        return rows.map(outboxRecord);
      }),
    claimOutboxOf: (userId, owner, now, leaseMs) =>
      run(async () => {
        const row = (await script('fsClaimOutboxOf', userId, now, now + leaseMs, owner)) as string[];
        return row.length > 0 ? outboxRecord(row) : undefined;
      }),
    ackOutbox: (id) => run(async () => void (await script('fsRemoveOutbox', id))),
    retryOutbox: (id, owner, notBefore, attempts) => run(async () => void (await script('fsRetryOutbox', id, owner, notBefore, attempts))),
    dropOutbox: (id) => run(async () => void (await script('fsRemoveOutbox', id))),

    fireDueTimers: (now, limit) =>
      run(async () => {
        const max = Math.max(0, Math.floor(limit));
        return max === 0 ? 0 : Number(await script('fsFireTimers', now, max));
      }),
    nextTimerAt: () =>
      run(async () => {
        const first = (await script('fsNextTimer')) as string | null;
        return first === null ? undefined : Number(first);
      }),

    heartbeat: (owner, now, ttlMs) => run(async () => void (await script('fsHeartbeat', owner, now + ttlMs, now - OWNER_MEMORY_MS))),
    // A retired owner is recorded as dead since `now`; it is forgotten like any dead owner.
    retire: (owner, now) => run(async () => void (await redis.zadd(`${prefix}owners`, now, owner))),
    liveOwners: (now) => run(() => redis.zrangebyscore(`${prefix}owners`, `(${now}`, '+inf')),

    stats: () =>
      run(async () => {
        const [inbound, outbox, timers] = (await script('fsStats')) as number[];
        return { inbound: Number(inbound), outbox: Number(outbox), timers: Number(timers) };
      }),
    ping: () => run(async () => void (await redis.ping())),
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        await redis.quit();
      } catch {
        redis.disconnect();
      }
    },
  };
}
