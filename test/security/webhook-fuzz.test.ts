/**
 * Hostile webhook deliveries against the real app, store, worker and engine: random bytes,
 * random JSON, and real deliveries mutated (wrong types, missing fields, huge arrays, deep
 * nesting, unicode, `__proto__`/`constructor` keys, numbers as strings). The server answers
 * the right status to each, never crashes, never corrupts a stored conversation, and still
 * answers a normal conversation correctly afterwards.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseDelivery } from '../../src/channel/webhook.js';
import { BODY_LIMIT, expectValidConversation, post, sign, startHarness, textDelivery, type Harness } from './harness.js';

/** Counts signature checks: an oversized body must be refused before any of them. */
const checks = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/channel/signature.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/channel/signature.js')>();
  return {
    ...real,
    verifySignature: (...args: Parameters<typeof real.verifySignature>) => {
      checks.count++;
      return real.verifySignature(...args);
    },
  };
});

const FIXTURES = readdirSync(resolve('test/fixtures/payloads'))
  .filter((f) => f.startsWith('webhook_'))
  .map((f) => readFileSync(resolve('test/fixtures/payloads', f), 'utf8'));

const protoNames = (o: object): string[] => Object.getOwnPropertyNames(o).sort();
const before = { object: protoNames(Object.prototype), array: protoNames(Array.prototype), string: protoNames(String.prototype) };

/** Sets an own property, even one named `__proto__` (plain assignment would change the prototype). */
function put(target: Record<string, unknown> | unknown[], key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function nest(depth: number, leaf: unknown, asArray: boolean): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
}

const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'text', 'mid', 'id', 'payload', 'quick_reply', 'postback', 'message', 'sender', 'recipient', 'is_echo', 'entry', 'messaging', 'timestamp', 'attachments', 'thread_key'];

const hostileObject = fc
  .array(fc.tuple(fc.constantFrom(...HOSTILE_KEYS), fc.jsonValue({ maxDepth: 2 })), { maxLength: 6 })
  .map((pairs) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of pairs) put(o, k, v);
    return o;
  });

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '0', '-1', '1732105200318', '1732105200', '1e400', 'NaN', 'null', 'true', '{{env.APP_SECRET}}', '\u0000', '\u202e\u200b', '🖨️'.repeat(200), 'x'.repeat(5000), 'FS1:__proto__:constructor:0', 'FS1:helpdesk:__proto__:0'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
  hostileObject,
  fc.integer({ min: 1000, max: 6000 }).map((n) => Array.from({ length: n }, (_, i) => i)),
  fc.tuple(fc.integer({ min: 50, max: 2500 }), fc.boolean()).map(([d, asArray]) => nest(d, 'deep', asArray)),
);

type Op = { kind: 'set'; at: number; value: unknown } | { kind: 'delete'; at: number } | { kind: 'add'; at: number; key: string; value: unknown } | { kind: 'retype'; at: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: hostileValue }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('add' as const), at: fc.nat(), key: fc.constantFrom(...HOSTILE_KEYS), value: hostileValue }),
  fc.record({ kind: fc.constant('retype' as const), at: fc.nat() }),
);

/** Every (container, key) slot of a JSON document, depth first. */
function slots(doc: unknown): Array<[Record<string, unknown> | unknown[], string | number]> {
  const out: Array<[Record<string, unknown> | unknown[], string | number]> = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth > 12 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) v.slice(0, 20).forEach((item, i) => (out.push([v, i]), walk(item, depth + 1)));
    else for (const k of Object.keys(v)) (out.push([v as Record<string, unknown>, k]), walk((v as Record<string, unknown>)[k], depth + 1));
  };
  walk(doc, 0);
  return out;
}

