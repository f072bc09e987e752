/**
 * An in-process server for the security tests: the real Fastify app (`buildApp`) on the memory
 * store, with a real event worker and engine behind it (the flows of test/e2e/flows), driven
 * with `fastify.inject()`. Replies stay in the store's outbox, where `repliesFor` reads them.
 */
import { createHmac } from 'node:crypto';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { loadBot } from '../../src/server/main.js';
import { createMetrics } from '../../src/server/metrics.js';
import { loadSettings, type Settings } from '../../src/server/settings.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { createEventWorker, type EventWorker } from '../../src/runtime/event-worker.js';
import { createGuardedHttp } from '../../src/http/guarded-http.js';
import type { Store } from '../../src/store/port.js';
import type { Conversation, OutMessage } from '../../src/engine/types.js';

export const SECRET = 'fuzz-app-secret';
export const BODY_LIMIT = 64 * 1024;

export interface Harness {
  app: FastifyInstance;
  store: Store;
  settings: Readonly<Settings>;
  worker: EventWorker;
  flowIds: string[];
  /** Waits until every recorded event was processed. */
  drain(): Promise<void>;
  /** Claims and acknowledges the outbox: every reply recorded so far, by recipient, in order. */
  takeReplies(): Promise<Map<string, string[]>>;
  close(): Promise<void>;
}

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** Builds the app, store, engine and worker (see the module comment). */
export async function startHarness(extraEnv: Record<string, string> = {}): Promise<Harness> {
  const settings = loadSettings({
    FLOWS_DIR: resolve('test/e2e/flows'),
    STORE_URL: 'memory:',
    ACCESS_TOKEN: 'fuzz-access-token',
    APP_SECRET: SECRET,
    VERIFY_TOKEN: 'fuzz-verify-token',
    BODY_LIMIT: String(BODY_LIMIT),
    LOG_LEVEL: 'silent',
    ...extraEnv,
  });
  const bot = loadBot(settings);
  const store = createMemoryStore();
  const metrics = createMetrics(() => store);
  const clock = (): number => Date.now();
  const worker = createEventWorker({
    store,
    getEngine: () => bot.version.engine,
    http: createGuardedHttp({ allow: () => bot.version.project.settings.call_allow }),
    clock,
    owner: 'fuzz-worker',
    concurrency: 4,
    pollMs: 20,
    log: quiet,
  });
  const app = await buildApp({
    settings,
    store,
    metrics,
    clock,
    flows: () => bot.version.summaries,
    receive: (records) => worker.receive(records),
  });
  worker.start();
  return {
    app,
    store,
    settings,
    worker,
    flowIds: bot.version.summaries.map((s) => s.id),
    async drain() {
      for (let i = 0; i < 1000; i++) {
        if ((await store.stats()).inbound === 0) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`events are still queued after 10 s: ${JSON.stringify(await store.stats())}`);
    },
    async takeReplies() {
      const out = new Map<string, string[]>();
      for (;;) {
        const batch = await store.claimOutbox('fuzz-reader', Date.now(), 60_000, 100);
        if (batch.length === 0) return out;
        for (const r of batch) {
          const who = r.recipient.id ?? r.recipient.thread_key ?? '?';
          out.set(who, [...(out.get(who) ?? []), textOf(r.message)]);
          await store.ackOutbox(r.id, 'fuzz-reader');
        }
      }
    },
    async close() {
      await worker.stop();
      await app.close();
      await store.close();
    },
  };
}

function textOf(m: OutMessage): string {
  return m.kind === 'image' ? `[image ${m.url}]` : m.text;
}

/** `X-Hub-Signature-256` for these bytes with the harness's app secret (or another one). */
export function sign(raw: string | Buffer, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}

/** POSTs raw bytes to /webhook, signed unless `signature` is given (null: no header). */
export async function post(app: FastifyInstance, raw: string | Buffer, options: { signature?: string | string[] | null; contentType?: string | null; headers?: Record<string, string | string[]> } = {}): Promise<{ status: number; body: string }> {
  const headers: Record<string, string | string[]> = { ...options.headers };
  if (options.contentType !== null) headers['content-type'] = options.contentType ?? 'application/json';
  if (options.signature !== null) headers['x-hub-signature-256'] = options.signature ?? sign(raw);
  const res = await app.inject({ method: 'POST', url: '/webhook', payload: raw, headers });
  return { status: res.statusCode, body: res.body };
}

/** A one-message Messenger delivery. */
export function textDelivery(user: string, text: string, mid: string): string {
  return JSON.stringify({
    object: 'page',
    entry: [{ id: 'PAGE_1', time: Date.now(), messaging: [{ sender: { id: user }, recipient: { id: 'PAGE_1' }, timestamp: Date.now(), message: { mid, text } }] }],
  });
}

/** Fails the test unless `c` is a well-formed stored conversation of format 1 for `userId`. */
export function expectValidConversation(c: Conversation | undefined, userId: string, flowIds: readonly string[]): void {
  if (c === undefined) return;
  expect(c.version).toBe(1);
  expect(c.userId).toBe(userId);
  expect(['active', 'ended']).toContain(c.status);
  expect(Number.isSafeInteger(c.visit) && c.visit >= 0).toBe(true);
  expect(Number.isSafeInteger(c.attempts) && c.attempts >= 0).toBe(true);
  expect(Number.isFinite(c.lastActivity)).toBe(true);
  expect(Array.isArray(c.offered) && c.offered.every((p) => typeof p === 'string')).toBe(true);
  expect(Object.getPrototypeOf(c.vars)).toBe(Object.prototype);
  if (c.status === 'active') {
    expect(flowIds).toContain(c.flowId);
    expect(typeof c.state).toBe('string');
  }
  if (c.input !== undefined) expect(typeof c.input).toBe('string');
  if (c.deferred !== undefined) expect(c.deferred.length).toBeLessThanOrEqual(5);
  expect(JSON.parse(JSON.stringify(c))).toEqual(c);
}
