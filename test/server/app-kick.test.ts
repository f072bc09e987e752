/**
 * When the webhook wakes the event worker. A store that carries out the calls of a turn
 * together and in order (SQLite) gets the worker's claim right behind the write that records
 * the events: the kick comes before that write is done, and the answer still waits for it.
 * Any other store is kicked only once the events are recorded (a claim sent earlier could
 * overtake a write the inbound batcher has not sent yet).
 */
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { createMetrics } from '../../src/server/metrics.js';
import { loadSettings } from '../../src/server/settings.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { Store } from '../../src/store/port.js';
import { post } from '../security/harness.js';

const SECRET = 'fuzz-app-secret';
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function delivery(userId: string, mid: string): string {
  return JSON.stringify({ object: 'page', entry: [{ id: 'page-1', time: 1_700_000_000_000, messaging: [{ sender: { id: userId }, recipient: { id: 'page-1' }, timestamp: 1_700_000_000_000, message: { mid, text: 'hi' } }] }] });
}

/** A memory store whose addInbound settles only when the test says so, recording what happened when. */
function gatedStore(groupsCalls: boolean): { store: Store; log: string[]; release: () => void } {
  const inner = createMemoryStore();
  const log: string[] = [];
  let open: () => void = () => undefined;
  const gate = new Promise<void>((r) => (open = r));
  const store: Store = {
    ...inner,
    groupsCalls,
    async addInbound(events, now) {
      log.push('write asked');
      const added = await inner.addInbound(events, now);
      await gate;
      log.push('write done');
      return added;
    },
  };
  return { store, log, release: () => open() };
}

async function appOn(store: Store, log: string[]) {
  const settings = loadSettings({ FLOWS_DIR: resolve('test/e2e/flows'), STORE_URL: 'memory:', ACCESS_TOKEN: 't', APP_SECRET: SECRET, VERIFY_TOKEN: 'v', LOG_LEVEL: 'silent' });
  const app = await buildApp({ settings, store, metrics: createMetrics(() => store), clock: Date.now, flows: () => [], onEvents: (ids) => log.push(`kick ${ids.join(',')}`) });
  closers.push(() => app.close());
  return app;
}

describe('webhook: waking the event worker', () => {
  it('kicks the worker right behind the write when the store groups calls, and answers once the write is done', async () => {
    const { store, log, release } = gatedStore(true);
    const app = await appOn(store, log);
    const answer = post(app, delivery('u1', 'm1'));
    await new Promise((r) => setTimeout(r, 20));
    expect(log).toEqual(['write asked', 'kick u1']);
    let answered = false;
    void answer.then(() => (answered = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(answered).toBe(false);
    release();
    expect((await answer).status).toBe(200);
    expect(log).toEqual(['write asked', 'kick u1', 'write done']);
  });

  it('kicks the worker only after the write when the store does not group calls', async () => {
    const { store, log, release } = gatedStore(false);
    const app = await appOn(store, log);
    const answer = post(app, delivery('u2', 'm2'));
    await new Promise((r) => setTimeout(r, 20));
    expect(log).toEqual(['write asked']);
    release();
    expect((await answer).status).toBe(200);
    expect(log).toEqual(['write asked', 'write done', 'kick u2']);
  });

  it('answers 503 when the write fails, even though the worker was already kicked (its claim finds nothing)', async () => {
    const inner = createMemoryStore();
    const log: string[] = [];
    const store: Store = { ...inner, groupsCalls: true, addInbound: () => Promise.reject(new Error('disk full')) };
    const app = await appOn(store, log);
    const res = await post(app, delivery('u3', 'm3'));
    expect(res.status).toBe(503);
    expect(log).toEqual(['kick u3']);
    expect((await inner.stats()).inbound).toBe(0);
  });
});
