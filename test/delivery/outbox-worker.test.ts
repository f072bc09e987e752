import { describe, expect, it, vi } from 'vitest';
import type { SendResult } from '../../src/channel/send-api.js';
import type { OutMessage } from '../../src/engine/types.js';
import { createOutboxWorker, failureCode, type OutboxWorkerOptions } from '../../src/delivery/outbox-worker.js';
import { createRateLimiter } from '../../src/delivery/rate-limiter.js';
import { createRetryPolicy } from '../../src/delivery/retry-policy.js';
import type { OutboxMetrics } from '../../src/delivery/types.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { Recipient } from '../../src/store/port.js';
import { deferred, step } from './helpers.js';

interface Sent {
  to: string;
  text: string;
  at: number;
}

/** A fake Send API: answers from a script (by call number), records successful sends with the fake time. */
function fakeSend(clock: { now: number }, answer: (call: number, to: Recipient, text: string) => SendResult = () => ({ ok: true })) {
  const sent: Sent[] = [];
  let calls = 0;
  return {
    sent,
    get calls() {
      return calls;
    },
    async send(to: Recipient, message: OutMessage): Promise<SendResult> {
      const text = message.kind === 'image' ? message.url : message.text;
      const result = answer(++calls, to, text);
      if (result.ok) sent.push({ to: to.id ?? '', text, at: clock.now });
      return result;
    },
  };
}

function counters() {
  const c = { sent: 0, dropped: 0, retried: 0, failed: [] as string[] };
  const metrics: OutboxMetrics = {
    sent: () => void c.sent++,
    dropped: () => void c.dropped++,
    retried: () => void c.retried++,
    failed: (code) => void c.failed.push(code),
  };
  return { c, metrics };
}

function logs() {
  const lines: Array<{ level: string; obj: Record<string, unknown>; msg?: string }> = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj: obj as Record<string, unknown>, msg });
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') } };
}

const temporary = (status = 500, graphCode?: number): SendResult => ({ ok: false, retry: true, status, graphCode, message: 'temporary' });
const permanent: SendResult = { ok: false, retry: false, status: 400, graphCode: 551, message: "This person isn't available right now." };

function setup(over: Partial<OutboxWorkerOptions> & { answer?: Parameters<typeof fakeSend>[1] } = {}) {
  const store = createMemoryStore();
  const clock = { now: 1_000_000 };
  const api = fakeSend(clock, over.answer);
  const { c, metrics } = counters();
  const { lines, logger } = logs();
  const worker = createOutboxWorker({
    store,
    sendApi: api,
    owner: 'w1',
    clock: () => clock.now,
    rateLimiter: createRateLimiter({ perSecond: 1_000_000, burst: 1_000_000 }),
    retryPolicy: createRetryPolicy({ baseMs: 100, capMs: 1000, minMs: 10, random: () => 0.5 }),
    // A fake sleep: the fake clock reaches (at least) the wake-up time, one macrotask per sleeper.
    sleep: (ms) => {
      const target = clock.now + ms;
      return new Promise<void>((resolve) =>
        setImmediate(() => {
          clock.now = Math.max(clock.now, target);
          resolve();
        }),
      );
    },
    metrics,
    logger,
    ...over,
  });
  /** Runs passes, moving the fake clock on by `tick` each time, until the outbox is empty. */
  async function drain(tick = 1000, maxPasses = 500): Promise<void> {
    for (let i = 0; i < maxPasses; i++) {
      if ((await store.stats()).outbox === 0) return;
      await worker.runOnce();
      clock.now += tick;
    }
    throw new Error('the outbox did not drain');
  }
  return { store, clock, api, c, lines, worker, drain };
}

