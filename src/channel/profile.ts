/**
 * Profile lookups (messenger-protocol.md §7): `GET /{user-id}?fields=...` on a keep-alive undici
 * `Pool` (as the Send API does; it runs once per new person on the webhook path), to
 * personalise replies. A lookup must never hold a reply back: it has a short timeout per attempt
 * (headers and body), one retry at most (network errors, 5xx, 408, 429; after 100-200 ms, or
 * after `Retry-After` when that is at most 1 s, and none when it is longer), answers `undefined`
 * on any failure, and remembers failures briefly so a Graph outage does not slow every event
 * down. Every answer's body is read to its end, so that the connection goes back to the pool.
 *
 * Fields: Workplace members expose `first_name, last_name, name, email, title, department,
 * locale` (with the "Read work profile" permission). A Messenger PSID profile is narrower:
 * `first_name, last_name` (plus `profile_pic`; `locale` and others need extra review), so
 * `name` is derived from them there.
 */
import type { Profile } from '../engine/types.js';
import { createGraphPool, createProofQuery, graphEndpoint, isRetryableStatus } from './graph-http.js';
import { createLru } from '../store/lru.js';

export interface ProfileClientOptions {
  graphApiUrl: string;
  /** e.g. `v25.0`; empty for the unversioned path. */
  apiVersion: string;
  accessToken: string;
  appSecret: string;
  /** Which default field list to ask for. Default `workplace`. */
  platform?: 'workplace' | 'messenger';
  /** Overrides the default field list. */
  fields?: string[];
  /** Per attempt (waiting for a connection, the headers and the whole body), ms. Default 2000. */
  timeoutMs?: number;
  /** Keep-alive connections to the Graph host. Default 32. */
  connections?: number;
  /** Profiles kept in memory (least recently used go first). Default 1000. */
  cacheSize?: number;
  /** How long a profile is kept, ms. Default 10 minutes. */
  ttlMs?: number;
  /** How long a failed lookup is not repeated, ms. Default 30 s. */
  failureTtlMs?: number;
  /** Epoch ms. Default `Date.now`. */
  clock?: () => number;
  /** Told about failures (without tokens). */
  onError?: (userId: string, reason: string) => void;
  /** Waits before the retry. Default: a real timer (tests pass one that records the pause). */
  sleep?: (ms: number) => Promise<void>;
}

export interface ProfileClient {
  /** The person's profile, or undefined when it cannot be had right now. Never throws. */
  get(userId: string): Promise<Profile | undefined>;
  /** Closes the pooled connections (waits for requests in flight). */
  close(): Promise<void>;
}

/** The fields asked for by default, per platform. */
export const PROFILE_FIELDS = {
  workplace: ['first_name', 'last_name', 'name', 'email', 'title', 'department', 'locale'],
  messenger: ['first_name', 'last_name'],
} as const;

const KEYS = ['name', 'first_name', 'last_name', 'email', 'title', 'department', 'locale'] as const;

/** Keeps only the known string fields of a Graph answer. */
export function toProfile(userId: string, body: unknown): Profile {
  const profile: Profile = { id: userId };
  if (typeof body !== 'object' || body === null) return profile;
  const record = body as Record<string, unknown>;
  for (const key of KEYS) {
    const value = Object.hasOwn(record, key) ? record[key] : undefined;
    if (typeof value === 'string') profile[key] = value;
  }
  if (profile.name === undefined && (profile.first_name || profile.last_name)) {
    profile.name = [profile.first_name, profile.last_name].filter(Boolean).join(' ');
  }
  return profile;
}

/** The pause before the one retry: 100-200 ms. */
const RETRY_MIN_MS = 100;
const RETRY_JITTER_MS = 100;
/** The longest `Retry-After` waited for; a longer one means no retry (as got's `maxRetryAfter`). */
const MAX_RETRY_AFTER_MS = 1000;

/** Network failures a second attempt cannot cure: the pool is closed, or the request is wrong. */
const FINAL_ERROR_CODES: ReadonlySet<string> = new Set(['UND_ERR_CLOSED', 'UND_ERR_DESTROYED', 'UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED']);

/** What one attempt came to. `retryInMs` is set when another attempt is worth it. */
type Attempt = { ok: true; profile: Profile } | { ok: false; reason: string; retryInMs?: number };

function retryPause(): number {
  return RETRY_MIN_MS + Math.random() * RETRY_JITTER_MS;
}

/**
 * The pause before retrying an HTTP answer, read as got does: `Retry-After` in seconds or as an
 * HTTP date (one already past: 1 ms); longer than a second: no retry (undefined); absent, zero
 * or unreadable: the usual short pause.
 */
export function retryDelayAfter(retryAfter: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(retryAfter) ? retryAfter[0] : retryAfter;
  if (value === undefined) return retryPause();
  const seconds = Number(value);
  const ms = Number.isNaN(seconds) ? Math.max(Date.parse(value) - now, 1) : seconds * 1000;
  if (!(ms > 0)) return retryPause();
  return ms > MAX_RETRY_AFTER_MS ? undefined : ms;
}

