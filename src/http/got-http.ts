/**
 * The HTTP port of the engine (`HttpPort`), implemented with got. It never throws: network
 * errors, timeouts and oversized answers come back as `{ status: 0, error }` with a message a
 * flow author can read; HTTP errors come back with their status.
 *
 * - Timeout: the request's `timeoutMs` (from the state's `timeout`, default 10s).
 * - Retries: one retry for idempotent methods (GET, PUT, DELETE) on network errors and
 *   502/503/504; none for POST and PATCH.
 * - `Idempotency-Key` header from the request (derived from the conversation and event).
 * - Body: `json` as JSON, or `form` URL-encoded. Answer: parsed as JSON when it is JSON,
 *   else kept as text; at most `maxResponseBytes` (default 1 MiB).
 */
import got, { type Method } from 'got';
import type { HttpPort } from '../engine/drive.js';
import type { CallRequest } from '../engine/types.js';

/** The largest answer body read by default (1 MiB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

const IDEMPOTENT = new Set(['GET', 'PUT', 'DELETE', 'HEAD', 'OPTIONS']);

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

function describeError(error: unknown, req: CallRequest): string {
  const e = error as { code?: string; name?: string; message?: string };
  if (e?.name === 'TimeoutError' || e?.code === 'ETIMEDOUT') return `No answer from ${req.url} within ${req.timeoutMs} ms.`;
  if (e?.code === 'ENOTFOUND') return `The host of ${req.url} could not be found.`;
  if (e?.code === 'ECONNREFUSED') return `${req.url} refused the connection.`;
  return `The request to ${req.url} failed: ${e?.message ?? String(error)}`;
}

/** Creates the got-based HTTP port (see the module comment). */
export function createGotHttp(options: { maxResponseBytes?: number } = {}): HttpPort {
  const max = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  return {
    async request(req: CallRequest) {
      const method = req.method.toUpperCase();
      let tooLarge = false;
      try {
        const promise = got(req.url, {
          method: method as Method,
          headers: { ...req.headers, 'idempotency-key': req.idempotencyKey },
          searchParams: req.query,
          json: req.json,
          form: req.form,
          timeout: { request: req.timeoutMs },
          retry: { limit: IDEMPOTENT.has(method) ? 1 : 0, methods: [...IDEMPOTENT] as Method[], statusCodes: [502, 503, 504] },
          throwHttpErrors: false,
          followRedirect: true,
          responseType: 'buffer',
        });
        promise.on('downloadProgress', (p: { transferred: number }) => {
          if (p.transferred > max && !tooLarge) {
            tooLarge = true;
            promise.cancel();
          }
        });
        const res = await promise;
        return { status: res.statusCode, body: parseBody(res.body, res.headers['content-type']) };
      } catch (error) {
        if (tooLarge) return { status: 0, error: `The answer from ${req.url} is larger than ${max} bytes.` };
        return { status: 0, error: describeError(error, req) };
      }
    },
  };
}
