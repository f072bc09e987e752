import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/sqlite-migrations.js';
import { toStoreError } from '../../src/store/sqlite-errors.js';
import { StoreError } from '../../src/store/store-error.js';
import { LEASE, T0, conversation, reply, textEvent } from './contract-helpers.js';
import { runStoreContract } from './contract.js';

const dir = mkdtempSync(join(tmpdir(), 'flowstate-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const nextFile = () => join(dir, `store-${++files}.db`);

runStoreContract('sqlite', async () => openSqliteStore(nextFile()), {
  openPair: async () => {
    const file = nextFile();
    return { first: openSqliteStore(file), second: async () => openSqliteStore(file) };
  },
});

describe('SQLite store: the file', () => {
  it('uses WAL, records its schema version, and honours the durability option', async () => {
    const file = nextFile();
    await openSqliteStore(file, { durability: 'full' }).close();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({ v: SCHEMA_VERSION });
    } finally {
      db.close();
    }
    const again = openSqliteStore(file);
    await expect(again.ping()).resolves.toBeUndefined();
    await again.close();
  });

  it('refuses a database written by a newer Flowstate, naming the file', async () => {
    const file = nextFile();
    await openSqliteStore(file).close();
    const db = new Database(file);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(SCHEMA_VERSION + 1, 'future', T0);
    db.close();
    expect(() => openSqliteStore(file)).toThrow(StoreError);
    expect(() => openSqliteStore(file)).toThrow(`The store "${file}" has schema version ${SCHEMA_VERSION + 1}`);
  });

  it('upgrades a file of schema 1 (before heartbeats) in place, keeping its leases and work', async () => {
    const file = nextFile();
    const db = new Database(file);
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    db.exec(MIGRATIONS[0]!.sql);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (1, ?, ?)').run(MIGRATIONS[0]!.name, T0);
    db.prepare("INSERT INTO inbound (key, user_id, page_id, received_at, event) VALUES ('m1', 'u1', 'p', ?, '{}')").run(T0);
    db.prepare("INSERT INTO leases (user_id, owner, until) VALUES ('u1', 'old-process', ?)").run(T0 + LEASE);
    db.close();
    const store = openSqliteStore(file);
    try {
      // The old process never sent a heartbeat: its lease counts until it ends.
      expect(await store.claimUser('new', T0 + LEASE - 1, LEASE)).toBeUndefined();
      await store.heartbeat('old-process', T0, 1000);
      expect((await store.claimUser('new', T0 + 1000, LEASE))?.userId).toBe('u1');
    } finally {
      await store.close();
    }
    const check = new Database(file, { readonly: true });
    expect(check.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({ v: SCHEMA_VERSION });
    check.close();
  });

  it('refuses a file that is not a database, naming it', () => {
    const file = nextFile();
    writeFileSync(file, 'this is not sqlite, just some text that is long enough to have a header '.repeat(20));
    let caught: unknown;
    try { openSqliteStore(file); } catch (error) { caught = error; }
    expect(caught).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect((caught as Error).message).toContain(`"${file}" is damaged or is not a Flowstate database`);
  });

  it('reports a folder that does not exist as STORE_UNAVAILABLE', () => {
    const file = join(dir, 'missing', 'deeper', 'x.db');
    expect(() => openSqliteStore(file)).toThrow(expect.objectContaining({ code: 'STORE_UNAVAILABLE' }));
  });
});

describe('SQLite store: errors', () => {
  it('maps a full disk to STORE_FULL, naming the file, and writes nothing half-way', async () => {
    const file = nextFile();
    const store = openSqliteStore(file);
    await store.addInbound([textEvent('m0', 'u1')], T0);
    // A second connection capped at the file's current size gets a real SQLITE_FULL.
    const db = new Database(file);
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    let raw: unknown;
    try {
      const insert = db.prepare('INSERT INTO seen (key, received_at) VALUES (?, 0)');
      db.transaction(() => { for (let i = 0; i < 5000; i++) insert.run(`k${i}-${'x'.repeat(200)}`); })();
    } catch (error) {
      raw = error;
    }
    expect(db.prepare('SELECT COUNT(*) AS n FROM seen').get()).toEqual({ n: 1 });
    db.close();
    const mapped = toStoreError(raw, file);
    expect(mapped).toMatchObject({ code: 'STORE_FULL' });
    expect((mapped as Error).message).toContain(`The store "${file}" cannot grow`);
    await store.close();
  });

  it('maps read-only, corrupt and locked errors to their codes, and lets bugs through', () => {
    const sqliteError = (code: string) => Object.assign(new Error('boom'), { code });
    expect(toStoreError(sqliteError('SQLITE_READONLY_DBMOVED'), 'a.db')).toMatchObject({ code: 'STORE_READONLY', message: expect.stringContaining('"a.db" is read-only') });
    expect(toStoreError(sqliteError('SQLITE_CORRUPT'), 'a.db')).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(toStoreError(sqliteError('SQLITE_BUSY'), 'a.db')).toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining('locked') });
    const bug = sqliteError('SQLITE_CONSTRAINT_UNIQUE');
    expect(toStoreError(bug, 'a.db')).toBe(bug);
    const notSqlite = new TypeError('x');
    expect(toStoreError(notSqlite, 'a.db')).toBe(notSqlite);
  });

  it('rejects calls on a closed store with STORE_UNAVAILABLE naming the file', async () => {
    const file = nextFile();
    const store = openSqliteStore(file);
    await store.close();
    await expect(store.addInbound([textEvent('m', 'u')], T0)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining(file) });
  });
});

