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

describe('heartbeat: processes of this machine that died', () => {
  const TAG = 'a1b2c3d4e5f6';
  const t = 1_700_000_000_000;
  const gone = new Set([300]);
  const processExists = (pid: number): boolean => !gone.has(pid);

  it('frees at its first beat what a dead process of this machine held, and leaves the others to their heartbeat', async () => {
    const store: Store = createMemoryStore();
    const dead = `host:300:aaaaaaaa@${TAG}`;
    const elsewhere = `host:300:bbbbbbbb@ffffffffffff`;
    const alive = `host:200:cccccccc@${TAG}`;
    for (const o of [dead, elsewhere, alive]) await store.heartbeat(o, t, 10_000);
    for (const [i, o] of [dead, elsewhere, alive].entries()) {
      await store.addInbound([{ key: `m${i}`, userId: `u${i}`, pageId: 'page', receivedAt: t, event: {} }], t);
      expect((await store.claimGivenUser(`u${i}`, o, t, 30_000))?.userId).toBe(`u${i}`);
    }
    const { lines, logger } = recordingLogger();
    const self = `host:100:dddddddd@${TAG}`;
    const hb = createHeartbeat({ store, owner: self, clock: () => t + 1, everyMs: 1_000_000, ttlMs: 2_000_000, logger, processExists });
    await hb.start();
    try {
      expect(await store.claimGivenUser('u0', self, t + 1, 30_000)).toMatchObject({ userId: 'u0' });
      expect(await store.claimGivenUser('u1', self, t + 1, 30_000)).toBeUndefined();
      expect(await store.claimGivenUser('u2', self, t + 1, 30_000)).toBeUndefined();
      expect((await store.liveOwners(t + 1)).sort()).toEqual([alive, elsewhere, self].sort());
      expect(lines).toEqual([expect.objectContaining({ level: 'warn', obj: expect.objectContaining({ deadOwner: dead, deadPid: 300 }) })]);
      expect(lines[0]!.msg).toContain('A Flowstate process of this machine (process 300) stopped without shutting down.');
    } finally {
      await hb.stop();
    }
  });

  it('finds a process of this machine that dies later, at a later beat', async () => {
    const store: Store = createMemoryStore();
    const self = `host:100:dddddddd@${TAG}`;
    const neighbour = `host:400:eeeeeeee@${TAG}`;
    await store.heartbeat(neighbour, t, 10_000_000);
    let neighbourRuns = true;
    const hb = createHeartbeat({ store, owner: self, clock: () => t, everyMs: 1, ttlMs: 1_000, processExists: (pid) => pid !== 400 || neighbourRuns });
    await hb.start();
    try {
      expect(await store.liveOwners(t)).toContain(neighbour);
      neighbourRuns = false;
      let live = await store.liveOwners(t);
      for (let i = 0; i < 2000 && live.includes(neighbour); i++) {
        await new Promise((r) => setTimeout(r, 1));
        live = await store.liveOwners(t);
      }
      expect(live).toEqual([self]);
    } finally {
      await hb.stop();
    }
  });

  it('logs a store failure while looking, and keeps beating', async () => {
    const base = recordingStore();
    const store = { ...base, liveOwners: async (): Promise<string[]> => { throw new Error('Redis went away'); } };
    const { lines, logger } = recordingLogger();
    const hb = createHeartbeat({ store, owner: `host:100:dddddddd@${TAG}`, clock: () => t, everyMs: 1_000_000, ttlMs: 2_000_000, logger, processExists });
    await hb.start();
    await hb.stop();
    expect(base.calls.map((c) => c.op)).toEqual(['heartbeat', 'retire']);
    expect(lines).toEqual([expect.objectContaining({ level: 'error', obj: expect.objectContaining({ code: 'FLOW_ERR_STORE_FAILURE' }) })]);
    expect(lines[0]!.msg).toContain('looking for stopped processes of this machine');
  });
});