describe('outbox worker', () => {
  it('sends every reply once, in order per person, while failures are injected', async () => {
    // Every third call fails with a retryable error: 500, Graph 613, or a network error in turn.
    const failures = [temporary(500), temporary(400, 613), temporary(0)];
    const t = setup({ answer: (call) => (call % 3 === 0 ? failures[(call / 3) % 3] : { ok: true }) });
    const people = ['ann', 'bob', 'cy', 'dee'];
    for (const person of people) await step(t.store, person, ['1', '2', '3'], t.clock.now);
    for (const person of people) await step(t.store, person, ['4', '5'], t.clock.now);
    await t.drain();
    for (const person of people) {
      expect(t.api.sent.filter((s) => s.to === person).map((s) => s.text)).toEqual(['1', '2', '3', '4', '5']);
    }
    expect(t.c.sent).toBe(20);
    expect(t.c.retried).toBeGreaterThan(0);
    expect(t.c.failed.length).toBe(t.c.retried);
    expect(new Set(t.c.failed)).toEqual(new Set(['http_500', '613', 'network']));
    expect(t.c.dropped).toBe(0);
  });

  it('on a kick naming people, sends their replies in order without scanning the outbox', async () => {
    const t = setup({ idleMs: 3_600_000 });
    let scans = 0;
    const claimOutbox = t.store.claimOutbox.bind(t.store);
    t.store.claimOutbox = (...args) => {
      scans++;
      return claimOutbox(...args);
    };
    t.worker.start();
    await new Promise((r) => setImmediate(r));
    const before = scans; // the first pass at start
    await step(t.store, 'ann', ['a1', 'a2', 'a3'], t.clock.now);
    await step(t.store, 'bob', ['b1'], t.clock.now);
    t.worker.kick(['ann', 'bob']);
    for (let i = 0; i < 100 && t.api.sent.length < 4; i++) await new Promise((r) => setImmediate(r));
    expect(t.api.sent.filter((s) => s.to === 'ann').map((s) => s.text)).toEqual(['a1', 'a2', 'a3']);
    expect(t.api.sent.filter((s) => s.to === 'bob').map((s) => s.text)).toEqual(['b1']);
    expect(scans).toBe(before);
    await t.worker.stop();
    expect((await t.store.stats()).outbox).toBe(0);
  });

  it('asks for a person\'s next reply together with the acknowledgement of the one sent', async () => {
    const t = setup({ idleMs: 3_600_000 });
    const calls: string[] = [];
    const store = t.store;
    const ack = store.ackOutbox.bind(store);
    const claimOf = store.claimOutboxOf.bind(store);
    store.ackOutbox = (id, owner) => {
      calls.push('ack');
      return ack(id, owner).then(() => void calls.push('acked'));
    };
    store.claimOutboxOf = (...args) => {
      calls.push('claim');
      return claimOf(...args);
    };
    await step(store, 'ann', ['a1', 'a2'], t.clock.now);
    t.worker.start();
    t.worker.kick(['ann']);
    for (let i = 0; i < 100 && t.api.sent.length < 2; i++) await new Promise((r) => setImmediate(r));
    await t.worker.stop();
    expect(t.api.sent.map((s) => s.text)).toEqual(['a1', 'a2']);
    // The claim of a2 is made before a1's ack is done (and carried out after it by the store).
    expect(calls.slice(0, 4)).toEqual(['claim', 'ack', 'claim', 'acked']);
    expect((await store.stats()).outbox).toBe(0);
  });

  it('holds a person\'s next reply back until the failed one went out', async () => {
    let fail = true;
    const t = setup({ answer: (_c, _to, text) => (text === 'first' && fail ? temporary(503) : { ok: true }) });
    await step(t.store, 'ann', ['first', 'second'], t.clock.now);
    await t.worker.runOnce();
    expect(t.api.sent).toEqual([]);
    // Not due yet: the backoff (0.5 x 100 ms = 50 ms) has not passed.
    await t.worker.runOnce();
    expect(t.api.sent).toEqual([]);
    fail = false;
    t.clock.now += 50;
    await t.worker.runOnce();
    await t.worker.runOnce();
    expect(t.api.sent.map((s) => s.text)).toEqual(['first', 'second']);
    expect(t.c).toMatchObject({ sent: 2, retried: 1, failed: ['http_503'] });
    expect(t.lines.find((l) => l.level === 'warn')?.obj).toMatchObject({ code: 'FLOW_ERR_SEND_TEMPORARY', userId: 'ann', status: 503, retryInMs: 50 });
  });

  it('drops a reply on a permanent error, logs and counts it, and goes on with the next', async () => {
    const t = setup({ answer: (_c, _to, text) => (text === 'secret words' ? permanent : { ok: true }) });
    await step(t.store, 'ann', ['secret words', 'after'], t.clock.now);
    await t.drain();
    expect(t.api.sent.map((s) => s.text)).toEqual(['after']);
    expect(t.c).toMatchObject({ sent: 1, dropped: 1, retried: 0, failed: ['551'] });
    const line = t.lines.find((l) => l.level === 'error');
    expect(line?.obj).toMatchObject({ code: 'FLOW_ERR_SEND_PERMANENT', graphCode: 551, userId: 'ann' });
    expect(line?.msg).toContain('Graph code 551');
    expect(JSON.stringify(t.lines)).not.toContain('secret words');
  });

  it('drops a reply that cannot be addressed, with its own code', async () => {
    const t = setup({ answer: () => ({ ok: false, retry: false, status: 0, message: 'no recipient' }) });
    await step(t.store, 'ann', ['x'], t.clock.now);
    await t.drain();
    expect(t.c).toMatchObject({ dropped: 1, failed: ['no_recipient'] });
    expect(t.lines.at(-1)?.obj.code).toBe('FLOW_ERR_SEND_NO_RECIPIENT');
  });

  it('gives up after the policy\'s last attempt', async () => {
    const t = setup({ answer: () => temporary(500), retryPolicy: createRetryPolicy({ baseMs: 10, capMs: 10, minMs: 1, maxAttempts: 3, random: () => 0 }) });
    await step(t.store, 'ann', ['x'], t.clock.now);
    await t.drain(100);
    expect(t.api.calls).toBe(3);
    expect(t.c).toMatchObject({ sent: 0, retried: 2, dropped: 1 });
    expect(t.lines.at(-1)?.obj).toMatchObject({ code: 'FLOW_ERR_SEND_GAVE_UP', attempts: 3 });
  });

  it('treats a Send API that throws like a network failure', async () => {
    let first = true;
    const t = setup();
    const worker = createOutboxWorker({
      store: t.store,
      owner: 'w2',
      clock: () => t.clock.now,
      sendApi: {
        send: async () => {
          if (first) {
            first = false;
            throw new Error('socket hang up');
          }
          return { ok: true };
        },
      },
    });
    await step(t.store, 'ann', ['x'], t.clock.now);
    await worker.runOnce();
    expect((await t.store.stats()).outbox).toBe(1);
    t.clock.now += 10 * 60_000;
    await worker.runOnce();
    expect((await t.store.stats()).outbox).toBe(0);
  });

  it('keeps each page under its rate (injected clock)', async () => {
    const t = setup({ rateLimiter: createRateLimiter({ perSecond: 10, burst: 1 }) });
    for (const person of ['a', 'b', 'c', 'd', 'e']) await step(t.store, person, ['x'], t.clock.now);
    await step(t.store, 'z', ['other page'], t.clock.now, { pageId: 'Q' });
    const start = t.clock.now;
    await t.worker.runOnce();
    const onP = t.api.sent.filter((s) => s.text === 'x').map((s) => s.at - start).sort((x, y) => x - y);
    expect(onP).toEqual([0, 100, 200, 300, 400]);
    expect(t.api.sent.find((s) => s.text === 'other page')?.at).toBeLessThan(start + 500);
  });

  it('resumes after a restart: replies claimed by a dead worker go out once its lease ends', async () => {
    const store = createMemoryStore();
    const clock = { now: 5_000 };
    await step(store, 'ann', ['a', 'b'], clock.now);
    const dead = await store.claimOutbox('dead', clock.now, 30_000, 10);
    expect(dead).toHaveLength(1);
    const api = fakeSend(clock);
    const worker = createOutboxWorker({ store, sendApi: api, owner: 'new', clock: () => clock.now, leaseMs: 30_000 });
    expect(await worker.runOnce()).toBe(0);
    clock.now += 30_000;
    await worker.runOnce();
    await worker.runOnce();
    expect(api.sent.map((s) => s.text)).toEqual(['a', 'b']);
  });

  it('sends at once on kick, without waiting for the idle poll', async () => {
    const t = setup({ idleMs: 3_600_000 });
    t.worker.start();
    try {
      await step(t.store, 'ann', ['now'], t.clock.now);
      t.worker.kick();
      await vi.waitFor(() => expect(t.api.sent.map((s) => s.text)).toEqual(['now']), { timeout: 5000, interval: 5 });
      // The person's second reply goes out because the finished send wakes the loop.
      await step(t.store, 'ann', ['next', 'last'], t.clock.now);
      t.worker.kick();
      await vi.waitFor(() => expect(t.api.sent.map((s) => s.text)).toEqual(['now', 'next', 'last']), { timeout: 5000, interval: 5 });
    } finally {
      await t.worker.stop();
    }
  });

  it('stops gracefully: the send in flight finishes and is recorded', async () => {
    const gate = deferred<SendResult>();
    const started = deferred();
    const store = createMemoryStore();
    const worker = createOutboxWorker({
      store,
      owner: 'w',
      idleMs: 3_600_000,
      sendApi: {
        send: () => {
          started.resolve();
          return gate.promise;
        },
      },
    });
    await step(store, 'ann', ['x'], Date.now());
    worker.start();
    worker.kick();
    await started.promise;
    let stopped = false;
    const stopping = worker.stop().then(() => {
      stopped = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(stopped).toBe(false);
    gate.resolve({ ok: true, messageId: 'm' });
    await stopping;
    expect((await store.stats()).outbox).toBe(0);
  });

  it('survives a store failure while claiming', async () => {
    const t = setup({ idleMs: 3_600_000, errorBackoffMs: 1 });
    let failOnce = true;
    const flaky = {
      ...t.store,
      claimOutbox: (...args: Parameters<typeof t.store.claimOutbox>) => {
        if (failOnce) {
          failOnce = false;
          return Promise.reject(new Error('disk I/O error'));
        }
        return t.store.claimOutbox(...args);
      },
      ackOutbox: t.store.ackOutbox,
      retryOutbox: t.store.retryOutbox,
      dropOutbox: t.store.dropOutbox,
    };
    await step(t.store, 'ann', ['x'], t.clock.now);
    const worker = createOutboxWorker({ store: flaky, sendApi: t.api, owner: 'w', clock: () => t.clock.now, errorBackoffMs: 1, idleMs: 3_600_000, logger: { info() {}, warn() {}, error: (obj) => void t.lines.push({ level: 'error', obj: obj as Record<string, unknown> }) } });
    worker.start();
    try {
      await vi.waitFor(() => expect(t.api.sent).toHaveLength(1), { timeout: 5000, interval: 5 });
      expect(t.lines[0].obj.code).toBe('FLOW_ERR_STORE_FAILURE');
    } finally {
      await worker.stop();
    }
  });

  it('labels failures by Graph code, HTTP status or network', () => {
    expect(failureCode({ ok: false, retry: true, status: 400, graphCode: 613, message: '' })).toBe('613');
    expect(failureCode({ ok: false, retry: true, status: 502, message: '' })).toBe('http_502');
    expect(failureCode({ ok: false, retry: true, status: 0, message: '' })).toBe('network');
    expect(failureCode({ ok: false, retry: false, status: 0, message: '' })).toBe('no_recipient');
  });
});
