/**
 * Fault a: the Graph API goes away (connections refused, or reset) while people keep writing,
 * then comes back. Every webhook is still answered 200, and once the API is back every reply
 * is delivered, in order per person, none twice.
 *
 * The outage here is short (4 s) with a short backoff (RETRY_BASE_MS=100, RETRY_MAX_MS=1000,
 * RETRY_ATTEMPTS=100) to keep CI fast; `npx tsx bench/faults.ts graph-down` runs the full
 * minute with the default backoff (docs/reliability.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGraph } from '../support/fake-graph.js';
import { collapseRepeats, helpdeskReplies, helpdeskScript, message, metric, postOnce, sleep, startFaultServer, until, type FaultServer } from './harness.js';

const PEOPLE = 20;
const OUTAGE_MS = 4_000;

describe.each(['refuse', 'reset'] as const)('Graph API down (%s) then back', (mode) => {
  const graph = new FakeGraph();
  let h: FaultServer;

  beforeAll(async () => {
    h = await startFaultServer(graph, { env: { RETRY_BASE_MS: '100', RETRY_MAX_MS: '1000', RETRY_ATTEMPTS: '100' }, pool: { connections: 8 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('accepts every webhook during the outage and delivers every reply afterwards, in order, once', async () => {
    const { server, pool } = h;
    const people = Array.from({ length: PEOPLE }, (_, i) => `down${mode}${i}`);
    // Everyone starts while the API is up.
    for (const u of people) expect((await postOnce(pool, message(u, 'hi', `${u}.0`))).status).toBe(200);
    await until(() => people.every((u) => graph.textsFor(u).length === 2), 30_000, 'the greetings');

    await graph.down(mode);
    const downAt = Date.now();
    // The rest of each conversation is written while the API is unreachable.
    for (const [step, s] of helpdeskScript('x').slice(1).entries()) {
      await Promise.all(people.map(async (u) => {
        const text = step === 2 ? helpdeskScript(u)[3]!.text : s.text;
        expect((await postOnce(pool, message(u, text, `${u}.${step + 1}`))).status).toBe(200);
      }));
    }
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - downAt)));
    const failedAttempts = await metric(server.url, 'flowstate_send_failures_total');
    expect(failedAttempts).toBeGreaterThan(0); // the server really tried during the outage
    expect(await metric(server.url, 'flowstate_send_dropped_total')).toBe(0);
    const sentBefore = graph.sent.length;

    await graph.up();
    const upAt = Date.now();
    await until(() => people.every((u) => graph.textsFor(u).length >= 5), 60_000, 'every reply after the outage');
    const recoveryMs = Date.now() - upAt;
    await sleep(500); // a doubled reply would arrive now
    for (const u of people) expect(graph.textsFor(u)).toEqual(helpdeskReplies(u));
    const doubled = people.reduce((n, u) => n + collapseRepeats(graph.textsFor(u)).doubled, 0);
    expect(doubled).toBe(0);
    expect(await metric(server.url, 'flowstate_send_dropped_total')).toBe(0);
    console.info(`[faults] graph down (${mode}, ${OUTAGE_MS} ms): ${PEOPLE} people, ${graph.sent.length - sentBefore} replies held back and delivered ${recoveryMs} ms after recovery, ${failedAttempts} failed attempts, 0 lost, 0 doubled`);
  }, 120_000);
});