describe('SQLite store: group commit', () => {
  it('runs calls made together in call order, and settles them only once committed', async () => {
    const file = nextFile();
    const store = openSqliteStore(file);
    const other = new Database(file, { readonly: true });
    try {
      const added = store.addInbound([textEvent('g1', 'u1')], T0);
      const claimed = store.claimGivenUser('u1', 'w1', T0, LEASE); // sees the event added just before
      const events = (await claimed)?.events.map((e) => e.key);
      expect(await added).toBe(1);
      expect(events).toEqual(['g1']);
      // Settled means committed: another connection sees the rows.
      expect(other.prepare('SELECT COUNT(*) AS n FROM leases WHERE user_id = ?').get('u1')).toEqual({ n: 1 });
    } finally {
      other.close();
      await store.close();
    }
  });

  it('undoes and rejects a failing call alone; the rest of its group is committed', async () => {
    const file = nextFile();
    const store = openSqliteStore(file);
    await store.addInbound([textEvent('a1', 'u1')], T0);
    const claim = (await store.claimGivenUser('u1', 'w1', T0, LEASE))!;
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const before = store.addInbound([textEvent('b1', 'u2')], T0);
    // The commit deletes u1's handled event, then fails on a conversation it cannot write.
    const broken = store.commit({ userId: 'u1', owner: 'w1', handled: claim.events.map((e) => e.seq!), expectedRev: 0, conversation: { ...conversation('u1'), vars: circular }, outbox: [reply('never')], timers: [] }, T0);
    const after = store.addInbound([textEvent('c1', 'u3')], T0);
    await expect(broken).rejects.toThrow(TypeError);
    expect(await before).toBe(1);
    expect(await after).toBe(1);
    await store.close();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT key FROM inbound ORDER BY seq').all()).toEqual([{ key: 'a1' }, { key: 'b1' }, { key: 'c1' }]);
      expect(db.prepare('SELECT COUNT(*) AS n FROM outbox').get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT COUNT(*) AS n FROM conversations').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it('leaves no lease behind when a claim in a group cannot read what it claims (it reads before it writes)', async () => {
    const file = nextFile();
    const store = openSqliteStore(file);
    await store.addInbound([textEvent('r1', 'u1')], T0);
    const spoiler = new Database(file);
    spoiler.prepare("UPDATE inbound SET event = '{not json' WHERE key = 'r1'").run();
    spoiler.close();
    const added = store.addInbound([textEvent('r2', 'u2')], T0);
    const broken = store.claimGivenUser('u1', 'w1', T0, LEASE);
    const fine = store.claimGivenUser('u2', 'w1', T0, LEASE);
    await expect(broken).rejects.toThrow(SyntaxError);
    expect(await added).toBe(1);
    expect((await fine)?.events.map((e) => e.key)).toEqual(['r2']);
    await store.close();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT user_id FROM leases ORDER BY user_id').all()).toEqual([{ user_id: 'u2' }]);
    } finally {
      db.close();
    }
  });

  it('rejects every call of a group that cannot be committed, and loses none of the later ones', async () => {
    const file = nextFile();
    const store = openSqliteStore(file, { busyTimeoutMs: 50 });
    const locker = new Database(file);
    locker.exec('BEGIN IMMEDIATE'); // another program holds the write lock
    const first = store.addInbound([textEvent('x1', 'u1')], T0);
    const second = store.addInbound([textEvent('x2', 'u2')], T0);
    await expect(first).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await expect(second).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    locker.exec('ROLLBACK');
    locker.close();
    const [a, b] = await Promise.all([store.addInbound([textEvent('x1', 'u1')], T0), store.addInbound([textEvent('x2', 'u2')], T0)]);
    expect([a, b]).toEqual([1, 1]);
    expect((await store.stats()).inbound).toBe(2);
    await store.close();
  });

  it('carries out what was asked before close', async () => {
    const file = nextFile();
    const store = openSqliteStore(file);
    const pending = store.addInbound([textEvent('z1', 'u1')], T0);
    await store.close();
    expect(await pending).toBe(1);
    const again = openSqliteStore(file);
    expect((await again.stats()).inbound).toBe(1);
    await again.close();
  });
});
