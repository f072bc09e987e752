/**
 * Store benchmark (not a test): the full life of one inbound event on the SQLite store
 * (addInbound, claimUser, getConversation, commit with a reply and a timer, releaseUser,
 * claimOutbox, ackOutbox), for both durability modes, and on the memory store for scale.
 * Run: npx tsx bench/store.bench.ts [events]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createMemoryStore } from '../src/store/memory.js';
import type { Store } from '../src/store/port.js';
import { openSqliteStore } from '../src/store/sqlite.js';

const EVENTS = Number(process.argv[2] ?? 5000);
const USERS = 500;

async function cycle(store: Store): Promise<number> {
  const start = performance.now();
  let now = 1_700_000_000_000;
  for (let i = 0; i < EVENTS; i++) {
    now += 1;
    const userId = `user-${i % USERS}`;
    await store.addInbound([{ key: `m${i}`, userId, pageId: 'p', receivedAt: now, event: { userId, pageId: 'p', event: { kind: 'text', text: 'hello' }, timestamp: now } }], now);
    const claim = (await store.claimUser('w', now, 30_000))!;
    const { rev } = await store.getConversation(claim.userId);
    const result = await store.commit({
      userId: claim.userId, owner: 'w', handled: claim.events.map((e) => e.seq!), expectedRev: rev,
      conversation: { version: 1, userId: claim.userId, status: 'active', flowId: 'onboarding', state: 'ask', visit: i, vars: { name: 'Ada', step: i }, attempts: 0, lastActivity: now, offered: ['a', 'b'] },
      outbox: [{ pageId: 'p', recipient: { id: claim.userId }, message: { kind: 'text', text: 'Thanks! What is your team?' } }],
      timers: [{ id: `remind-${i}`, at: now + 60_000 }],
    }, now);
    if (result !== 'ok') throw new Error(`commit gave ${result}`);
    await store.releaseUser(claim.userId, 'w');
    for (const record of await store.claimOutbox('d', now, 30_000, 10)) await store.ackOutbox(record.id, 'd');
  }
  return performance.now() - start;
}

const dir = mkdtempSync(join(tmpdir(), 'flowstate-bench-'));
try {
  const subjects: Array<[string, () => Store]> = [
    ['memory', () => createMemoryStore()],
    ['sqlite (WAL, synchronous=NORMAL)', () => openSqliteStore(join(dir, 'normal.db'))],
    ['sqlite (WAL, synchronous=FULL)', () => openSqliteStore(join(dir, 'full.db'), { durability: 'full' })],
  ];
  for (const [name, open] of subjects) {
    const store = open();
    const ms = await cycle(store);
    await store.close();
    console.log(`${name.padEnd(34)} ${EVENTS} events in ${ms.toFixed(0)} ms: ${Math.round((EVENTS / ms) * 1000)} events/s, ${((ms / EVENTS) * 1000).toFixed(0)} µs/event`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
