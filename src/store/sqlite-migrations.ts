/**
 * The SQLite schema, as numbered migrations (house style 8: version what you persist). Each
 * migration runs once, in order, in its own transaction, and is recorded in
 * `schema_migrations`. A database written by newer code (a version this code does not know)
 * is refused, never half-read.
 */
import type Database from 'better-sqlite3';
import { StoreError } from './store-error.js';

/** One step of the schema. Never edit a released migration: add a new one. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** All migrations, oldest first; the last one's version is the schema this code writes. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE inbound (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL,
        user_id TEXT NOT NULL,
        page_id TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        event TEXT NOT NULL
      );
      CREATE INDEX inbound_by_user ON inbound (user_id, seq);
      CREATE INDEX inbound_by_key ON inbound (key);

      -- Inbound keys remembered for the dedupe window, also after their events were handled.
      CREATE TABLE seen (
        key TEXT PRIMARY KEY,
        received_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX seen_by_age ON seen (received_at);

      CREATE TABLE conversations (
        user_id TEXT PRIMARY KEY,
        rev INTEGER NOT NULL,
        format INTEGER NOT NULL,
        json TEXT NOT NULL,
        out_seq INTEGER NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE leases (
        user_id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        until INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id TEXT NOT NULL,
        page_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        recipient TEXT NOT NULL,
        message TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        not_before INTEGER NOT NULL,
        lease_owner TEXT,
        lease_until INTEGER,
        created_at INTEGER NOT NULL,
        UNIQUE (user_id, seq)
      );

      CREATE TABLE timers (
        user_id TEXT NOT NULL,
        id TEXT NOT NULL,
        at INTEGER NOT NULL,
        page_id TEXT NOT NULL,
        recipient TEXT,
        PRIMARY KEY (user_id, id)
      ) WITHOUT ROWID;
      CREATE INDEX timers_by_time ON timers (at);
    `,
  },
  {
    version: 2,
    name: 'owner liveness',
    sql: `
      -- Heartbeats: a lease whose owner is listed here with alive_until <= now is free.
      CREATE TABLE owners (
        owner TEXT PRIMARY KEY,
        alive_until INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    name: 'drop an unused index',
    sql: `
      -- No query looks inbound events up by key (dedupe uses the seen table); the index only
      -- cost a random insert and delete per event.
      DROP INDEX IF EXISTS inbound_by_key;
    `,
  },
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/**
 * Brings the database at `file` to `SCHEMA_VERSION`. Throws a `StoreError` naming the file
 * when the database was written by a newer Flowstate. Safe when several processes open the
 * same file at once: each step runs in an IMMEDIATE transaction and re-checks the version.
 */
export function migrate(db: Database.Database, file: string, now: number): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const current = db.prepare<[], { v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const found = current.get()?.v ?? 0;
  if (found > SCHEMA_VERSION) {
    throw new StoreError(
      'STORE_UNAVAILABLE',
      `The store "${file}" has schema version ${found}, but this Flowstate only knows versions up to ${SCHEMA_VERSION}: ` +
        'it was written by a newer Flowstate. Upgrade Flowstate, or point STORE_URL at another file.',
    );
  }
  for (const migration of MIGRATIONS) {
    db.transaction(() => {
      if ((current.get()?.v ?? 0) >= migration.version) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, now);
    }).immediate();
  }
}
