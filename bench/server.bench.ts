/**
 * `npm run bench`: Flowstate's server (durable SQLite, or Redis with `--store redis`) next to
 * a minimal reference bot (bench/reference-bot.ts: raw Fastify, in-memory state, the same
 * conversation), measured in the same run, alternating A, B, A, B. Then two correctness
 * runs on Flowstate alone: 2,000 conversations at once, and 10% of Send API calls failing.
 *
 * Options: --users N (measured people, default 5000) --concurrency N (32) --reps N (3) --warmup N (people walked
 * through each server before its measured run, default 2000) --store sqlite|redis
 * (redis: SQLite, Redis x1 and Redis x N processes, all in the same run; memory: SQLite and the
 * in-memory test store, to show what durability costs) --processes N (2)
 * --quick (small figures) --json FILE (write the results).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FakeGraph } from '../test/support/fake-graph.js';
import { freePort } from '../test/support/server-process.js';
import { runLoad, type LoadResult } from './load.js';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '32' },
    reps: { type: 'string', default: '3' },
    store: { type: 'string', default: 'sqlite' },
    processes: { type: 'string', default: '1' },
    warmup: { type: 'string', default: '2000' },
    quick: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const quick = args.quick;
const users = quick ? 200 : Number(args.users);
const concurrency = Number(args.concurrency);
const reps = quick ? 1 : Number(args.reps);
// People walked through each server before its measured run, so that the figures are those of
// a server that has been running a while: V8 keeps compiling hot code for the first few
// thousand events, and Flowstate has more code to compile than the reference.
const warmup = quick ? 100 : Math.max(0, Number(args.warmup));
const storeKind = args.store === 'redis' || args.store === 'memory' ? args.store : 'sqlite';
const processes = Math.max(1, Number(args.processes));
const SECRET = 'bench-app-secret';
const TICK_MS = 1000 / 100; // /proc clock ticks (USER_HZ = 100 on Linux)

interface Subject {
  label: string;
  /**
   * `pids`: the processes whose CPU counts (the bot's, and Redis's for the Redis store);
   * `servers`: the bot's processes, whose main thread (the event loop) is reported apart.
   */
  start(graph: FakeGraph): Promise<{ targets: string[]; pids: number[]; servers: number[]; stop(): Promise<void> }>;
}

