/**
 * Fault e: the server process is killed with SIGKILL at random points of the event path, 50
 * times in a row, while simulated people keep writing (each resends a webhook until it is
 * answered 200, as the platform does). After each kill the server is started again on the
 * same SQLite file. In the end every conversation must be complete: no accepted event lost,
 * every reply delivered in order. A reply may come twice only in the one window the design
 * cannot close: the process dies after the Graph API accepted a reply and before that was
 * recorded; the resend then waits for the dead process's lease (60 s) to run out. Each
 * doubled reply is counted and checked to lie in that window (its first copy reached the
 * Graph API within 2 s of a kill).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGraph } from '../support/fake-graph.js';
import { collapseRepeats, helpdeskReplies, helpdeskScript, message, postUntilAccepted, sleep, startFaultServer, until, type FaultServer } from './harness.js';

const KILLS = 50;
const LANES = 8;
/** Longest random life of the server between two kills, ms. */
const MAX_LIFE_MS = 1_500;
/** A doubled reply's first copy must have reached the Graph API this close to a kill. */
const WINDOW_MS = 2_000;

describe('kill -9 at random points, 50 times', () => {
  const graph = new FakeGraph();
  let h: FaultServer;

  beforeAll(async () => {
    h = await startFaultServer(graph, { pool: { connections: LANES } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('loses no event and doubles replies only in the unavoidable window', async () => {
    const { server, pool } = h;
    const people: string[] = [];
    let killing = true;
    let accepted = 0;
    let resends = 0;

    // Simulated people: each walks the helpdesk conversation, waiting up to 2 s for the
    // replies of a step before writing the next message (people do not always wait).
    const lanes = Array.from({ length: LANES }, async (_, lane) => {
      for (let n = 0; killing; n++) {
        const u = `k${lane}x${n}`;
        people.push(u);
        let owed = 0;
        for (const [i, step] of helpdeskScript(u).entries()) {
          const tries = await postUntilAccepted(() => pool, message(u, step.text, `${u}.${i}`));
          accepted++;
          resends += tries - 1;
          owed += step.expect.length;
          const deadline = Date.now() + 2_000;
          while (Date.now() < deadline && collapseRepeats(graph.textsFor(u)).rest.length < owed) await sleep(50);
        }
      }
    });

    const kills: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      await sleep(Math.random() * MAX_LIFE_MS);
      await server.kill9();
      kills.push(Date.now());
      await server.start();
    }
    killing = false;
    await Promise.all(lanes);

    // Replies held by a killed process wait for its lease (60 s) to expire.
    await until(() => people.every((u) => collapseRepeats(graph.textsFor(u)).rest.length >= helpdeskReplies(u).length), 150_000, 'every conversation to complete');
    await sleep(1_000);

    let doubled = 0;
    for (const u of people) {
      const { rest, doubled: d } = collapseRepeats(graph.textsFor(u));
      expect(rest, `the replies to ${u}`).toEqual(helpdeskReplies(u));
      doubled += d;
    }
    // Every doubled reply: its first copy reached the Graph API near a kill.
    const outside: string[] = [];
    for (const u of people) {
      const mine = graph.sent.filter((m) => m.recipient === u);
      for (let i = 1; i < mine.length; i++) {
        if (mine[i]!.body.message.text !== mine[i - 1]!.body.message.text) continue;
        const first = mine[i - 1]!.at;
        if (!kills.some((k) => Math.abs(k - first) <= WINDOW_MS)) outside.push(`${u}: "${mine[i]!.body.message.text}"`);
      }
    }
    expect(outside).toEqual([]);
    const replies = graph.sent.length;
    console.info(`[faults] kill -9 x${kills.length}: ${people.length} people, ${accepted} events accepted (${resends} resends while the server was down), ${replies} replies sent; lost 0; doubled ${doubled} (${((doubled / replies) * 100).toFixed(2)}%), all in the unavoidable window (Graph accepted, process killed before recording it)`);
  }, 600_000);
});
