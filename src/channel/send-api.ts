/**
 * The Send API client (messenger-protocol.md §5): the hot path of delivery, so it runs on an
 * undici `Pool` with keep-alive connections (about a tenth of the CPU per request of
 * higher-level clients).
 *
 * Every call is `POST {graphApiUrl}/{apiVersion}/me/messages` with a JSON body carrying
 * `messaging_type: "RESPONSE"`, the access token in an `Authorization: Bearer` header (as
 * Meta's Workplace samples do; it keeps the token out of URLs, which proxies log), and the
 * time-stamped `appsecret_proof` + `appsecret_time` as query parameters. Outcomes are
 * classified for the outbox: retry (network, 5xx, 408, 429, Graph's temporary and rate-limit
 * codes) or permanent (everything else).
 */
import type { OutButton, OutMessage } from '../engine/types.js';
import type { Recipient } from '../store/port.js';
import { createGraphPool, createProofQuery, graphEndpoint, isRetryableStatus } from './graph-http.js';

/**
 * What a send came to. `status` is 0 when no HTTP answer arrived: a network failure
 * (`retry: true`) or a reply that could not be addressed (`retry: false`, nothing was sent).
 */
export type SendResult =
  | { ok: true; messageId?: string }
  | { ok: false; retry: boolean; status: number; graphCode?: number; graphSubcode?: number; message: string };

/** A Send API client. */
export interface SendApi {
  /** Sends one message; never throws (failures come back as a `SendResult`). */
  send(recipient: Recipient, message: OutMessage): Promise<SendResult>;
  /** Closes the pooled connections (waits for requests in flight). */
  close(): Promise<void>;
}

export interface SendApiOptions {
  /** e.g. `https://graph.facebook.com`, `https://graph.workplace.com`, or a local fake (a path prefix is kept). */
  graphApiUrl: string;
  /** e.g. `v25.0`; an empty string calls the unversioned path (as Workplace's own samples do). */
  apiVersion: string;
  accessToken: string;
  appSecret: string;
  /** `workplace` replies into group threads (`thread_key`); Messenger only knows person ids. */
  platform: 'workplace' | 'messenger';
  /** Keep-alive connections to the Graph host. Default 32. */
  connections?: number;
  /** Epoch ms, for `appsecret_time`. Default `Date.now`. */
  clock?: () => number;
  /** Headers and body timeouts per request, ms. Default 15000. */
  timeoutMs?: number;
}

/**
 * Graph error codes that mean "try again later": temporary failures and rate limits, and 368
 * (the Page is temporarily blocked for policy violations: Meta says to wait and retry; the
 * outbox's backoff, up to RETRY_MAX_MS between attempts for about a day, is that wait).
 */
export const RETRYABLE_GRAPH_CODES: ReadonlySet<number> = new Set([1, 2, 4, 17, 32, 341, 368, 613, 1200]);

/** (code, subcode) pairs that look temporary but are not (2 / 2018344: a configuration problem). */
const PERMANENT_SUBCODES: ReadonlySet<string> = new Set(['2/2018344']);

function graphButton(button: OutButton): Record<string, string> {
  return button.type === 'postback'
    ? { type: 'postback', title: button.title, payload: button.payload }
    : { type: 'web_url', title: button.title, url: button.url };
}

/** The Graph `message` object for an outgoing message. */
export function toGraphMessage(message: OutMessage): Record<string, unknown> {
  switch (message.kind) {
    case 'text': {
      const body: Record<string, unknown> = { text: message.text };
      if (message.quick_replies && message.quick_replies.length > 0) {
        body.quick_replies = message.quick_replies.map((q) => ({ content_type: 'text', title: q.title, payload: q.payload }));
      }
      return body;
    }
    case 'buttons':
      return {
        attachment: {
          type: 'template',
          payload: { template_type: 'button', text: message.text, buttons: message.buttons.map(graphButton) },
        },
      };
    case 'image':
      return { attachment: { type: 'image', payload: { url: message.url } } };
  }
}

/**
 * The whole Send API request body, or undefined when there is nobody to send to. A Workplace
 * thread wins over a person id; Messenger has no threads, so there only `id` counts.
 */
export function toSendBody(recipient: Recipient, message: OutMessage, platform: 'workplace' | 'messenger'): Record<string, unknown> | undefined {
  let to: Record<string, string> | undefined;
  if (platform === 'workplace' && recipient.thread_key) to = { thread_key: recipient.thread_key };
  else if (recipient.id) to = { id: recipient.id };
  if (!to) return undefined;
  return { messaging_type: 'RESPONSE', recipient: to, message: toGraphMessage(message) };
}

/** Removes every occurrence of the given secrets from a text meant for logs. */
export function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out;
}

interface GraphError {
  code?: number;
  subcode?: number;
  message?: string;
}

function readGraphError(body: unknown): GraphError {
  if (typeof body !== 'object' || body === null) return {};
  const error = (body as Record<string, unknown>).error;
  if (typeof error !== 'object' || error === null) return {};
  const e = error as Record<string, unknown>;
  const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);
  return {
    code: num(e.code),
    subcode: num(e.error_subcode),
    message: typeof e.message === 'string' ? e.message.slice(0, 300) : undefined,
  };
}

/** Decides whether a failed HTTP answer is worth retrying. */
export function isRetryable(status: number, graphCode?: number, graphSubcode?: number): boolean {
  if (graphCode !== undefined && PERMANENT_SUBCODES.has(`${graphCode}/${graphSubcode}`)) return false;
  if (graphCode !== undefined && RETRYABLE_GRAPH_CODES.has(graphCode)) return true;
  return isRetryableStatus(status);
}

/** Creates a Send API client on a keep-alive undici Pool. */
export function createSendApi(options: SendApiOptions): SendApi {
  const { origin, pathPrefix } = graphEndpoint(options.graphApiUrl, options.apiVersion);
  const path = `${pathPrefix}me/messages`;
  const pool = createGraphPool(origin, { connections: options.connections ?? 32, timeoutMs: options.timeoutMs ?? 15_000 });
  const proofQuery = createProofQuery(options.accessToken, options.appSecret, options.clock ?? Date.now);
  const secrets = [options.accessToken, options.appSecret];
  const authorization = `Bearer ${options.accessToken}`;

  async function send(recipient: Recipient, message: OutMessage): Promise<SendResult> {
    const body = toSendBody(recipient, message, options.platform);
    if (!body) return { ok: false, retry: false, status: 0, message: 'no recipient: neither a person id nor a thread key' };
    let status: number;
    let parsed: unknown;
    try {
      const response = await pool.request({
        method: 'POST',
        path: `${path}?${proofQuery()}`,
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify(body),
      });
      status = response.statusCode;
      const text = await response.body.text();
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    } catch (err) {
      const reason = err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err);
      return { ok: false, retry: true, status: 0, message: redact(`network error: ${reason}`, secrets) };
    }
    if (status >= 200 && status < 300) {
      const id = (parsed as Record<string, unknown> | undefined)?.message_id;
      return typeof id === 'string' ? { ok: true, messageId: id } : { ok: true };
    }
    const graph = readGraphError(parsed);
    const result: SendResult = {
      ok: false,
      retry: isRetryable(status, graph.code, graph.subcode),
      status,
      message: redact(graph.message ?? `HTTP ${status} without a Graph error`, secrets),
    };
    if (graph.code !== undefined) result.graphCode = graph.code;
    if (graph.subcode !== undefined) result.graphSubcode = graph.subcode;
    return result;
  }

  return {
    send,
    close: () => pool.close(),
  };
}
