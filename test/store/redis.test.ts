/**
 * The Redis store: the shared contract against a real Redis (REDIS_URL, e.g.
 * redis://127.0.0.1:6379/15), plus what only Redis has: the key prefix, the data format
 * marker, connection failures, and several instances racing for the same work.
 * Without REDIS_URL the Redis-backed part is skipped (with a note saying so); the failure
 * tests that need no Redis always run.
 */
import { randomBytes } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/port.js';
import { describeRedisUrl, openRedisStore, toRedisStoreError, REDIS_DATA_FORMAT } from '../../src/store/redis.js';
import { OWNER_MEMORY_MS, timerEvent } from '../../src/store/store-rules.js';
import { StoreError } from '../../src/store/store-error.js';
import { freePort } from '../support/server-process.js';
import { LEASE, T0, commitStep, textEvent } from './contract-helpers.js';
import { runStoreContract } from './contract.js';

const url = process.env.REDIS_URL;
if (!url) console.warn('test/store/redis.test.ts: REDIS_URL is not set, so the Redis store tests are skipped. Set REDIS_URL=redis://127.0.0.1:6379/15 to run them.');

const run = `fs-test:${process.pid}-${randomBytes(3).toString('hex')}`;
let stores = 0;
const nextPrefix = (): string => `${run}:${++stores}:`;

afterAll(async () => {
  if (!url) return;
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${run}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
});

