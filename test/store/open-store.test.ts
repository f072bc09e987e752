import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

  it('says plainly that the Redis store is not available yet', async () => {
    await expect(openStore('redis://127.0.0.1:6379/15')).rejects.toThrow('the Redis store is not available yet');
  });
});
