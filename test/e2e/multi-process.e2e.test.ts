/**
 * End to end, scaled out: three real server processes share one Redis (REDIS_URL, the same
 * database as `.ci/run` uses), behind a "load balancer" that sends every webhook to one of
 * them at random, with a fake Graph API on loopback. Halfway through, one process is killed
 * with SIGKILL while replies it recorded wait in the outbox (the Graph API fails every send for
 * that moment), and restarted later. Every conversation must still complete with no reply
 * lost, doubled or reordered, and the killed process's replies must be delivered by the two
 * others while it is down.
 *
 * The server has no key-prefix setting, so it uses the default `fs:` keys of REDIS_URL's
 * database: the test deletes `fs:*` there before and after (the store tests use other
 * prefixes in the same database, so they can run at the same time). To tell which process
 * recorded a reply, the test reads the `by` field (the committing worker's owner id,
 * `host:pid:random`) of the outbox records (`fs:o:<id>`, see src/store/redis-scripts.ts).
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/port.js';
import { openRedisStore } from '../../src/store/redis.js';
import { FakeGraph } from '../support/fake-graph.js';
import { ServerProcess, delivery, serverEnv } from '../support/server-process.js';

const url = process.env.REDIS_URL;
if (!url) console.warn('test/e2e/multi-process.e2e.test.ts: REDIS_URL is not set, so the multi-process test is skipped. Set REDIS_URL=redis://127.0.0.1:6379/15 to run it.');

const HELPDESK_USERS = 60;
const REMINDER_USERS = 6;
/** Generous: a process killed while sending holds its claim on a reply for 60 s (the outbox lease). */
const TAKEOVER_MS = 100_000;

const expected = (u: string): string[] => ['Hi Ana!', 'What do you need help with?', 'Is it urgent?', 'Please describe the problem.', `Thanks, noted (yes): printer ${u} jams`];
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function deleteServerKeys(redisUrl: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', 'fs:*', 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

/** The outbox records (user and text) that the process with `pid` committed and that are not sent yet. */
async function pendingRepliesBy(redisUrl: string, pid: number): Promise<Array<{ userId: string; text: string }>> {
  const redis = new Redis(redisUrl);
  try {
    const found: Array<{ userId: string; text: string }> = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', 'fs:o:*', 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const [userId, message, by] = await redis.hmget(key, 'u', 'm', 'by');
        if (userId && message && by?.split(':')[1] === String(pid)) found.push({ userId, text: (JSON.parse(message) as { text: string }).text });
      }
    } while (cursor !== '0');
    return found;
  } finally {
    await redis.quit();
  }
}

describe.skipIf(!url)('three server processes on one Redis (REDIS_URL)', () => {
  const graph = new FakeGraph();
  let servers: ServerProcess[] = [];
  let observer: Store;

  beforeAll(async () => {
    await deleteServerKeys(url!);
    await graph.start();
    const env = serverEnv(graph.url, url!, { WORKERS: '8' });
    servers = [0, 1, 2].map(() => new ServerProcess({ ...env }));
    await Promise.all(servers.map((s) => s.start()));
    observer = await openRedisStore(url!);
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await observer?.close();
    await graph.stop();
    if (url) await deleteServerKeys(url);
  });

  it('completes every conversation across a kill -9, and the others deliver the killed process\'s replies', { timeout: 300_000 }, async () => {
    const run = `${Date.now() % 100000}`;
    const helpdesk = Array.from({ length: HELPDESK_USERS }, (_, i) => `${run}0${i}`);
    const reminder = Array.from({ length: REMINDER_USERS }, (_, i) => `${run}9${i}`);
    const received = new Map<ServerProcess, number>();
    const send = async (user: string, text: string, to: ServerProcess = pick(servers)): Promise<void> => {
      const res = await to.post(delivery([{ user, text }]));
      expect(res.status, `webhook to ${to.url} for ${user}`).toBe(200);
      received.set(to, (received.get(to) ?? 0) + 1);
    };
    const idle = async (outbox: number, timeoutMs: number): Promise<void> => {
      const start = Date.now();
      for (;;) {
        const stats = await observer.stats();
        if (stats.inbound === 0 && stats.outbox === outbox) return;
        if (Date.now() - start > timeoutMs) throw new Error(`the store did not settle: ${JSON.stringify(stats)}, expected no inbound and ${outbox} replies waiting`);
        await sleep(50);
      }
    };

    // 1. All three up: the first two steps of every conversation, and the reminder timers.
    await Promise.all([
      ...helpdesk.map(async (u) => { await send(u, 'hi'); await send(u, 'Technical'); }),
      ...reminder.map((u) => send(u, 'remind')),
    ]);
    await graph.waitFor(() => helpdesk.every((u) => graph.textsFor(u).length >= 3) && reminder.every((u) => graph.textsFor(u).length >= 3), 30_000);
    await idle(0, 10_000);

    // 2. The Graph API fails every send: the third replies pile up in the shared outbox.
    graph.failRate = 1;
    await Promise.all(helpdesk.map((u) => send(u, 'yes')));
    await idle(helpdesk.length, 30_000);
    const victim = servers[1]!;
    const victimPid = victim.child!.pid!;
    const recordedByVictim = await pendingRepliesBy(url!, victimPid);
    expect(recordedByVictim.length, 'replies recorded by the process about to be killed').toBeGreaterThan(0);
    expect(recordedByVictim.every((r) => r.text === 'Please describe the problem.')).toBe(true);

    // Some last answers go to the victim just before it dies: recorded (200), maybe not yet handled.
    const lastToVictim = helpdesk.slice(0, 10);
    for (const u of lastToVictim) await send(u, `printer ${u} jams`, victim);
    await victim.kill9();
    graph.failRate = 0;

    // 3. While it is down, the two others deliver what it had recorded: each reply exactly once.
    const count = (r: { userId: string; text: string }): number => graph.textsFor(r.userId).filter((t) => t === r.text).length;
    await graph.waitFor(() => recordedByVictim.every((r) => count(r) >= 1), TAKEOVER_MS);
    for (const r of recordedByVictim) expect(count(r), `"${r.text}" to ${r.userId}`).toBe(1);
    expect(victim.child!.exitCode === null && victim.child!.signalCode === 'SIGKILL').toBe(true);

    // 4. Restarted, it takes its share again; the remaining answers are spread over all three.
    const restarted = new ServerProcess({ ...victim.env });
    await restarted.start();
    servers[1] = restarted;
    await Promise.all(helpdesk.filter((u) => !lastToVictim.includes(u)).map((u) => send(u, `printer ${u} jams`)));
    await graph.waitFor(() => helpdesk.every((u) => graph.textsFor(u).length >= 5), TAKEOVER_MS);
    await idle(0, TAKEOVER_MS);
    await sleep(500); // anything doubled would arrive now

    for (const u of helpdesk) expect(graph.textsFor(u), `replies to ${u}`).toEqual(expected(u));
    for (const u of reminder) expect(graph.textsFor(u), `replies to ${u}`).toEqual(['Are you there?', 'Still there?', 'Timed out.']);
    expect(await observer.stats()).toEqual({ inbound: 0, outbox: 0, timers: 0 });
    expect([...received.keys()].filter((s) => s !== restarted)).toHaveLength(3);
    expect(received.get(restarted) ?? 0).toBeGreaterThan(0);
  });
});
