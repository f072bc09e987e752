/**
 * Fault c: the store cannot be written. The webhook must answer 503 (so the platform delivers
 * again later), record nothing of the refused delivery (not even part of a batch), and once
 * the store is back, the platform's resend is processed exactly once.
 *
 * SQLite: another process holds the database's write lock beyond the busy timeout (a backup
 * tool or an `sqlite3` shell left in a transaction). Redis: the Redis server is stopped (a
 * private `redis-server` on a free port, with an append-only file so that its data survives)
 * and started again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGraph } from '../support/fake-graph.js';
import { ServerProcess, delivery, freePort } from '../support/server-process.js';
import { TempDirs, faultEnv, message, postOnce, postWebhook, sleep, startFaultServer, until, type FaultServer } from './harness.js';

const dirs = new TempDirs();
afterAll(() => dirs.cleanup());

/** A person already in the conversation, and a new one, in one delivery (a batch of two events). */
function batch(known: string, fresh: string, tag: string): unknown {
  return delivery([{ user: known, text: 'Technical', mid: `${tag}.a` }, { user: fresh, text: 'hi', mid: `${tag}.b` }]);
}

describe('SQLite store locked by another process', () => {
  const graph = new FakeGraph();
  let h: FaultServer;

  beforeAll(async () => {
    h = await startFaultServer(graph, { pool: { connections: 2 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers 503, records nothing of the batch, and processes the resend once', async () => {
    const { server, pool, file } = h;
    expect((await postOnce(pool, message('lockA', 'hi', 'lockA.0'))).status).toBe(200);
    await until(() => graph.textsFor('lockA').length === 2, 20_000, 'the greeting');

    const locker = new Database(file);
    locker.exec('BEGIN EXCLUSIVE');
    let refused: { status: number; body: any };
    try {
      refused = await postWebhook(server, batch('lockA', 'lockB', 'lock1'));
      const recorded = locker.prepare("SELECT (SELECT COUNT(*) FROM inbound WHERE key LIKE 'lock1.%') + (SELECT COUNT(*) FROM seen WHERE key LIKE 'lock1.%') AS n").get() as { n: number };
      expect(recorded.n).toBe(0);
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
    }
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('FLOW_ERR_WEBHOOK_NOT_RECORDED');
    // The log names the file (the child's output arrives through a pipe: wait for it).
    await until(() => server.output.includes(file), 10_000, 'a log line naming the database file');

    // The platform delivers again: now recorded, and handled once.
    expect((await postWebhook(server, batch('lockA', 'lockB', 'lock1'))).status).toBe(200);
    await until(() => graph.textsFor('lockA').length === 3 && graph.textsFor('lockB').length === 2, 60_000, 'the replies to the resend');
    await sleep(500);
    expect(graph.textsFor('lockA')).toEqual(['Hi Ana!', 'What do you need help with?', 'Is it urgent?']);
    expect(graph.textsFor('lockB')).toEqual(['Hi Ana!', 'What do you need help with?']);
    console.info(`[faults] store unavailable (SQLite write lock held by another process): webhook answered ${refused.status} ${refused.body.code}; nothing recorded; the resend was handled once`);
  }, 120_000);
});

/** A private redis-server that keeps its data in `dir` (append-only file, fsync on every write). */
async function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''], { stdio: 'ignore' });
  await until(async () => {
    const up = await new Promise<boolean>((res) => {
      const s = connect(port, '127.0.0.1', () => {
        s.end();
        res(true);
      });
      s.on('error', () => res(false));
    });
    return up;
  }, 10_000, `redis-server on port ${port}`);
  return child;
}

async function stopProcess(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

describe('Redis store stopped, then started again', () => {
  const graph = new FakeGraph();
  let server: ServerProcess;
  let redis: ChildProcess | undefined;
  let port: number;
  let dir: string;

  beforeAll(async () => {
    await graph.start();
    port = await freePort();
    dir = dirs.make('flowstate-redis-');
    redis = await startRedis(port, dir);
    server = new ServerProcess(faultEnv(graph, `redis://127.0.0.1:${port}/0`));
    await server.start();
  });
  afterAll(async () => {
    await server?.stop();
    await stopProcess(redis, 'SIGKILL');
    await graph.stop();
  });

  it('answers 503 while Redis is down, and processes the resend once after it is back', async () => {
    expect((await postWebhook(server, message('redisA', 'hi', 'redisA.0'))).status).toBe(200);
    await until(() => graph.textsFor('redisA').length === 2, 20_000, 'the greeting');

    await stopProcess(redis, 'SIGKILL');
    const refused = await postWebhook(server, batch('redisA', 'redisB', 'redis1'));
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('FLOW_ERR_WEBHOOK_NOT_RECORDED');
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);

    redis = await startRedis(port, dir);
    await until(async () => (await fetch(`${server.url}/readyz`)).status === 200, 20_000, 'the server to reconnect to Redis');
    expect((await postWebhook(server, batch('redisA', 'redisB', 'redis1'))).status).toBe(200);
    await until(() => graph.textsFor('redisA').length === 3 && graph.textsFor('redisB').length === 2, 30_000, 'the replies to the resend');
    await sleep(500);
    expect(graph.textsFor('redisA')).toEqual(['Hi Ana!', 'What do you need help with?', 'Is it urgent?']);
    expect(graph.textsFor('redisB')).toEqual(['Hi Ana!', 'What do you need help with?']);
    console.info(`[faults] store unavailable (Redis stopped with SIGKILL): webhook answered ${refused.status} ${refused.body.code}, /readyz 503; after restart the resend was handled once`);
  }, 90_000);
});