/** The code of a network failure, readable: `ECONNREFUSED`, `ECONNRESET`, `ETIMEDOUT`... */
export function networkErrorCode(err: unknown): string {
  const e = err as { code?: unknown; errors?: unknown } | null | undefined;
  let code = typeof e?.code === 'string' ? e.code : undefined;
  // Node's happy-eyeballs connect gathers one failure per address.
  if (code === undefined && Array.isArray(e?.errors)) code = (e.errors as { code?: unknown }[]).map((x) => x?.code).find((c): c is string => typeof c === 'string');
  switch (code) {
    case undefined:
      return 'network error';
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return 'ETIMEDOUT';
    case 'UND_ERR_SOCKET': // the other side closed the connection
      return 'ECONNRESET';
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_DESTROYED':
      return 'client closed';
    default:
      return code;
  }
}

/** Creates a profile client on a keep-alive undici Pool, with a small LRU cache. */
export function createProfileClient(options: ProfileClientOptions): ProfileClient {
  const fields = (options.fields ?? PROFILE_FIELDS[options.platform ?? 'workplace']).join(',');
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const size = options.cacheSize ?? 1000;
  const ttl = options.ttlMs ?? 10 * 60_000;
  const failureTtl = options.failureTtlMs ?? 30_000;
  const timeout = options.timeoutMs ?? 2000;
  const { origin, pathPrefix } = graphEndpoint(options.graphApiUrl, options.apiVersion);
  const fieldsQuery = new URLSearchParams({ fields }).toString();
  const headers = { authorization: `Bearer ${options.accessToken}`, accept: 'application/json' };
  // The per-attempt timer below bounds the whole attempt; the pool's timeouts only back it up.
  const pool = createGraphPool(origin, { connections: options.connections ?? 32, timeoutMs: timeout });
  const proofQuery = createProofQuery(options.accessToken, options.appSecret, clock);
  let closing: Promise<void> | undefined;
  const cache = createLru<{ profile: Profile | undefined; until: number }>(size);
  const inFlight = new Map<string, Promise<Profile | undefined>>();

  function remember(userId: string, profile: Profile | undefined, forMs: number): void {
    cache.set(userId, { profile, until: clock() + forMs });
  }

  /**
   * One GET, bounded by `timeout` as a whole. Its body is read to the end, so the connection
   * serves the next lookup; undici drops the connection instead on a timeout, or when an error
   * answer is longer than 128 KiB.
   */
  async function attempt(userId: string, path: string): Promise<Attempt> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(Object.assign(new Error(`no answer within ${timeout} ms`), { code: 'ETIMEDOUT' })), timeout);
    try {
      let status: number;
      let text: string;
      try {
        const response = await pool.request({ method: 'GET', path, headers, signal: controller.signal });
        status = response.statusCode;
        if (status < 200 || status >= 300) {
          // Read (up to undici's limit) so the connection can serve the next lookup.
          await response.body.dump().catch(() => undefined);
          return { ok: false, reason: `HTTP ${status}`, retryInMs: isRetryableStatus(status) ? retryDelayAfter(response.headers['retry-after']) : undefined };
        }
        text = await response.body.text();
      } catch (err) {
        const code = (err as { code?: unknown } | null)?.code;
        return { ok: false, reason: networkErrorCode(err), retryInMs: typeof code === 'string' && FINAL_ERROR_CODES.has(code) ? undefined : retryPause() };
      }
      let body: unknown;
      try {
        // An empty body reads as no fields (as got's `.json()` did).
        body = text === '' ? '' : JSON.parse(text);
      } catch {
        return { ok: false, reason: 'invalid JSON' };
      }
      return { ok: true, profile: toProfile(userId, body) };
    } finally {
      clearTimeout(timer);
    }
  }

  async function lookup(userId: string): Promise<Profile | undefined> {
    const path = `${pathPrefix}${encodeURIComponent(userId)}?${fieldsQuery}&${proofQuery()}`;
    let outcome = await attempt(userId, path);
    if (!outcome.ok && outcome.retryInMs !== undefined) {
      await sleep(outcome.retryInMs);
      outcome = await attempt(userId, path);
    }
    if (outcome.ok) {
      remember(userId, outcome.profile, ttl);
      return outcome.profile;
    }
    try {
      options.onError?.(userId, outcome.reason);
    } catch {
      // A failing listener must not make a lookup throw.
    }
    remember(userId, undefined, failureTtl);
    return undefined;
  }

  return {
    get(userId) {
      // `.` and `..` would be read as path segments, not ids.
      if (!/^[A-Za-z0-9_.-]{1,128}$/.test(userId) || userId === '.' || userId === '..') return Promise.resolve(undefined);
      const hit = cache.get(userId);
      if (hit && hit.until > clock()) return Promise.resolve(hit.profile);
      const pending = inFlight.get(userId);
      if (pending) return pending;
      const promise = lookup(userId).finally(() => inFlight.delete(userId));
      inFlight.set(userId, promise);
      return promise;
    },
    close() {
      closing ??= pool.close();
      return closing;
    },
  };
}
