/**
 * The HTTP port the server and `flow chat` use for `call` states, on got: timeouts, one retry
 * for idempotent methods (GET, PUT, DELETE) on network errors and 502/503/504 and none for
 * POST and PATCH, the `Idempotency-Key` header, a `json` or `form` body, and an answer parsed
 * as JSON when it is JSON, else kept as text — behind a guard that a URL built at run time
 * cannot get around.
 *
 * - The host (and port) must be in bot.yaml's `call_allow` (`host` for any port, `host:port`
 *   for that port), the same rule `flow validate` applies to URLs it can read statically.
 * - Only `http:` and `https:`. IP addresses written in decimal, octal or hex are normalised
 *   by the URL parser first, so `http://2130706433/` is judged as `127.0.0.1`.
 * - Host names are resolved before connecting and every address is checked: loopback,
 *   private, link-local, unspecified and other non-public ranges (IPv4 and IPv6, IPv4-mapped
 *   included) are refused unless call_allow lists the address itself (e.g. `10.1.2.3` or
 *   `127.0.0.1:8080`), or the host is `localhost` (or `*.localhost`) and the address is a
 *   loopback one. The connection then uses exactly the checked addresses (no second DNS
 *   answer, so DNS rebinding cannot swap in another address).
 * - Redirects (at most 3) are checked the same way before they are followed.
 * - The answer is read up to `maxResponseBytes` (default 1 MiB, never decompressed), and the
 *   whole call, retry included, ends within the request's `timeoutMs`.
 *
 * A refusal is a call error like any other, `{ status: 0, error }`, whose message names the
 * host and how to allow it, so the flow's `on_error` runs. Messages name the origin
 * (`https://host:port`) only, never the path or query, which may carry values from `env`.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { LookupFunction } from 'node:net';
import got, { type Method } from 'got';
import type { HttpPort } from '../engine/drive.js';
import type { CallRequest } from '../engine/types.js';
import { addressRefusal, origin, parseCallUrl, targetRefusal } from './call-target.js';

/** The largest answer body read by default (1 MiB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

/** An answer body: parsed JSON when it is JSON, else text; undefined when empty. */
export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  if ((contentType ?? '').includes('json') || /^\s*[[{"]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** One address a host name resolves to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to all its addresses (the system resolver by default). */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface GuardedHttpOptions {
  /** bot.yaml's `call_allow`, or a getter for it (the flows may be reloaded while running). */
  allow: readonly string[] | (() => readonly string[]);
  /** The largest answer read (default 1 MiB); a larger one is a call error. */
  maxResponseBytes?: number;
  /** Replaces the system resolver (tests). */
  lookup?: HostResolver;
}

const IDEMPOTENT = new Set(['GET', 'PUT', 'DELETE', 'HEAD', 'OPTIONS']);
const MAX_REDIRECTS = 3;

const systemResolver: HostResolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));


/** Per call: the URL being fetched (it changes on redirects) and why it was refused, if it was. */
interface CallState {
  url: URL;
  refusal?: string;
}

/** A `dns.lookup`-shaped function that resolves, refuses non-public addresses, and returns only the checked ones. */
function guardedLookup(state: CallState, allow: readonly string[], resolver: HostResolver): LookupFunction {
  return ((hostname: string, options: unknown, callback?: unknown) => {
    const cb = (typeof options === 'function' ? options : callback) as (err: Error | null, address?: unknown, family?: number) => void;
    const opts = (typeof options === 'object' && options !== null ? options : { family: typeof options === 'number' ? options : 0 }) as { family?: number | string; all?: boolean };
    const family = opts.family === 'IPv4' || opts.family === 4 ? 4 : opts.family === 'IPv6' || opts.family === 6 ? 6 : 0;
    resolver(hostname).then(
      (found) => {
        const usable: ResolvedAddress[] = [];
        for (const a of found) {
          if (family !== 0 && a.family !== family) continue;
          const why = addressRefusal(state.url, a.address, allow);
          if (why === undefined) usable.push(a);
          else state.refusal ??= why;
        }
        if (usable.length === 0) {
          const err = Object.assign(new Error(state.refusal ?? `${hostname} has no address`), { code: state.refusal ? 'FLOW_CALL_REFUSED' : 'ENOTFOUND' });
          return cb(err);
        }
        state.refusal = undefined;
        if (opts.all) cb(null, usable);
        else cb(null, usable[0]!.address, usable[0]!.family);
      },
      (err: Error) => cb(err),
    );
  }) as LookupFunction;
}

function describeFailure(error: unknown, url: URL, timeoutMs: number, timedOut: boolean): string {
  const e = error as { code?: string; name?: string; message?: string };
  if (timedOut || e?.name === 'TimeoutError' || e?.code === 'ETIMEDOUT') return `No answer from ${origin(url)} within ${timeoutMs} ms.`;
  if (e?.code === 'ENOTFOUND' || e?.code === 'EAI_AGAIN') return `The host ${url.hostname} could not be found. Check the url of the call.`;
  if (e?.code === 'ECONNREFUSED') return `${origin(url)} refused the connection.`;
  if (e?.name === 'MaxRedirectsError') return `${origin(url)} redirected more than ${MAX_REDIRECTS} times; the call was stopped.`;
  return `The request to ${origin(url)} failed: ${e?.message ?? String(error)}`;
}

/** Creates the guarded HTTP port (see the module comment). It never throws. */
export function createGuardedHttp(options: GuardedHttpOptions): HttpPort {
  const max = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const allowOf = typeof options.allow === 'function' ? options.allow : () => options.allow as readonly string[];
  const resolver = options.lookup ?? systemResolver;
  // Our own agents, without keep-alive: every connection goes through the guarded lookup.
  const agent = { http: new HttpAgent({ keepAlive: false }), https: new HttpsAgent({ keepAlive: false }) };
  return {
    async request(req: CallRequest) {
      const allow = [...allowOf()];
      const target = parseCallUrl(req.url, allow);
      if ('refusal' in target) return { status: 0, error: target.refusal };
      const url = target.url;
      // `query:` adds to the url's own query string (got's searchParams would replace it).
      for (const [name, value] of Object.entries(req.query ?? {})) url.searchParams.append(name, value);
      const state: CallState = { url };
      const method = req.method.toUpperCase();
      const deadline = AbortSignal.timeout(Math.max(1, req.timeoutMs));
      let tooLarge = false;
      try {
        const promise = got(url, {
          method: method as Method,
          headers: { ...req.headers, 'idempotency-key': req.idempotencyKey, 'accept-encoding': 'identity' },
          json: req.json,
          form: req.form,
          timeout: { request: req.timeoutMs },
          signal: deadline,
          retry: { limit: IDEMPOTENT.has(method) ? 1 : 0, methods: [...IDEMPOTENT] as Method[], statusCodes: [502, 503, 504] },
          throwHttpErrors: false,
          followRedirect: true,
          maxRedirects: MAX_REDIRECTS,
          decompress: false,
          agent,
          dnsLookup: guardedLookup(state, allow, resolver),
          responseType: 'buffer',
          hooks: {
            beforeRedirect: [
              (next) => {
                const to = next.url instanceof URL ? next.url : new URL(String(next.url));
                const why = targetRefusal(to, allow);
                if (why) {
                  state.refusal = `${origin(state.url)} redirected the call elsewhere, and ${why.charAt(0).toLowerCase()}${why.slice(1)}`;
                  throw Object.assign(new Error(state.refusal), { code: 'FLOW_CALL_REFUSED' });
                }
                state.url = to;
              },
            ],
          },
        });
        promise.on('downloadProgress', (p: { transferred: number; total?: number }) => {
          if ((p.transferred > max || (p.total ?? 0) > max) && !tooLarge) {
            tooLarge = true;
            promise.cancel();
          }
        });
        const res = await promise;
        return { status: res.statusCode, body: parseBody(res.body, res.headers['content-type']) };
      } catch (error) {
        if (tooLarge) return { status: 0, error: `The answer from ${origin(state.url)} is larger than ${max} bytes; it was not read.` };
        if (state.refusal) return { status: 0, error: state.refusal };
        return { status: 0, error: describeFailure(error, state.url, req.timeoutMs, deadline.aborted) };
      }
    },
  };
}
