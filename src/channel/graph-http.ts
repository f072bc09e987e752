/**
 * What the Send API client (`send-api.ts`) and the profile client (`profile.ts`) share to call
 * the Graph API on undici: where the calls go (the origin, and the path prefix made of the
 * Graph URL's own path and the API version), the keep-alive connection pool, the time-stamped
 * `appsecret_proof` query (messenger-protocol.md §6), and which HTTP statuses are worth a retry.
 */
import { Pool } from 'undici';
import { appSecretProof } from './signature.js';

/** Where Graph calls go: connect to `origin`, and start every path with `pathPrefix` (it ends with `/`). */
export interface GraphEndpoint {
  origin: string;
  pathPrefix: string;
}

function trimSlashes(s: string): string {
  return s.replace(/^\/+|\/+$/g, '');
}

/**
 * The endpoint of `graphApiUrl` (a path prefix in it is kept, e.g. a local fake at
 * `http://127.0.0.1:9000/graph`) and `apiVersion` (e.g. `v25.0`; empty for the unversioned
 * path). Slashes around either are ignored.
 */
export function graphEndpoint(graphApiUrl: string, apiVersion: string): GraphEndpoint {
  const base = new URL(graphApiUrl);
  const prefix = [trimSlashes(base.pathname), trimSlashes(apiVersion)].filter((s) => s !== '').join('/');
  return { origin: base.origin, pathPrefix: `/${prefix ? `${prefix}/` : ''}` };
}

/** A keep-alive undici Pool to the Graph host; `timeoutMs` bounds the wait for the headers and for the body. */
export function createGraphPool(origin: string, options: { connections: number; timeoutMs: number }): Pool {
  return new Pool(origin, {
    connections: options.connections,
    keepAliveTimeout: 30_000,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
}

/**
 * A function giving the `appsecret_proof=...&appsecret_time=...` query for the current second
 * of `clock` (epoch ms). The time-stamped proof changes once a second, so it is computed once
 * per second, not per call.
 */
export function createProofQuery(accessToken: string, appSecret: string, clock: () => number): () => string {
  let cache = { second: -1, query: '' };
  return () => {
    const second = Math.floor(clock() / 1000);
    if (cache.second !== second) {
      const proof = appSecretProof(accessToken, appSecret, second);
      cache = { second, query: new URLSearchParams({ appsecret_proof: proof.appsecret_proof, appsecret_time: proof.appsecret_time ?? '' }).toString() };
    }
    return cache.query;
  };
}

/** HTTP statuses that mean "try again later": 5xx, 408 (timeout) and 429 (rate limit). */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}