/** CPU time used so far by a process (all its threads), or by its main thread with `mainThread`, ms. */
function cpuMs(pid: number, mainThread = false): number {
  try {
    const stat = readFileSync(mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

async function spawnServer(cmd: string[], env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, cmd, { env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`${cmd.join(' ')} exited: ${err}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { child, url };
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${cmd.join(' ')} did not start: ${err}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await done;
}

const reference: Subject = {
  label: 'reference',
  async start(graph) {
    const { child, url } = await spawnServer(['--import', 'tsx', resolve('bench/reference-bot.ts')], { GRAPH_API_URL: graph.url, APP_SECRET: SECRET, ACCESS_TOKEN: 'bench-token', VERIFY_TOKEN: 'bench' });
    return { targets: [`${url}/webhook`], pids: [child.pid!], servers: [child.pid!], stop: () => stopChild(child) };
  },
};

function flowstate(kind: 'sqlite' | 'redis' | 'memory', count: number): Subject {
  return {
    label: count > 1 ? `flowstate-${kind}x${count}` : `flowstate-${kind}`,
    async start(graph) {
      const dir = mkdtempSync(join(tmpdir(), 'flowstate-bench-'));
      const storeUrl = kind === 'redis' ? (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/14') : kind === 'memory' ? 'memory:' : `sqlite:${join(dir, 'bench.db')}`;
      let redisPid: number | undefined;
      if (kind === 'redis') {
        // Remove only Flowstate's keys (prefix fs:): the database may be shared with tests.
        const { Redis } = await import('ioredis');
        const r = new Redis(storeUrl);
        let cursor = '0';
        do {
          const [next, keys] = await r.scan(cursor, 'MATCH', 'fs:*', 'COUNT', 1000);
          if (keys.length) await r.del(...keys);
          cursor = next;
        } while (cursor !== '0');
        const info = await r.info('server');
        redisPid = Number(/process_id:(\d+)/.exec(info)?.[1]) || undefined;
        r.disconnect();
      }
      const env = { GRAPH_API_URL: graph.url, APP_SECRET: SECRET, ACCESS_TOKEN: 'bench-token', VERIFY_TOKEN: 'bench', PLATFORM: 'messenger', STORE_URL: storeUrl, FLOWS_DIR: resolve('test/e2e/flows'), LOG_LEVEL: 'error', SEND_RATE: '10000' };
      const started = await Promise.all(Array.from({ length: count }, () => spawnServer([resolve('dist/server/main.js')], env)));
      return {
        targets: started.map((s) => `${s.url}/webhook`),
        pids: [...started.map((s) => s.child.pid!), ...(redisPid ? [redisPid] : [])],
        servers: started.map((s) => s.child.pid!),
        async stop() {
          await Promise.all(started.map((s) => stopChild(s.child)));
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

interface Run extends LoadResult {
  label: string;
  cpuMsPerEvent: number;
  /** CPU of the bot's main threads (event loops) per event, ms: the part one core must carry. */
  loopMsPerEvent: number;
}

let runNo = 0;
async function measure(subject: Subject, n: number, c: number, failRate = 0, warmPeople = warmup): Promise<Run> {
  const graph = new FakeGraph();
  await graph.start();
  const server = await subject.start(graph);
  try {
    // Warm-up: JIT, connections, SQLite pages.
    await runLoad({ targets: server.targets, appSecret: SECRET, graph, users: warmPeople, concurrency: Math.min(c, 32), prefix: `w${++runNo}_` });
    graph.failRate = failRate;
    const cpu0 = server.pids.reduce((s, p) => s + cpuMs(p), 0);
    const loop0 = server.servers.reduce((s, p) => s + cpuMs(p, true), 0);
    const result = await runLoad({ targets: server.targets, appSecret: SECRET, graph, users: n, concurrency: c, prefix: `r${runNo}_` });
    const cpu = server.pids.reduce((s, p) => s + cpuMs(p), 0) - cpu0;
    const loop = server.servers.reduce((s, p) => s + cpuMs(p, true), 0) - loop0;
    return { label: subject.label, ...result, cpuMsPerEvent: cpu / result.events, loopMsPerEvent: loop / result.events };
  } finally {
    await server.stop();
    await graph.stop();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function line(r: Run): string {
  const bad = r.missing + r.duplicate + r.unexpected + r.outOfOrder + r.webhookErrors;
  return `${r.label.padEnd(20)} ${r.eventsPerSecond.toFixed(0).padStart(7)} ev/s  p50 ${r.latency.p50.toFixed(1).padStart(6)} ms  p99 ${r.latency.p99.toFixed(1).padStart(7)} ms  cpu ${r.cpuMsPerEvent.toFixed(3)} ms/ev (loop ${r.loopMsPerEvent.toFixed(3)})  replies ${r.replies}  problems ${bad}`;
}

async function main(): Promise<void> {
  // SQLite always; with --store redis also Redis with one and with N processes, same run.
  const sides = [flowstate('sqlite', 1)];
  if (storeKind === 'redis') sides.push(flowstate('redis', 1), flowstate('redis', Math.max(2, processes)));
  if (storeKind === 'memory') sides.push(flowstate('memory', 1));
  // The correctness runs go to the last durable side (memory keeps nothing across a restart).
  const subject = sides.filter((s) => !s.label.includes('memory')).pop()!;
  console.log(`Flowstate server benchmark: ${users} people x 4 events after a warm-up of ${warmup}, concurrency ${concurrency}, ${reps} rep(s); ${[...sides, reference].map((s) => s.label).join(', ')}, alternating\n`);
  const runs: Run[] = [];
  for (let i = 0; i < reps; i++) {
    for (const s of [...sides, reference]) {
      const r = await measure(s, users, concurrency);
      runs.push(r);
      console.log(line(r));
    }
  }
  const problems = (r: Run): number => r.missing + r.duplicate + r.unexpected + r.outOfOrder + r.webhookErrors;
  const side = (label: string) => runs.filter((r) => r.label === label);
  const med = (label: string) => ({
    eventsPerSecond: median(side(label).map((r) => r.eventsPerSecond)),
    p50: median(side(label).map((r) => r.latency.p50)),
    p99: median(side(label).map((r) => r.latency.p99)),
    cpuMsPerEvent: median(side(label).map((r) => r.cpuMsPerEvent)),
    loopMsPerEvent: median(side(label).map((r) => r.loopMsPerEvent)),
    problems: side(label).reduce((s, r) => s + problems(r), 0),
  });
  const b = med(reference.label);
  const medians: Record<string, ReturnType<typeof med> & { ratio: Record<string, number> }> = {};
  console.log('');
  for (const s of sides) {
    const a = med(s.label);
    const ratio = { eventsPerSecond: a.eventsPerSecond / b.eventsPerSecond, p50: a.p50 / b.p50, p99: a.p99 / b.p99, cpuMsPerEvent: a.cpuMsPerEvent / b.cpuMsPerEvent, loopMsPerEvent: a.loopMsPerEvent / b.loopMsPerEvent };
    medians[s.label] = { ...a, ratio };
    console.log(`median ${s.label.padEnd(18)} ${a.eventsPerSecond.toFixed(0).padStart(6)} ev/s  p50 ${a.p50.toFixed(1)} ms  p99 ${a.p99.toFixed(1)} ms  ${a.cpuMsPerEvent.toFixed(3)} ms CPU/event (event loop ${a.loopMsPerEvent.toFixed(3)})  | vs reference: events/s ${ratio.eventsPerSecond.toFixed(2)}x, p50 ${ratio.p50.toFixed(2)}x, p99 ${ratio.p99.toFixed(2)}x, CPU/event ${ratio.cpuMsPerEvent.toFixed(2)}x, event loop ${ratio.loopMsPerEvent.toFixed(2)}x`);
  }
  console.log(`median ${'reference'.padEnd(18)} ${b.eventsPerSecond.toFixed(0).padStart(6)} ev/s  p50 ${b.p50.toFixed(1)} ms  p99 ${b.p99.toFixed(1)} ms  ${b.cpuMsPerEvent.toFixed(3)} ms CPU/event (event loop ${b.loopMsPerEvent.toFixed(3)})`);
  console.log('(target: events/s ratio >= 0.7 for durable SQLite; CPU includes the Redis server for Redis sides)');

  const crowd = quick ? 500 : 2000;
  console.log(`\nCorrectness (${subject.label}): ${crowd} conversations at once`);
  const many = await measure(subject, crowd, crowd, 0, 100);
  console.log(line(many));
  console.log(`\nCorrectness (${subject.label}): 10% of Send API calls fail (HTTP 500)`);
  const faults = await measure(subject, quick ? 200 : 500, concurrency, 0.1, 100);
  console.log(line(faults));

  const summary = { users, concurrency, reps, medians, reference: b, concurrent: { subject: subject.label, users: crowd, lost: many.missing, doubled: many.duplicate, problems: problems(many), eventsPerSecond: many.eventsPerSecond }, sendFailures10pct: { subject: subject.label, users: faults.users, lost: faults.missing, doubled: faults.duplicate, problems: problems(faults) } };
  console.log(`\n${JSON.stringify(summary)}`);
  if (args.json) writeFileSync(args.json, JSON.stringify({ runs, summary }, null, 2));
  if (Object.values(medians).reduce((n, m) => n + m.problems, 0) + problems(many) + problems(faults) > 0) process.exitCode = 1;
}

await main();
