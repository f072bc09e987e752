/**
 * The long variants of the fault tests (test/faults/), with the server's default settings;
 * their figures are recorded in docs/reliability.md.
 *
 *   npx tsx bench/faults.ts graph-down [--seconds 60] [--people 50]
 *
 * graph-down: people start the helpdesk conversation, the fake Graph API refuses connections
 * for `--seconds` while they write the rest of it, then comes back. Prints how long after the
 * API came back every reply was delivered, and checks that none was lost, doubled or
 * reordered (exit code 1 otherwise). Run `npm run build` first.
 */
import { parseArgs } from 'node:util';
import { FakeGraph } from '../test/support/fake-graph.js';
import { collapseRepeats, helpdeskReplies, helpdeskScript, message, metric, postOnce, sleep, startFaultServer, until } from '../test/faults/harness.js';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { seconds: { type: 'string', default: '60' }, people: { type: 'string', default: '50' } },
});

async function graphDown(seconds: number, count: number): Promise<boolean> {
  const graph = new FakeGraph();
  const { server, pool, close } = await startFaultServer(graph, { pool: { connections: 8 } });
  try {
    const people = Array.from({ length: count }, (_, i) => `bench${i}`);
    for (const u of people) if ((await postOnce(pool, message(u, 'hi', `${u}.0`))).status !== 200) throw new Error('a webhook was refused');
    await until(() => people.every((u) => graph.textsFor(u).length === 2), 30_000, 'the greetings');
    await graph.down('refuse');
    const downAt = Date.now();
    for (const [i, u] of people.entries()) {
      for (const [step, s] of helpdeskScript(u).slice(1).entries()) {
        if ((await postOnce(pool, message(u, s.text, `${u}.${step + 1}`))).status !== 200) throw new Error('a webhook was refused during the outage');
      }
      await sleep(((seconds * 1000) / 2 / count) * (i === 0 ? 0 : 1)); // people write during the first half of the outage
    }
    await sleep(Math.max(0, seconds * 1000 - (Date.now() - downAt)));
    const failed = await metric(server.url, 'flowstate_send_failures_total');
    await graph.up();
    const upAt = Date.now();
    await until(() => people.every((u) => graph.textsFor(u).length >= 5), 600_000, 'every reply after the outage');
    const recovery = Date.now() - upAt;
    await sleep(2_000);
    let doubled = 0;
    let wrong = 0;
    for (const u of people) {
      const got = graph.textsFor(u);
      doubled += collapseRepeats(got).doubled;
      if (JSON.stringify(collapseRepeats(got).rest) !== JSON.stringify(helpdeskReplies(u))) wrong++;
    }
    const dropped = await metric(server.url, 'flowstate_send_dropped_total');
    console.log(`graph-down: outage ${seconds} s (connections refused), ${count} people, ${3 * count} replies held back; ${failed} failed attempts during the outage; all delivered ${(recovery / 1000).toFixed(1)} s after the API came back (default backoff: RETRY_BASE_MS 1000, RETRY_MAX_MS 120000, 12 attempts); lost ${wrong}, doubled ${doubled}, dropped ${dropped}`);
    return wrong === 0 && doubled === 0 && dropped === 0;
  } finally {
    await close();
  }
}

const which = positionals[0] ?? 'graph-down';
if (which !== 'graph-down') {
  console.error(`Unknown fault "${which}". Use: npx tsx bench/faults.ts graph-down [--seconds 60] [--people 50]`);
  process.exit(2);
}
const ok = await graphDown(Number(args.seconds), Number(args.people));
process.exit(ok ? 0 : 1);
