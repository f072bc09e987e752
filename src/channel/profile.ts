/**
 * Profile lookups (messenger-protocol.md §7): `GET /{user-id}?fields=...` with got, to
 * personalise replies. A lookup must never hold a reply back: it has a short timeout, one
 * retry at most, answers `undefined` on any failure, and remembers failures briefly so a
 * Graph outage does not slow every event down.
 *
 * Fields: Workplace members expose `first_name, last_name, name, email, title, department,
 * locale` (with the "Read work profile" permission). A Messenger PSID profile is narrower:
 * `first_name, last_name` (plus `profile_pic`; `locale` and others need extra review), so
 * `name` is derived from them there.
 */
import got from 'got';
import type { Profile } from '../engine/types.js';
import { appSecretProof } from './signature.js';

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
  /** Per attempt, ms. Default 2000. */
  timeoutMs?: number;
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
}

export interface ProfileClient {
  /** The person's profile, or undefined when it cannot be had right now. Never throws. */
  get(userId: string): Promise<Profile | undefined>;
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

/** Creates a profile client with a small LRU cache. */
export function createProfileClient(options: ProfileClientOptions): ProfileClient {
  const fields = (options.fields ?? PROFILE_FIELDS[options.platform ?? 'workplace']).join(',');
  const clock = options.clock ?? Date.now;
  const size = options.cacheSize ?? 1000;
  const ttl = options.ttlMs ?? 10 * 60_000;
  const failureTtl = options.failureTtlMs ?? 30_000;
  const base = options.graphApiUrl.replace(/\/+$/, '') + (options.apiVersion ? `/${options.apiVersion.replace(/^\/+|\/+$/g, '')}` : '');
  const cache = new Map<string, { profile: Profile | undefined; until: number }>();
  const inFlight = new Map<string, Promise<Profile | undefined>>();

  function remember(userId: string, profile: Profile | undefined, forMs: number): void {
    cache.delete(userId);
    cache.set(userId, { profile, until: clock() + forMs });
    while (cache.size > size) cache.delete(cache.keys().next().value as string);
  }

  async function lookup(userId: string): Promise<Profile | undefined> {
    const proof = appSecretProof(options.accessToken, options.appSecret, Math.floor(clock() / 1000));
    try {
      const body = await got
        .get(`${base}/${encodeURIComponent(userId)}`, {
          searchParams: { fields, appsecret_proof: proof.appsecret_proof, appsecret_time: proof.appsecret_time ?? '' },
          headers: { authorization: `Bearer ${options.accessToken}` },
          timeout: { request: options.timeoutMs ?? 2000 },
          retry: { limit: 1, backoffLimit: 200, maxRetryAfter: 1000 },
        })
        .json<unknown>();
      const profile = toProfile(userId, body);
      remember(userId, profile, ttl);
      return profile;
    } catch (err) {
      const status = (err as { response?: { statusCode?: number } }).response?.statusCode;
      const reason = status !== undefined ? `HTTP ${status}` : ((err as { code?: string }).code ?? 'network error');
      options.onError?.(userId, reason);
      remember(userId, undefined, failureTtl);
      return undefined;
    }
  }

  return {
    get(userId) {
      if (!/^[A-Za-z0-9_.-]{1,128}$/.test(userId)) return Promise.resolve(undefined);
      const hit = cache.get(userId);
      if (hit && hit.until > clock()) {
        cache.delete(userId);
        cache.set(userId, hit);
        return Promise.resolve(hit.profile);
      }
      const pending = inFlight.get(userId);
      if (pending) return pending;
      const promise = lookup(userId).finally(() => inFlight.delete(userId));
      inFlight.set(userId, promise);
      return promise;
    },
  };
}
