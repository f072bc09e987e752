/**
 * Rate limits (issue item 6): 5,000 people write in the same second, on two pages. Every
 * webhook is acknowledged at once (events are recorded, not processed, before the 200), and
 * the 10,000 replies drain at the configured per-page rate (SEND_RATE=200; the default is 250) while
 * the fake Graph API enforces the platform's limit (300 per page in any sliding second,
 * Graph error 613 above it). No 613 may come back, and every person gets their two replies
 * exactly once, in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGraph } from '../support/fake-graph.js';
import { delivery } from '../support/server-process.js';
import { percentile, postOnce, sleep, startFaultServer, until, type FaultServer } from './harness.js';

const PEOPLE = 5_000;
const PAGES = ['PAGE_A', 'PAGE_B'];
const SEND_RATE = 200;
const PLATFORM_LIMIT = 300;
const LANES = 64;

describe('a burst of 5,000 people in one second', () => {
  const graph = new FakeGraph();
  let h: FaultServer;

  beforeAll(async () => {
    graph.rateLimit = { perSecond: PLATFORM_LIMIT };
    graph.pageOf = (recipient) => (recipient.startsWith('rlA') ? 'PAGE_A' : 'PAGE_B');
    h = await startFaultServer(graph, { env: { SEND_RATE: String(SEND_RATE) }, pool: { connections: LANES, pipelining: 1 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('absorbs the burst and drains it at the per-page rate without one Graph rate-limit error', async () => {
    const people = Array.from({ length: PEOPLE }, (_, i) => (i % 2 === 0 ? `rlA${i}` : `rlB${i}`));
    const bodies = people.map((u, i) => delivery([{ user: u, text: 'hi', mid: `rl.${i}` }], u.startsWith('rlA') ? PAGES[0] : PAGES[1]));
    const times: number[] = [];
    const refused: number[] = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: LANES }, async () => {
      while (next < PEOPLE) {
        const i = next++;
        const { status, ms } = await postOnce(h.pool, bodies[i]);
        times.push(ms);
        if (status !== 200) refused.push(status);
      }
    }));
    const absorbMs = performance.now() - t0;
    expect(refused).toEqual([]);

    const drainStart = performance.now();
    await until(() => graph.sent.length >= 2 * PEOPLE, 180_000, 'every reply of the burst');
    const drainMs = performance.now() - drainStart + absorbMs;
    await sleep(500); // doubled replies would arrive now
    expect(graph.rateLimited).toBe(0);
    expect(graph.sent.length).toBe(2 * PEOPLE);
    const byPerson = new Map<string, string[]>();
    for (const m of graph.sent) byPerson.set(m.recipient, [...(byPerson.get(m.recipient) ?? []), m.body.message.text]);
    for (const u of people) expect(byPerson.get(u)).toEqual(['Hi Ana!', 'What do you need help with?']);
    for (const page of ['PAGE_A', 'PAGE_B']) expect(graph.peakPerSecond.get(page)).toBeLessThanOrEqual(PLATFORM_LIMIT);
    const perPage = (PEOPLE / drainMs) * 1000; // 2 replies per person, 2 pages
    console.info(`[faults] burst: ${PEOPLE} webhooks (2 pages) acknowledged in ${(absorbMs / 1000).toFixed(2)} s (${Math.round(PEOPLE / (absorbMs / 1000))}/s, ack p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms), 0 refused; ${2 * PEOPLE} replies drained in ${(drainMs / 1000).toFixed(1)} s = ${perPage.toFixed(0)}/s per page (SEND_RATE ${SEND_RATE}), peak ${[...graph.peakPerSecond.values()].join('/')} per sliding second per page (limit ${PLATFORM_LIMIT}), 613 errors: ${graph.rateLimited}`);
  }, 300_000);
});
