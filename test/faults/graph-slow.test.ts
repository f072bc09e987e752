/**
 * Fault b: the Graph API slows down (2 s per send). Webhook acknowledgements must not wait for
 * sends: their p99 latency with a slow API stays in line with the p99 measured with a fast API
 * in the same run (rounds alternate fast, slow, fast, slow on one server), and while the slow
 * API holds the replies back, webhooks for new people keep being acknowledged.
 *
 * Only a ratio is asserted (generous: 4x), never a wall-clock figure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGraph } from '../support/fake-graph.js';
import { message, percentile, postOnce, startFaultServer, until, type FaultServer } from './harness.js';

const ROUNDS = 2;
const PER_ROUND = 200;
const LANES = 4;
const SLOW_MS = 2_000;

describe('Graph API slow', () => {
  const graph = new FakeGraph();
  let h: FaultServer;

  beforeAll(async () => {
    h = await startFaultServer(graph, { pool: { connections: LANES } });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Posts "hi" for `PER_ROUND` new people over `LANES` connections; returns each POST's time, ms. */
  async function round(tag: string): Promise<number[]> {
    const times: number[] = [];
    let next = 0;
    await Promise.all(Array.from({ length: LANES }, async () => {
      while (next < PER_ROUND) {
        const i = next++;
        const { status, ms } = await postOnce(h.pool, message(`${tag}p${i}`, 'hi', `${tag}.${i}`));
        expect(status).toBe(200);
        times.push(ms);
      }
    }));
    return times;
  }

  it('acknowledges webhooks as fast with a 2 s Graph API as with a fast one', async () => {
    await round('warm'); // JIT and connections, not measured
    await until(() => graph.sent.length >= 2 * PER_ROUND, 30_000, 'the warm-up replies');
    const fast: number[] = [];
    const slow: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      graph.delayMs = 0;
      fast.push(...(await round(`f${r}`)));
      graph.delayMs = SLOW_MS;
      const acceptedBefore = graph.accepted;
      slow.push(...(await round(`s${r}`)));
      // Decoupled: all those webhooks were acknowledged while their replies were still held
      // back by the slow API (at most 64 sends in flight, 2 s each: the replies need seconds).
      expect(graph.accepted - acceptedBefore).toBeLessThan(2 * PER_ROUND);
    }
    graph.delayMs = 0;
    const p99Fast = percentile(fast, 99);
    const p99Slow = percentile(slow, 99);
    console.info(`[faults] graph slow (${SLOW_MS} ms/send): webhook ack p50 ${percentile(fast, 50).toFixed(1)} -> ${percentile(slow, 50).toFixed(1)} ms, p99 ${p99Fast.toFixed(1)} -> ${p99Slow.toFixed(1)} ms (${fast.length} + ${slow.length} POSTs), ratio ${(p99Slow / p99Fast).toFixed(2)}`);
    expect(p99Slow).toBeLessThan(4 * p99Fast);
    // And every reply of the slow rounds arrives in the end.
    await until(() => graph.sent.length >= 2 * PER_ROUND * (1 + 2 * ROUNDS), 90_000, 'the replies held back by the slow API');
  }, 150_000);
});
