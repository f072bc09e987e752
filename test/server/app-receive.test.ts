/**
 * The webhook hands a signed delivery's events to `receive` (the event worker's entry) and
 * answers only once they are safe: 200 when every event is committed or recorded, 503 when
 * the store failed (the platform then sends the delivery again). Duplicates are counted.
 */
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { createMetrics } from '../../src/server/metrics.js';
import { loadSettings } from '../../src/server/settings.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { InboundRecord } from '../../src/store/port.js';
import { post } from '../security/harness.js';

const SECRET = 'fuzz-app-secret';
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function delivery(...messages: Array<[userId: string, mid: string]>): string {
  const at = 1_700_000_000_000;
  return JSON.stringify({ object: 'page', entry: [{ id: 'page-1', time: at, messaging: messages.map(([userId, mid]) => ({ sender: { id: userId }, recipient: { id: 'page-1' }, timestamp: at, message: { mid, text: 'hi' } })) }] });
}

async function appWith(receive: (records: InboundRecord[]) => Promise<number>) {
  const store = createMemoryStore();
  const settings = loadSettings({ FLOWS_DIR: resolve('test/e2e/flows'), STORE_URL: 'memory:', ACCESS_TOKEN: 't', APP_SECRET: SECRET, VERIFY_TOKEN: 'v', LOG_LEVEL: 'silent' });
  const metrics = createMetrics(() => store);
  const app = await buildApp({ settings, store, metrics, clock: () => 1_700_000_000_500, flows: () => [], receive });
  closers.push(() => app.close());
  return { app, metrics };
}

describe('webhook: handing the events over', () => {
  it('hands over every event of a delivery, and answers 200 only once they are safe', async () => {
    const got: InboundRecord[][] = [];
    let open: (added: number) => void = () => undefined;
    const { app } = await appWith((records) => {
      got.push(records);
      return new Promise<number>((r) => (open = r));
    });
    let answered = false;
    const answer = post(app, delivery(['u1', 'm1'], ['u2', 'm2'])).then((a) => ((answered = true), a));
    await new Promise((r) => setTimeout(r, 20));
    expect(got).toHaveLength(1);
    expect(got[0]).toEqual([
      { key: 'mid:m1', userId: 'u1', pageId: 'page-1', receivedAt: 1_700_000_000_500, event: expect.objectContaining({ userId: 'u1', pageId: 'page-1', mid: 'm1', event: { kind: 'text', text: 'hi' } }) },
      { key: 'mid:m2', userId: 'u2', pageId: 'page-1', receivedAt: 1_700_000_000_500, event: expect.objectContaining({ userId: 'u2', mid: 'm2' }) },
    ]);
    expect(answered).toBe(false);
    open(2);
    expect(await answer).toEqual({ status: 200, body: 'EVENT_RECEIVED' });
  });

  it('counts the events that were duplicates', async () => {
    const { app, metrics } = await appWith(async (records) => records.length - 1);
    expect((await post(app, delivery(['u1', 'm1'], ['u1', 'm2'], ['u1', 'm3']))).status).toBe(200);
    expect((await metrics.duplicates.get()).values[0]?.value).toBe(1);
  });

  it('answers 503 with the store\'s reason when the events could not be made safe', async () => {
    const { app } = await appWith(() => Promise.reject(Object.assign(new Error('disk full'), { code: 'STORE_UNAVAILABLE' })));
    const answer = await post(app, delivery(['u1', 'm1']));
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'FLOW_ERR_WEBHOOK_NOT_RECORDED' });
    expect(JSON.parse(answer.body).message).toContain('STORE_UNAVAILABLE');
  });

  it('hands nothing over for a delivery without events to handle', async () => {
    let calls = 0;
    const { app } = await appWith(async () => ++calls);
    const echo = JSON.stringify({ object: 'page', entry: [{ id: 'page-1', time: 1, messaging: [{ sender: { id: 'page-1' }, recipient: { id: 'u1' }, timestamp: 1, message: { mid: 'e1', text: 'x', is_echo: true } }] }] });
    expect((await post(app, echo)).status).toBe(200);
    expect(calls).toBe(0);
  });
});
