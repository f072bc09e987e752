/**
 * Two real processes on one SQLite file, racing for the same timers, people and replies: each
 * must be handed out exactly once (SQLite serialises the IMMEDIATE transactions; the leases
 * and compare-and-set must do the rest). Time is a fixed `now`; nothing depends on timing.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { LEASE, T0, conversation, textEvent } from './contract-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'flowstate-procs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const worker = fileURLToPath(new URL('./fixtures/sqlite-worker.ts', import.meta.url));
const USERS = 150;
const EVENTS = 3;
const NOW = T0 + 1000;

function startWorker(file: string, owner: string) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', worker, file, owner, String(NOW)], { stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += String(d); });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async run<T>(command: string): Promise<T> {
      child.stdin.write(`${command}\n`);
      const next = await lines.next();
      if (next.done) throw new Error(`worker ${owner} ended during "${command}": ${stderr}`);
      return JSON.parse(next.value) as T;
    },
    async stop(): Promise<void> {
      child.stdin.end('exit\n');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

it('hands every timer, person and reply to exactly one of two processes', async () => {
  const file = join(dir, 'shared.db');
  const setup = openSqliteStore(file);
  const users = Array.from({ length: USERS }, (_, i) => `user-${String(i).padStart(3, '0')}`);
  // Each person gets one due timer, then three messages.
  for (const userId of users) {
    await setup.addInbound([textEvent(`seed-${userId}`, userId)], T0);
    const claim = (await setup.claimGivenUser(userId, 'setup', T0, LEASE))!;
    await setup.commit({ userId, owner: 'setup', handled: [claim.events[0].seq!], expectedRev: 0, conversation: conversation(userId), outbox: [], timers: [{ id: 'nudge', at: T0 + 500 }] }, T0);
    await setup.releaseUser(userId, 'setup');
  }
  await setup.close();

  const a = startWorker(file, 'A');
  const b = startWorker(file, 'B');
  try {
    // Both processes are up and waiting before any race starts.
    await Promise.all([a.run('hello'), b.run('hello')]);
    const fired = await Promise.all([a.run<{ fired: number }>('timers'), b.run<{ fired: number }>('timers')]);
    expect(fired[0].fired + fired[1].fired).toBe(USERS);

    const check = openSqliteStore(file);
    const added = await check.addInbound(users.flatMap((u) => Array.from({ length: EVENTS }, (_, n) => textEvent(`${u}-m${n}`, u))), NOW);
    expect(added).toBe(USERS * EVENTS);

    type UsersResult = { handled: string[]; results: Record<string, number> };
    const steps = await Promise.all([a.run<UsersResult>('users'), b.run<UsersResult>('users')]);
    for (const s of steps) expect(Object.keys(s.results).filter((r) => r !== 'ok')).toEqual([]);
    const handled = [...steps[0].handled, ...steps[1].handled];
    expect(handled).toHaveLength(USERS * (EVENTS + 1));
    expect(new Set(handled).size).toBe(handled.length);
    for (const userId of users) {
      const expected = [`timer:${userId}:nudge`, ...Array.from({ length: EVENTS }, (_, n) => `${userId}-m${n}`)];
      expect((await check.getConversation(userId)).conversation?.vars.keys).toEqual(expected);
    }

    const sends = await Promise.all([a.run<{ sent: string[] }>('outbox'), b.run<{ sent: string[] }>('outbox')]);
    const sent = [...sends[0].sent, ...sends[1].sent];
    expect(sent).toHaveLength(USERS * (EVENTS + 1));
    expect(new Set(sent).size).toBe(sent.length);
    for (const one of sends) {
      // Within each process, a person's replies went out in their order.
      const byUser = new Map<string, string[]>();
      for (const s of one.sent) {
        const userId = s.slice(0, s.indexOf(':'));
        byUser.set(userId, [...(byUser.get(userId) ?? []), s.slice(userId.length + 1)]);
      }
      for (const [userId, texts] of byUser) {
        const order = [`timer:${userId}:nudge`, ...Array.from({ length: EVENTS }, (_, n) => `${userId}-m${n}`)];
        expect(texts).toEqual(order.filter((t) => texts.includes(t)));
      }
    }
    expect(await check.stats()).toEqual({ inbound: 0, outbox: 0, timers: 0 });
    await check.close();
  } finally {
    await a.stop();
    await b.stop();
  }
});
