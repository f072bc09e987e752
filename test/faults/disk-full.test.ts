/**
 * Fault d: the disk under the SQLite file fills up, or turns read-only. Root (which these
 * tests run as) ignores file permissions, so the database lives on a small tmpfs mounted for
 * the test: filling it with a filler file is a real ENOSPC, and `mount -o remount,ro` a real
 * read-only file system (EROFS), exactly what SQLite meets in production.
 *
 * Full: the webhook answers 503 (the platform delivers again), the log names the file and
 * says to free space, nothing of the refused batch is recorded, and once space is freed the
 * resend is processed once. Read-only: the server refuses to start with a message naming the
 * file and what to do (exit code 1, no stack trace). After both, the database passes
 * `PRAGMA integrity_check` and the conversation continues where it was.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGraph } from '../support/fake-graph.js';
import { ServerProcess, delivery } from '../support/server-process.js';
import { TempDirs, faultEnv, postWebhook, sleep, until } from './harness.js';

const dirs = new TempDirs();
const PEOPLE = 300;

/** Fills the file system of `file` until it has no byte left; returns the bytes written. */
function fillDisk(file: string): number {
  const fd = openSync(file, 'w');
  let written = 0;
  try {
    for (const size of [65536, 4096, 512, 1]) {
      const chunk = Buffer.alloc(size, 1);
      try {
        for (;;) written += writeSync(fd, chunk);
      } catch (error) {
        if ((error as { code?: string }).code !== 'ENOSPC') throw error;
      }
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

/** A's next step plus `PEOPLE` new people with long first messages: about 600 KB to record. */
function bigBatch(): unknown {
  const filler = 'hi '.padEnd(2000, '.');
  return delivery([{ user: 'fullA', text: 'Technical', mid: 'full1.a' }, ...Array.from({ length: PEOPLE }, (_, i) => ({ user: `full${i}`, text: filler, mid: `full1.${i}` }))]);
}

describe('SQLite on a full, then read-only, disk', () => {
  const graph = new FakeGraph();
  let mountDir: string;
  let file: string;
  let server: ServerProcess;

  beforeAll(async () => {
    mountDir = dirs.make('flowstate-disk-');
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mountDir], { stdio: 'pipe' });
    } catch (error) {
      throw new Error(`This test mounts a 16 MB tmpfs to fill it up, and could not (${String((error as { stderr?: Buffer }).stderr ?? error).trim()}). Run the tests as root in a container allowed to mount tmpfs (docker run --privileged, or --cap-add SYS_ADMIN).`);
    }
    file = join(mountDir, 'flowstate.db');
    await graph.start();
    server = new ServerProcess(faultEnv(graph, `sqlite:${file}`));
    await server.start();
  });
  afterAll(async () => {
    await server?.stop();
    await graph.stop();
    try {
      execFileSync('umount', [mountDir], { stdio: 'pipe' });
    } catch {
      execFileSync('umount', ['-l', mountDir], { stdio: 'pipe' });
    }
    dirs.cleanup();
  });

  it('answers 503 with a clear log on a full disk, records nothing of the batch, and recovers once space is freed', async () => {
    expect((await postWebhook(server, delivery([{ user: 'fullA', text: 'hi', mid: 'full0' }]))).status).toBe(200);
    await until(() => graph.textsFor('fullA').length === 2, 20_000, 'the greeting');

    const filler = join(mountDir, 'filler');
    const filled = fillDisk(filler);
    let refused: { status: number; body: any };
    try {
      refused = await postWebhook(server, bigBatch());
      expect(refused.status).toBe(503);
      expect(refused.body.code).toBe('FLOW_ERR_WEBHOOK_NOT_RECORDED');
      const reader = new Database(file, { readonly: true });
      const n = reader.prepare("SELECT (SELECT COUNT(*) FROM inbound WHERE key LIKE 'full1.%') + (SELECT COUNT(*) FROM seen WHERE key LIKE 'full1.%') AS n").get() as { n: number };
      reader.close();
      expect(n.n).toBe(0);
    } finally {
      rmSync(filler);
    }
    // The log names the file and says what to do.
    await until(() => server.output.includes('FLOW_ERR_WEBHOOK_NOT_RECORDED'), 5_000, 'the log line of the refused webhook');
    const logged = server.output.split('\n').filter((l) => l.includes('FLOW_ERR_WEBHOOK_NOT_RECORDED')).map((l) => JSON.parse(l) as { storeError: string });
    expect(logged[0]?.storeError).toContain(`The store "${file}" cannot grow: the disk (or the database's size limit) is full. Free some space`);

    expect((await postWebhook(server, bigBatch())).status).toBe(200);
    await until(() => graph.textsFor('fullA').length === 3 && graph.sent.length >= 3 + 2 * PEOPLE, 60_000, 'the replies to the resend');
    await sleep(300);
    expect(graph.textsFor('fullA')).toEqual(['Hi Ana!', 'What do you need help with?', 'Is it urgent?']);
    for (let i = 0; i < PEOPLE; i++) expect(graph.textsFor(`full${i}`)).toEqual(['Hi Ana!', 'What do you need help with?']);
    console.info(`[faults] disk full (tmpfs 16 MB, filler ${filled} bytes): a batch of ${PEOPLE + 1} events answered 503, nothing of it recorded; after freeing space the resend was handled once`);
  }, 120_000);

  it('refuses to start on a read-only disk, naming the file, and continues once writable; the database is intact', async () => {
    await server.stop();
    execFileSync('mount', ['-o', 'remount,ro', mountDir], { stdio: 'pipe' });
    try {
      const readOnly = new ServerProcess({ ...server.env });
      await expect(readOnly.start(10_000)).rejects.toThrow(/exited with code 1/);
      expect(readOnly.output).toContain(`Flowstate cannot start. The store "${file}" cannot be written: its folder is on a read-only file system.`);
      expect(readOnly.output).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      execFileSync('mount', ['-o', 'remount,rw', mountDir], { stdio: 'pipe' });
    }

    const db = new Database(file);
    const check = db.pragma('integrity_check', { simple: true });
    const conversations = (db.prepare('SELECT COUNT(*) AS n FROM conversations').get() as { n: number }).n;
    db.close();
    expect(check).toBe('ok');
    expect(conversations).toBe(PEOPLE + 1);

    server = new ServerProcess({ ...server.env });
    await server.start();
    expect((await postWebhook(server, delivery([{ user: 'fullA', text: 'yes', mid: 'full2' }]))).status).toBe(200);
    await until(() => graph.textsFor('fullA').length === 4, 20_000, 'the conversation to continue');
    expect(graph.textsFor('fullA')[3]).toBe('Please describe the problem.');
    console.info(`[faults] read-only disk: start refused with a message naming the file; integrity_check ${check}; ${conversations} conversations kept and continuing`);
  }, 90_000);
});