/** Numbers as strings, strings as numbers or lists, objects as JSON text. */
function retype(v: unknown): unknown {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return /^\d+$/.test(v) ? Number(v) : [v];
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function mutate(fixture: string, ops: Op[]): unknown {
  const doc = JSON.parse(fixture) as unknown;
  for (const o of ops) {
    const all = slots(doc);
    if (all.length === 0) break;
    const [parent, key] = all[o.at % all.length]!;
    const current = (parent as Record<string | number, unknown>)[key];
    if (o.kind === 'set') put(parent, key, o.value);
    else if (o.kind === 'retype') put(parent, key, retype(current));
    else if (o.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
    } else if (current !== null && typeof current === 'object' && !Array.isArray(current)) put(current as Record<string, unknown>, o.key, o.value);
    else put(parent, key, { [o.key]: o.value });
  }
  return doc;
}

function isJson(raw: Buffer): boolean {
  try {
    JSON.parse(raw.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

describe('webhook fuzzing (signed, through the app, the store, the worker and the engine)', () => {
  let h: Harness;
  const users = new Set<string>();
  const statuses: number[] = [];
  const note = (raw: string | Buffer, status: number): void => {
    statuses.push(status);
    if (status !== 200) return;
    try {
      for (const e of parseDelivery(JSON.parse(raw.toString())).events) users.add(e.userId);
    } catch {
      /* not JSON: nothing recorded */
    }
  };

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers 200 to signed JSON and 400 to signed non-JSON, for arbitrary bytes', async () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 600 }).map((a) => Buffer.from(a)),
      fc.string({ unit: 'grapheme', maxLength: 200 }).map((s) => Buffer.from(s)),
      fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
      fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from((JSON.stringify(v) ?? 'null').slice(0, -1))),
    );
    await fc.assert(
      fc.asyncProperty(bytes, async (raw) => {
        const res = await post(h.app, raw);
        note(raw, res.status);
        expect(res.status).toBe(isJson(raw) ? 200 : 400);
      }),
      { numRuns: 150 },
    );
  });

  it('answers 200 (or 413 when too large) to mutated real deliveries and records only what it could read', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: FIXTURES.length - 1 }), fc.array(op, { minLength: 1, maxLength: 5 }), async (which, ops) => {
        const raw = JSON.stringify(mutate(FIXTURES[which]!, ops));
        const res = await post(h.app, raw);
        note(raw, res.status);
        expect(res.status).toBe(Buffer.byteLength(raw) > BODY_LIMIT ? 413 : 200);
      }),
      { numRuns: 250 },
    );
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(100);
  });

  it('refuses unsigned (401) and badly signed (403) bodies, whatever the header says', async () => {
    const printable = fc.string({ minLength: 0, maxLength: 90 }).filter((s) => /^[\x20-\x7e]*$/.test(s));
    const before = (await h.store.stats()).inbound;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: FIXTURES.length - 1 }), printable, fc.constantFrom('random', 'other-secret', 'other-body', 'sha1-prefix', 'upper', 'truncated'), async (which, junk, kind) => {
        const raw = FIXTURES[which]!;
        const good = sign(raw);
        const header = {
          random: junk,
          'other-secret': sign(raw, `${junk}x`),
          'other-body': sign(`${raw} `),
          'sha1-prefix': good.replace('sha256=', 'sha1='),
          upper: `sha256=${good.slice(7).toUpperCase()}x`,
          truncated: good.slice(0, -2),
        }[kind];
        expect((await post(h.app, raw, { signature: header })).status).toBe(403);
        expect((await post(h.app, raw, { signature: null })).status).toBe(401);
        expect((await post(h.app, raw, { signature: null, contentType: 'text/plain' })).status).toBe(401);
      }),
      { numRuns: 60 },
    );
    expect((await h.store.stats()).inbound).toBe(before);
  });

  it('treats content types, methods and repeated headers safely', async () => {
    const raw = textDelivery('ctype-user', 'hi', 'ctype.1');
    for (const contentType of ['text/plain', 'APPLICATION/JSON; charset=UTF-8', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', null]) {
      expect((await post(h.app, raw, { contentType })).status).toBe(200);
      expect((await post(h.app, raw, { contentType, signature: null })).status).toBe(401);
      expect((await post(h.app, raw, { contentType, signature: 'sha256=00' })).status).toBe(403);
    }
    // A forged signature next to a good one is not accepted in either order.
    expect((await post(h.app, raw, { signature: ['sha256=00', sign(raw)] })).status).toBe(403);
    expect((await post(h.app, raw, { signature: [sign(raw), 'sha256=00'] })).status).toBe(403);
    // Two different signature headers: the SHA-256 one decides.
    expect((await post(h.app, raw, { signature: 'sha256=00', headers: { 'x-hub-signature': `sha1=${'0'.repeat(40)}` } })).status).toBe(403);
    const inbound = (await h.store.stats()).inbound;
    const checked = checks.count;
    const get = await h.app.inject({ method: 'GET', url: '/webhook', payload: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(raw) } });
    expect(get.statusCode).toBe(403);
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
      expect((await h.app.inject({ method, url: '/webhook', payload: raw, headers: { 'x-hub-signature-256': sign(raw) } })).statusCode).toBe(404);
    }
    expect(checks.count).toBe(checked);
    expect((await h.store.stats()).inbound).toBeLessThanOrEqual(inbound);
    expect((await post(h.app, '')).status).toBe(400);
    expect((await post(h.app, '', { signature: null })).status).toBe(401);
  });

  it('answers 413 to an oversized body before its signature is checked or it is parsed', async () => {
    const raw = Buffer.from(JSON.stringify({ object: 'page', entry: [{ id: 'P', messaging: [], pad: 'x'.repeat(BODY_LIMIT) }] }));
    const checked = checks.count;
    expect((await post(h.app, raw)).status).toBe(413);
    expect((await post(h.app, raw, { signature: null })).status).toBe(413);
    // Streamed in chunks (no Content-Length): counted while it arrives, refused all the same.
    const streamed = await h.app.inject({ method: 'POST', url: '/webhook', payload: Readable.from([raw.subarray(0, 1000), raw.subarray(1000)]), headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(raw) } });
    expect(streamed.statusCode).toBe(413);
    expect(checks.count).toBe(checked);
    // Just under the limit is read and checked.
    const fits = Buffer.from(JSON.stringify({ object: 'page', entry: [], pad: 'x'.repeat(BODY_LIMIT - 100) }));
    expect((await post(h.app, fits)).status).toBe(200);
    expect(checks.count).toBe(checked + 1);
  });

  it('kept every stored conversation valid, polluted no prototype, and still converses normally', async () => {
    await h.drain();
    expect(statuses.every((s) => s < 500)).toBe(true);
    // The fixtures name six senders; the fuzz reaches most of them (which ones is random).
    expect(users.size).toBeGreaterThanOrEqual(3);
    for (const u of users) expectValidConversation((await h.store.getConversation(u)).conversation, u, h.flowIds);
    expect(protoNames(Object.prototype)).toEqual(before.object);
    expect(protoNames(Array.prototype)).toEqual(before.array);
    expect(protoNames(String.prototype)).toEqual(before.string);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await h.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    await h.takeReplies();

    // A person the fuzz wrote to can still talk to the bot.
    const fuzzed = [...users][0]!;
    expect((await post(h.app, textDelivery(fuzzed, 'hi', 'after.fuzz.0'))).status).toBe(200);
    // A new person goes through the whole flow; unicode and template-looking text are kept as typed.
    const typed = 'imprimante 🖨️ en panne \u202e {{env.APP_SECRET}} {{#with "s" as |s|}}{{s.constructor}}{{/with}}';
    let n = 0;
    for (const text of ['hi', 'Technical', 'Yes', typed]) {
      expect((await post(h.app, textDelivery('after-fuzz-user', text, `after.fuzz.${++n}`))).status).toBe(200);
      await h.drain();
    }
    const replies = await h.takeReplies();
    expect(replies.get(fuzzed)?.length ?? 0).toBeGreaterThan(0);
    expect(replies.get('after-fuzz-user')).toEqual(['Hi !', 'What do you need help with?', 'Is it urgent?', 'Please describe the problem.', `Thanks, noted (yes): ${typed}`]);
    expectValidConversation((await h.store.getConversation(fuzzed)).conversation, fuzzed, h.flowIds);
  });
});
