import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { T0, textEvent } from './contract-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'flowstate-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openStore', () => {
  it('opens a SQLite file, creating its folders, and finds the data again', async () => {
    const file = join(dir, 'a', 'b', 'flowstate.db');
    const store = await openStore(`sqlite:${file}`);
    expect(existsSync(file)).toBe(true);
    expect(await store.addInbound([textEvent('m1', 'u1')], T0)).toBe(1);
    await store.close();
    const again = await openStore(`sqlite://${file}`);
    expect(await again.stats()).toEqual({ inbound: 1, outbox: 0, timers: 0 });
    await again.close();
  });

  it('opens a memory store', async () => {
    const store = await openStore('memory:');
    expect(await store.addInbound([textEvent('m1', 'u1')], T0)).toBe(1);
    await store.close();
  });

  it('says which forms it accepts for an unknown or empty URL', async () => {
    await expect(openStore('postgres://db/x')).rejects.toThrow('STORE_URL "postgres://db/x" is not a store this Flowstate knows. Use "sqlite:<path>"');
    await expect(openStore('sqlite:')).rejects.toThrow('STORE_URL "sqlite:" names no file.');
  });

  it('opens the Redis store, and says plainly when Redis cannot be reached', async () => {
    const port = await new Promise<number>((res) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => res(p));
      });
    });
    const url = `redis://127.0.0.1:${port}/0`;
    await expect(openStore(url)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining(`The Redis store at ${url} cannot be reached`) });
    if (process.env.REDIS_URL) {
      const store = await openStore(process.env.REDIS_URL);
      await store.ping();
      await store.close();
    }
  });
});
