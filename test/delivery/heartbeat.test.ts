import { describe, expect, it } from 'vitest';
import { createHeartbeat, type HeartbeatOptions } from '../../src/delivery/heartbeat.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { Store } from '../../src/store/port.js';

type Call = { op: 'heartbeat'; owner: string; now: number; ttlMs: number } | { op: 'retire'; owner: string; now: number };

/** A store that records heartbeats and retirements, and fails the calls it is told to. */
function recordingStore(): HeartbeatOptions['store'] & { calls: Call[]; failNext: number } {
  const rec = {
    calls: [] as Call[],
    failNext: 0,
    async heartbeat(owner: string, now: number, ttlMs: number) {
      if (rec.failNext > 0) {
        rec.failNext--;
        throw new Error('Redis went away');
      }
      rec.calls.push({ op: 'heartbeat', owner, now, ttlMs });
    },
    async retire(owner: string, now: number) {
      if (rec.failNext > 0) {
        rec.failNext--;
        throw new Error('Redis went away');
      }
      rec.calls.push({ op: 'retire', owner, now });
    },
  };
  return rec;
}

function recordingLogger() {
  const lines: Array<{ level: string; obj: Record<string, unknown>; msg?: string }> = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj: obj as Record<string, unknown>, msg });
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') } };
}

/** Waits (bounded) until `pred` holds; the heartbeat loops here beat every millisecond. */
async function until(pred: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !pred(); i++) await new Promise((r) => setTimeout(r, 1));
  expect(pred()).toBe(true);
}

describe('heartbeat', () => {
  it('records the first beat before start() resolves, then beats on with the clock\'s time', async () => {
    const store = recordingStore();
    let now = 1000;
    const hb = createHeartbeat({ store, owner: 'host:1:ab', clock: () => now++, everyMs: 1, ttlMs: 50 });
    await hb.start();
    expect(store.calls).toEqual([{ op: 'heartbeat', owner: 'host:1:ab', now: 1000, ttlMs: 50 }]);
    await until(() => store.calls.length >= 3);
    await hb.stop();
    const beats = store.calls.filter((c) => c.op === 'heartbeat').map((c) => c.now);
    expect(beats).toEqual([...beats].sort((a, b) => a - b));
    expect(new Set(beats).size).toBe(beats.length);
  });

  it('stops beating on stop() and retires the owner last, once', async () => {
    const store = recordingStore();
    let now = 0;
    const hb = createHeartbeat({ store, owner: 'w', clock: () => ++now, everyMs: 1, ttlMs: 10 });
    await hb.start();
    await until(() => store.calls.length >= 2);
    await hb.stop();
    await hb.stop();
    const count = store.calls.length;
    expect(store.calls[count - 1]).toEqual({ op: 'retire', owner: 'w', now });
    expect(store.calls.filter((c) => c.op === 'retire')).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 10));
    expect(store.calls).toHaveLength(count);
  });

  it('keeps the owner\'s leases for others while it beats, and frees them at once when it stops (memory store)', async () => {
    const store: Store = createMemoryStore();
    const t = 1_700_000_000_000;
    const hb = createHeartbeat({ store, owner: 'p1', clock: () => t, everyMs: 1_000_000, ttlMs: 2_000_000 });
    await hb.start();
    await store.addInbound([{ key: 'm1', userId: 'u1', pageId: 'page', receivedAt: t, event: {} }], t);
    expect((await store.claimUser('p1', t, 30_000))?.userId).toBe('u1');
    expect(await store.claimUser('p2', t, 30_000)).toBeUndefined();
    await hb.stop();
    expect((await store.claimUser('p2', t, 30_000))?.userId).toBe('u1');
  });

  it('logs a store failure during a beat, and beats again at the next turn', async () => {
    const store = recordingStore();
    const { lines, logger } = recordingLogger();
    const hb = createHeartbeat({ store, owner: 'w', clock: () => 5, everyMs: 1, ttlMs: 10, logger });
    store.failNext = 1;
    await hb.start();
    expect(store.calls).toEqual([]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'error', obj: { code: 'FLOW_ERR_STORE_FAILURE', owner: 'w' } });
    expect(lines[0]!.msg).toContain('renewing this process\'s heartbeat (Redis went away)');
    await until(() => store.calls.length >= 1);
    await hb.stop();
    expect(store.calls[0]).toEqual({ op: 'heartbeat', owner: 'w', now: 5, ttlMs: 10 });
  });

  it('warns when a beat comes later than the time to live: the process looked dead meanwhile', async () => {
    const store = recordingStore();
    const { lines, logger } = recordingLogger();
    let now = 0;
    const hb = createHeartbeat({ store, owner: 'w', clock: () => now, everyMs: 1_000_000, ttlMs: 2_000_000, logger });
    await hb.start();
    now = 1_999_999;
    await hb.beat();
    expect(lines).toEqual([]);
    now += 2_000_000;
    await hb.beat();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', obj: { owner: 'w', silentMs: 2_000_000, ttlMs: 2_000_000 } });
    expect(lines[0]!.msg).toContain('they may have taken over the people and replies it was handling');
    await hb.stop();
  });

  it('still stops when the store cannot record the retirement, saying what follows', async () => {
    const store = recordingStore();
    const { lines, logger } = recordingLogger();
    const hb = createHeartbeat({ store, owner: 'w', clock: () => 0, everyMs: 1_000, ttlMs: 6_000, logger });
    await hb.start();
    store.failNext = 1;
    await hb.stop();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', obj: { code: 'FLOW_ERR_STORE_FAILURE' } });
    expect(lines[0]!.msg).toContain('within 6000 ms');
  });

  it('refuses a time to live that is not longer than the interval', () => {
    const store = recordingStore();
    expect(() => createHeartbeat({ store, owner: 'w', everyMs: 2000, ttlMs: 2000 })).toThrow(/ttlMs \(2000\) must be longer than everyMs \(2000\)/);
  });
});