describe.skipIf(!url)('Redis store (REDIS_URL)', () => {
  runStoreContract('redis', async () => openRedisStore(url!, { prefix: nextPrefix() }), {
    openPair: async () => {
      const prefix = nextPrefix();
      return { first: await openRedisStore(url!, { prefix }), second: () => openRedisStore(url!, { prefix }) };
    },
  });

  it('keeps installations with different prefixes apart', async () => {
    const a = await openRedisStore(url!, { prefix: nextPrefix() });
    const b = await openRedisStore(url!, { prefix: nextPrefix() });
    try {
      expect(await a.addInbound([textEvent('m1', 'u1')], T0)).toBe(1);
      expect(await b.addInbound([textEvent('m1', 'u1')], T0)).toBe(1);
      expect(await b.claimUser('w', T0, LEASE)).toMatchObject({ userId: 'u1' });
      expect(await a.claimUser('w', T0, LEASE)).toMatchObject({ userId: 'u1' });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('records its data format and refuses data of a newer Flowstate, naming the URL', async () => {
    const prefix = nextPrefix();
    await (await openRedisStore(url!, { prefix, clock: () => T0 })).close();
    const redis = new Redis(url!);
    try {
      expect(await redis.hgetall(`${prefix}meta`)).toEqual({ format: String(REDIS_DATA_FORMAT), created: String(T0) });
      await redis.hset(`${prefix}meta`, 'format', String(REDIS_DATA_FORMAT + 1));
    } finally {
      await redis.quit();
    }
    const attempt = openRedisStore(url!, { prefix });
    await expect(attempt).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await expect(openRedisStore(url!, { prefix })).rejects.toThrow(`The Redis store at ${describeRedisUrl(url!)} (keys "${prefix}*") has data format ${REDIS_DATA_FORMAT + 1}`);
  });

  it('builds a fired timer\'s event exactly as store-rules.ts does, whatever the characters', async () => {
    const store = await openRedisStore(url!, { prefix: nextPrefix() });
    try {
      const user = 'ü"s\\er/1 ✓';
      const recipient = { thread_key: 't/"ω"' };
      await store.addInbound([textEvent('m1', user, 'hi', 'pâge "9"', recipient)], T0);
      const claim = (await store.claimUser('w', T0, LEASE))!;
      expect(await commitStep(store, claim, 'w', T0, { timers: [{ id: 'ré"mind\\', at: T0 + 5 }] })).toBe('ok');
      await store.releaseUser(user, 'w');
      expect(await store.fireDueTimers(T0 + 5, 10)).toBe(1);
      const fired = (await store.claimUser('w', T0 + 6, LEASE))!;
      expect(fired.events).toEqual([{
        key: `timer:${user}:ré"mind\\`, userId: user, pageId: 'pâge "9"', seq: expect.any(Number), receivedAt: T0 + 5,
        event: timerEvent(user, 'pâge "9"', 'ré"mind\\', T0 + 5, recipient),
      }]);
    } finally {
      await store.close();
    }
  });

  it('never hands one person, reply or timer to two instances racing for them', async () => {
    const prefix = nextPrefix();
    const instances: Store[] = await Promise.all([0, 1, 2].map(() => openRedisStore(url!, { prefix })));
    try {
      const users = Array.from({ length: 12 }, (_, i) => `r${i}`);
      for (let round = 0; round < 3; round++) {
        await instances[round]!.addInbound(users.map((u) => textEvent(`${u}-${round}`, u, `${round}`)), T0 + round);
      }
      // Every instance runs two workers that claim and commit until nothing is left.
      const handled: string[] = [];
      const worker = async (store: Store, owner: string): Promise<void> => {
        for (;;) {
          const claim = await store.claimUser(owner, T0 + 10, LEASE);
          if (!claim) return;
          const texts = claim.events.map((e) => (e.event as { event: { text: string } }).event.text);
          handled.push(...texts.map((t) => `${claim.userId}:${t}`));
          expect(await commitStep(store, claim, owner, T0 + 10, { replies: texts, timers: [{ id: 't', at: T0 + 20 }] })).toBe('ok');
          await store.releaseUser(claim.userId, owner);
        }
      };
      await Promise.all(instances.flatMap((s, i) => [worker(s, `w${i}a`), worker(s, `w${i}b`)]));
      expect(handled.sort()).toEqual(users.flatMap((u) => ['0', '1', '2'].map((r) => `${u}:${r}`)).sort());

      const fired = await Promise.all(instances.map((s) => s.fireDueTimers(T0 + 20, 100)));
      expect(fired.reduce((a, b) => a + b, 0)).toBe(users.length);

      // Senders on all instances: each reply is claimed once, and a person's replies in order.
      const sent = new Map<string, string[]>();
      const sender = async (store: Store, owner: string): Promise<void> => {
        for (;;) {
          const records = await store.claimOutbox(owner, T0 + 30, LEASE, 5);
          if (records.length === 0) return;
          for (const r of records) {
            sent.set(r.userId, [...(sent.get(r.userId) ?? []), (r.message as { text: string }).text]);
            await store.ackOutbox(r.id, owner);
          }
        }
      };
      await Promise.all(instances.flatMap((s, i) => [sender(s, `d${i}a`), sender(s, `d${i}b`)]));
      for (const u of users) expect(sent.get(u)).toEqual(['0', '1', '2']);
      expect(await instances[0]!.stats()).toEqual({ inbound: users.length, outbox: 0, timers: 0 });
    } finally {
      await Promise.all(instances.map((s) => s.close()));
    }
  });

  it('keeps the index of claimed replies per owner exact: ack, retry, takeover, death and forgetting', async () => {
    const prefix = nextPrefix();
    const store = await openRedisStore(url!, { prefix });
    const redis = new Redis(url!);
    const held = async (owner: string): Promise<string[]> => (await redis.smembers(`${prefix}held:{${owner}}`)).sort();
    const holders = async (): Promise<string[]> => (await redis.smembers(`${prefix}holders`)).sort();
    try {
      await store.addInbound(['u1', 'u2', 'u3'].map((u) => textEvent(`m-${u}`, u)), T0);
      for (let i = 0; i < 3; i++) {
        const claim = (await store.claimUser('w', T0, LEASE))!;
        expect(await commitStep(store, claim, 'w', T0, { replies: ['a', 'b'] })).toBe('ok');
        await store.releaseUser(claim.userId, 'w');
      }
      await store.heartbeat('d1', T0, 10_000);
      const [r1, r2, r3] = await store.claimOutbox('d1', T0, LEASE, 10);
      expect(await held('d1')).toEqual(['u1', 'u2', 'u3']);
      await store.ackOutbox(r1!.id, 'd1');
      await store.retryOutbox(r2!.id, 'd1', T0 + 1, 1);
      expect(await held('d1')).toEqual(['u3']);
      expect(await holders()).toEqual(['d1']);
      // d1 dies: the next claim hands its reply on and forgets what d1 held.
      const taken = await store.claimOutbox('d2', T0 + 10_000, LEASE, 10);
      expect(taken.map((r) => r.id)).toContain(r3!.id);
      expect(taken.map((r) => r.userId).sort()).toEqual(['u1', 'u2', 'u3']);
      expect(await held('d1')).toEqual([]);
      expect(await held('d2')).toEqual(['u1', 'u2', 'u3']);
      expect(await holders()).toEqual(['d2']);
      for (const r of taken) await store.ackOutbox(r.id, 'd2');
      expect(await held('d2')).toEqual([]);
      expect(await holders()).toEqual([]);
      // An hour after its death, d1's record is forgotten by the next heartbeat.
      expect(await redis.zscore(`${prefix}owners`, 'd1')).toBe(String(T0 + 10_000));
      await store.heartbeat('d3', T0 + 10_000 + OWNER_MEMORY_MS, 10_000);
      expect(await redis.zscore(`${prefix}owners`, 'd1')).toBeNull();
      expect(await redis.zrange(`${prefix}owners`, '0', '-1')).toEqual(['d3']);
    } finally {
      await redis.quit();
      await store.close();
    }
  });

  it('fails fast with STORE_UNAVAILABLE when the connection to Redis is lost', async () => {
    const target = new URL(url!);
    const proxy = await startProxy(target.hostname, Number(target.port || 6379));
    const store = await openRedisStore(`redis://${proxy.address}${target.pathname}`, { prefix: nextPrefix() });
    try {
      await expect(store.ping()).resolves.toBeUndefined();
      await proxy.cut();
      const failed = await store.addInbound([textEvent('m1', 'u1')], T0).then(() => undefined, (error: unknown) => error);
      expect(failed).toBeInstanceOf(StoreError);
      expect(failed).toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining(`The Redis store at redis://${proxy.address}`) });
    } finally {
      await store.close();
    }
  });
});

describe('Redis store: failures that need no Redis', () => {
  it('refuses to open when nothing listens, naming the URL but never the password', async () => {
    const port = await freePort();
    const attempt = openRedisStore(`redis://flow:s3cret@127.0.0.1:${port}/3`);
    await expect(attempt).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    const error = (await attempt.catch((e: unknown) => e)) as Error;
    expect(error.message).toContain(`The Redis store at redis://127.0.0.1:${port}/3 cannot be reached`);
    expect(error.message).toContain('Check that Redis runs there and that STORE_URL is right.');
    expect(error.message).not.toContain('s3cret');
  });

  it('maps Redis replies to store error codes and lets bugs through', () => {
    const reply = (message: string) => Object.assign(new Error(message), { name: 'ReplyError' });
    expect(toRedisStoreError(reply('OOM command not allowed when used memory > \'maxmemory\'.'), 'redis://r:6379')).toMatchObject({ code: 'STORE_FULL', message: expect.stringContaining('redis://r:6379 is full') });
    expect(toRedisStoreError(reply('READONLY You can\'t write against a read only replica.'), 'redis://r')).toMatchObject({ code: 'STORE_READONLY', message: expect.stringContaining('Point STORE_URL at the primary') });
    expect(toRedisStoreError(reply('WRONGPASS invalid username-password pair'), 'redis://r')).toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining('user name and password') });
    expect(toRedisStoreError(reply('LOADING Redis is loading the dataset in memory'), 'redis://r')).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(toRedisStoreError(new Error('Command timed out'), 'redis://r')).toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining('cannot be reached (Command timed out)') });
    const bug = reply('ERR Error running script: attempt to index a nil value');
    expect(toRedisStoreError(bug, 'redis://r')).toBe(bug);
  });

  it('describes a URL without its credentials', () => {
    expect(describeRedisUrl('redis://user:pw@cache.internal:6380/2')).toBe('redis://cache.internal:6380/2');
    expect(describeRedisUrl('rediss://:pw@cache.internal')).toBe('rediss://cache.internal');
    expect(describeRedisUrl('not a url')).toBe('the Redis URL in STORE_URL (it is not a valid URL)');
  });
});

/** A TCP proxy to Redis that the test can cut, to lose the connection without stopping Redis. */
async function startProxy(host: string, port: number): Promise<{ address: string; cut(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(port, host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = `127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    address,
    cut: async () => {
      const closed = new Promise<void>((r) => server.close(() => r()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
