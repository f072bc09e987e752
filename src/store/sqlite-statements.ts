/**
 * Every SQL statement of the SQLite store, prepared once when the store opens.
 */
import type Database from 'better-sqlite3';

/** An outbox row as stored. */
export interface OutboxRow {
  id: number; user_id: string; page_id: string; seq: number; recipient: string; message: string;
  attempts: number; not_before: number; created_at: number;
}
interface InboundRow { seq: number; key: string; page_id: string; received_at: number; event: string }
interface TimerRow { user_id: string; id: string; at: number; page_id: string; recipient: string | null }
interface ConversationRow { rev: number; format: number; json: string; out_seq: number }

/** Prepares the store's statements on `db` (whose schema is current). */
export function prepareStatements(db: Database.Database) {
  return {
    pruneSeen: db.prepare<[number]>('DELETE FROM seen WHERE received_at <= ?'),
    pruneLeases: db.prepare<[number]>('DELETE FROM leases WHERE until <= ?'),
    // Inserts the key, or renews one older than the dedupe window; `changes` is 0 for a duplicate.
    markSeen: db.prepare<[{ key: string; now: number; forgotten: number }]>(
      'INSERT INTO seen (key, received_at) VALUES (@key, @now) ON CONFLICT (key) DO UPDATE SET received_at = excluded.received_at WHERE seen.received_at <= @forgotten',
    ),
    insertInbound: db.prepare<[string, string, string, number, string]>(
      'INSERT INTO inbound (key, user_id, page_id, received_at, event) VALUES (?, ?, ?, ?, ?)',
    ),
    inboundOfUser: db.prepare<[string], InboundRow>('SELECT seq, key, page_id, received_at, event FROM inbound WHERE user_id = ? ORDER BY seq'),
    inboundKeysOfUser: db.prepare<[string], { seq: number; key: string; page_id: string }>('SELECT seq, key, page_id FROM inbound WHERE user_id = ? ORDER BY seq'),
    inboundEvent: db.prepare<[number], { event: string }>('SELECT event FROM inbound WHERE seq = ?'),
    deleteInboundOf: db.prepare<[number, string]>('DELETE FROM inbound WHERE seq = ? AND user_id = ?'),
    // The person with the oldest pending event whose lease is free (none, ended, or its owner
    // dead). Walks inbound by seq; leases and owners are looked up by primary key.
    firstFreeUser: db.prepare<[{ now: number }], { user_id: string }>(
      `SELECT i.user_id FROM inbound i
       LEFT JOIN leases l ON l.user_id = i.user_id
       LEFT JOIN owners w ON w.owner = l.owner
       WHERE l.user_id IS NULL OR l.until <= @now OR w.alive_until <= @now
       ORDER BY i.seq LIMIT 1`,
    ),
    userIfFree: db.prepare<[{ userId: string; now: number }], { user_id: string }>(
      `SELECT i.user_id FROM inbound i WHERE i.user_id = @userId
       AND NOT EXISTS (SELECT 1 FROM leases l LEFT JOIN owners w ON w.owner = l.owner
         WHERE l.user_id = @userId AND l.until > @now AND (w.alive_until IS NULL OR w.alive_until > @now)) LIMIT 1`,
    ),
    upsertLease: db.prepare<[string, string, number]>(
      'INSERT INTO leases (user_id, owner, until) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET owner = excluded.owner, until = excluded.until',
    ),
    // What the direct path (`commitNow`) must know before it writes, in one statement: whether
    // the key was seen within the window, whether the person has pending events or a lease
    // that counts, their conversation's rev and reply count, and whether they have timers.
    directCheck: db.prepare<[{ key: string; forgotten: number; userId: string; now: number }], {
      seen: number; pending: number; leased: number; rev: number | null; out_seq: number | null; timers: number;
    }>(
      `SELECT
         EXISTS (SELECT 1 FROM seen WHERE key = @key AND received_at > @forgotten) AS seen,
         EXISTS (SELECT 1 FROM inbound WHERE user_id = @userId) AS pending,
         EXISTS (SELECT 1 FROM leases l LEFT JOIN owners w ON w.owner = l.owner
           WHERE l.user_id = @userId AND l.until > @now AND (w.alive_until IS NULL OR w.alive_until > @now)) AS leased,
         c.rev AS rev, c.out_seq AS out_seq,
         EXISTS (SELECT 1 FROM timers WHERE user_id = @userId) AS timers
       FROM (SELECT 1) LEFT JOIN conversations c ON c.user_id = @userId`,
    ),
    getLease: db.prepare<[string], { owner: string; until: number }>('SELECT owner, until FROM leases WHERE user_id = ?'),
    releaseLease: db.prepare<[string, string]>('DELETE FROM leases WHERE user_id = ? AND owner = ?'),
    upsertOwner: db.prepare<[string, number]>(
      'INSERT INTO owners (owner, alive_until) VALUES (?, ?) ON CONFLICT (owner) DO UPDATE SET alive_until = excluded.alive_until',
    ),
    pruneOwners: db.prepare<[number]>('DELETE FROM owners WHERE alive_until <= ?'),
    liveOwners: db.prepare<[number], { owner: string }>('SELECT owner FROM owners WHERE alive_until > ?'),
    getConversation: db.prepare<[string], ConversationRow>('SELECT rev, format, json, out_seq FROM conversations WHERE user_id = ?'),
    upsertConversation: db.prepare<[string, number, number, string, number, number]>(
      `INSERT INTO conversations (user_id, rev, format, json, out_seq, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET rev = excluded.rev, format = excluded.format, json = excluded.json,
       out_seq = excluded.out_seq, updated_at = excluded.updated_at`,
    ),
    insertOutbox: db.prepare<[string, string, number, string, string, number, number]>(
      'INSERT INTO outbox (user_id, page_id, seq, recipient, message, not_before, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    // The head (lowest seq) of each person's outbox, when due and free (not leased, lease
    // ended, or its owner dead: a primary-key look-up in owners).
    dueHeads: db.prepare<[{ now: number; limit: number }], OutboxRow>(
      `SELECT o.id, o.user_id, o.page_id, o.seq, o.recipient, o.message, o.attempts, o.not_before, o.created_at
       FROM outbox o
       WHERE o.not_before <= @now
         AND (o.lease_until IS NULL OR o.lease_until <= @now
           OR EXISTS (SELECT 1 FROM owners w WHERE w.owner = o.lease_owner AND w.alive_until <= @now))
         AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.user_id = o.user_id AND p.seq < o.seq)
       ORDER BY o.id LIMIT @limit`,
    ),
    // The head of one person's outbox, with whether its lease still counts at @now.
    headOf: db.prepare<[{ userId: string; now: number }], OutboxRow & { held: number }>(
      `SELECT o.id, o.user_id, o.page_id, o.seq, o.recipient, o.message, o.attempts, o.not_before, o.created_at,
         (o.lease_until IS NOT NULL AND o.lease_until > @now
           AND NOT EXISTS (SELECT 1 FROM owners w WHERE w.owner = o.lease_owner AND w.alive_until <= @now)) AS held
       FROM outbox o WHERE o.user_id = @userId ORDER BY o.seq LIMIT 1`,
    ),
    leaseOutbox: db.prepare<[string, number, number]>('UPDATE outbox SET lease_owner = ?, lease_until = ? WHERE id = ?'),
    deleteOutbox: db.prepare<[string]>('DELETE FROM outbox WHERE id = CAST(? AS INTEGER)'),
    retryOutbox: db.prepare<[number, number, string, string]>(
      'UPDATE outbox SET not_before = ?, attempts = ?, lease_owner = NULL, lease_until = NULL WHERE id = CAST(? AS INTEGER) AND lease_owner = ?',
    ),
    anyTimerOfUser: db.prepare<[string], TimerRow>('SELECT user_id, id, at, page_id, recipient FROM timers WHERE user_id = ? LIMIT 1'),
    deleteTimersOfUser: db.prepare<[string]>('DELETE FROM timers WHERE user_id = ?'),
    upsertTimer: db.prepare<[string, string, number, string, string | null]>(
      'INSERT OR REPLACE INTO timers (user_id, id, at, page_id, recipient) VALUES (?, ?, ?, ?, ?)',
    ),
    dueTimers: db.prepare<[number, number], TimerRow>(
      'SELECT user_id, id, at, page_id, recipient FROM timers WHERE at <= ? ORDER BY at, user_id, id LIMIT ?',
    ),
    deleteTimer: db.prepare<[string, string]>('DELETE FROM timers WHERE user_id = ? AND id = ?'),
    nextTimer: db.prepare<[], { at: number | null }>('SELECT MIN(at) AS at FROM timers'),
    stats: db.prepare<[], { inbound: number; outbox: number; timers: number }>(
      'SELECT (SELECT COUNT(*) FROM inbound) AS inbound, (SELECT COUNT(*) FROM outbox) AS outbox, (SELECT COUNT(*) FROM timers) AS timers',
    ),
    ping: db.prepare<[], { ok: number }>('SELECT 1 AS ok'),
  };
}

/** The prepared statements of one open store. */
export type Statements = ReturnType<typeof prepareStatements>;
