import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FakeGraph } from '../test/support/fake-graph.js';
import { freePort } from '../test/support/server-process.js';
import { runLoad } from './load.js';
const SECRET = 'bench-app-secret';
const graph = new FakeGraph(); await graph.start();
const dir = mkdtempSync(join(tmpdir(), 'fsprof-'));
const port = await freePort();
const child = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir', '/tmp/prof', resolve('dist/server/main.js')], { env: { PATH: process.env.PATH!, GRAPH_API_URL: graph.url, APP_SECRET: SECRET, ACCESS_TOKEN: 't', VERIFY_TOKEN: 'b', PLATFORM: 'messenger', STORE_URL: `sqlite:${join(dir, 'b.db')}`, FLOWS_DIR: resolve('test/e2e/flows'), LOG_LEVEL: 'error', SEND_RATE: '10000', PORT: String(port) }, stdio: ['ignore', 'inherit', 'inherit'] });
const url = `http://127.0.0.1:${port}`;
for (;;) { try { if ((await fetch(`${url}/healthz`)).ok) break; } catch {} await new Promise((r) => setTimeout(r, 50)); }
await runLoad({ targets: [`${url}/webhook`], appSecret: SECRET, graph, users: 100, concurrency: 32, prefix: 'w_' });
const r = await runLoad({ targets: [`${url}/webhook`], appSecret: SECRET, graph, users: Number(process.argv[2] ?? 1000), concurrency: 32, prefix: 'r_' });
console.log(r.eventsPerSecond, r.latency.p50);
child.kill('SIGTERM'); await new Promise((r) => child.once('exit', r)); await graph.stop();
