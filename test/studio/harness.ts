/**
 * The studio in-process for route tests: a Fastify app with the studio registered, a real
 * BotHolder on a flows folder, the memory store, the local channel, and the real event and
 * outbox workers, wired like src/server/main.ts does (with the studio's people as profiles).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { createLocalChannel, type LocalChannel } from '../../src/channel/local-channel.js';
import { createOutboxWorker } from '../../src/delivery/outbox-worker.js';
import type { HttpPort } from '../../src/engine/index.js';
import { createEventWorker } from '../../src/runtime/event-worker.js';
import { BotHolder } from '../../src/server/bot-holder.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { Store } from '../../src/store/port.js';
import { createStudioPeople, registerStudio, type StudioPeople } from '../../src/studio/plugin.js';

export interface Harness {
  app: FastifyInstance;
  holder: BotHolder;
  store: Store;
  channel: LocalChannel;
  people: StudioPeople;
  dir: string;
  close(): Promise<void>;
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
/** Calls fail at once: the route tests never reach a `call` state's web service. */
const noHttp: HttpPort = { request: async () => ({ status: 0, error: 'no network in tests' }) };

/** A temporary copy of a flows folder (tests may edit it). */
export function copyFlows(from = 'flows'): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowstate-studio-'));
  cpSync(resolve(from), join(dir, 'flows'), { recursive: true });
  return join(dir, 'flows');
}

export async function startHarness(options: { flowsDir?: string; token?: string; withPeople?: boolean } = {}): Promise<Harness> {
  const dir = options.flowsDir ?? copyFlows();
  const holder = new BotHolder(dir, {});
  const outcome = holder.reload();
  if (!outcome.ok) throw new Error(`test flows do not load: ${outcome.diagnostics.map((d) => d.message).join('; ')}`);
  const store = createMemoryStore();
  const clock = (): number => Date.now();
  const channel = createLocalChannel({ clock });
  const people = createStudioPeople();
  const outbox = createOutboxWorker({ store, sendApi: channel, owner: 'test', clock, idleMs: 10 });
  const events = createEventWorker({
    store,
    getEngine: () => holder.version.engine,
    http: noHttp,
    profiles: people,
    clock,
    owner: 'test',
    concurrency: 2,
    pollMs: 20,
    onCommitted: ({ userId }) => outbox.kick([userId]),
    log: quiet,
  });
  const app = Fastify();
  await registerStudio(app, {
    holder,
    store,
    channel,
    clock,
    token: options.token,
    people: options.withPeople === false ? undefined : people,
    submit: async (records) => {
      await store.addInbound(records, clock());
      events.kick([...new Set(records.map((r) => r.userId))]);
    },
  });
  await app.ready();
  outbox.start();
  events.start();
  return {
    app,
    holder,
    store,
    channel,
    people,
    dir,
    async close() {
      await app.close();
      await events.stop();
      await outbox.stop();
      await store.close();
      holder.close();
      if (options.flowsDir === undefined) rmSync(resolve(dir, '..'), { recursive: true, force: true });
    },
  };
}

/** Polls `read` until `ok` holds (no wall-clock assertion: only a generous give-up). */
export async function until<T>(read: () => Promise<T> | T, ok: (value: T) => boolean, what: string, tries = 400): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < tries; i++) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`gave up waiting for ${what}; last value: ${JSON.stringify(last)}`);
}
