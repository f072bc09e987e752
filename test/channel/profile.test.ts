import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createProfileClient as createClient, networkErrorCode, retryDelayAfter, toProfile, type ProfileClient, type ProfileClientOptions } from '../../src/channel/profile.js';
import { startFakeGraph, type FakeGraph } from './fake-graph.js';

const TOKEN = 'EAAexampletoken';
const SECRET = 'app_secret_example';

let graph: FakeGraph;
let now = 1700000000_000;
const clock = () => now;

beforeAll(async () => {
  graph = await startFakeGraph();
});
afterAll(async () => {
  await graph.close();
});
beforeEach(() => {
  graph.requests.length = 0;
  graph.answers.length = 0;
  graph.delayMs = 0;
  now = 1700000000_000;
  pauses = [];
});

// Every client made by a test is closed after it (each one holds a keep-alive pool), and
// records the pause before its retry instead of waiting it out (no test reads the clock).
const clients: ProfileClient[] = [];
let pauses: number[] = [];
function createProfileClient(options: ProfileClientOptions): ProfileClient {
  const client = createClient({ sleep: async (ms) => void pauses.push(ms), ...options });
  clients.push(client);
  return client;
}

/** A client of the fake Graph API (or of `url`), with the test's token, secret and clock. */
function clientOf(extra: Partial<ProfileClientOptions> = {}, url = graph.url): ProfileClient {
  return createProfileClient({ graphApiUrl: url, apiVersion: 'v25.0', accessToken: TOKEN, appSecret: SECRET, clock, ...extra });
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

/** A local HTTP server with a handler of the test's own (for what the fake Graph cannot do); closed after the test. */
const servers: Array<() => Promise<void>> = [];
async function startServer(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }));
  servers.push(close);
  return { url: `http://127.0.0.1:${port}`, server, close };
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close()));
});

const member = { id: '100042211335577', first_name: 'Alex', last_name: 'Example', name: 'Alex Example', email: 'alex@example.com', title: 'Engineer', department: 'IT', locale: 'fr_FR', extra: 'dropped' };

describe('profile client', () => {
  it('asks for the Workplace fields with the token and a timed proof, and keeps the known ones', async () => {
    graph.answers.push({ status: 200, body: member });
    const client = clientOf();
    const profile = await client.get('100042211335577');
    expect(profile).toEqual({ id: '100042211335577', first_name: 'Alex', last_name: 'Example', name: 'Alex Example', email: 'alex@example.com', title: 'Engineer', department: 'IT', locale: 'fr_FR' });
    const [req] = graph.requests;
    expect(req.path).toBe('/v25.0/100042211335577');
    expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req.query.get('fields')).toBe('first_name,last_name,name,email,title,department,locale');
    expect(req.query.get('appsecret_proof')).toBe('ac2f98d9e6d770f5ede17905d690486a88f375954918d611dde644e11bd3d854');
    expect(req.query.get('appsecret_time')).toBe('1700000000');
    expect(req.method).toBe('GET');
    expect(req.headers.accept).toBe('application/json');
  });

  it('keeps a path prefix of the Graph URL, and calls the unversioned path when there is no version', async () => {
    graph.fallback = { status: 200, body: member };
    await createProfileClient({ graphApiUrl: `${graph.url}/graph/`, apiVersion: '/v25.0/', accessToken: TOKEN, appSecret: SECRET, clock }).get('u1');
    await createProfileClient({ graphApiUrl: graph.url, apiVersion: '', accessToken: TOKEN, appSecret: SECRET, clock }).get('u2');
    expect(graph.requests.map((r) => r.path)).toEqual(['/graph/v25.0/u1', '/u2']);
  });

  it('asks Messenger for its narrower fields and derives the name', async () => {
    graph.answers.push({ status: 200, body: { first_name: 'Sam', last_name: 'Lee' } });
    const client = createProfileClient({ graphApiUrl: graph.url, apiVersion: 'v25.0', accessToken: TOKEN, appSecret: SECRET, platform: 'messenger', clock });
    expect(await client.get('psid1')).toEqual({ id: 'psid1', first_name: 'Sam', last_name: 'Lee', name: 'Sam Lee' });
    expect(graph.requests[0].query.get('fields')).toBe('first_name,last_name');
  });

  it('caches profiles, and looks again once they are stale', async () => {
    graph.fallback = { status: 200, body: member };
    const client = clientOf({ ttlMs: 1000 });
    await Promise.all([client.get('u1'), client.get('u1')]);
    await client.get('u1');
    expect(graph.requests).toHaveLength(1);
    now += 1001;
    await client.get('u1');
    expect(graph.requests).toHaveLength(2);
  });

  it('forgets the least recently used profile first', async () => {
    graph.fallback = { status: 200, body: member };
    const client = clientOf({ cacheSize: 2 });
    await client.get('a');
    await client.get('b');
    await client.get('a'); // a is now the most recent
    await client.get('c'); // evicts b
    await client.get('a');
    expect(graph.requests.map((r) => r.path)).toEqual(['/v25.0/a', '/v25.0/b', '/v25.0/c']);
    await client.get('b');
    expect(graph.requests).toHaveLength(4);
  });

  it('answers undefined on an HTTP error, after one retry at most, and does not ask again at once', async () => {
    graph.fallback = { status: 500, body: { error: { code: 1 } } };
    const errors: string[] = [];
    const client = clientOf({ onError: (_u, reason) => errors.push(reason) });
    expect(await client.get('u1')).toBeUndefined();
    expect(graph.requests).toHaveLength(2);
    expect(errors).toEqual(['HTTP 500']);
    expect(await client.get('u1')).toBeUndefined();
    expect(graph.requests).toHaveLength(2);
  });

  it('answers undefined when the Graph API is too slow', async () => {
    graph.fallback = { status: 200, body: member };
    graph.delayMs = 300;
    const errors: string[] = [];
    const client = clientOf({ timeoutMs: 50, onError: (_u, reason) => errors.push(reason) });
    expect(await client.get('u1')).toBeUndefined();
    // Two attempts cut at 50 ms (the server answers after 300 ms) and one pause of 200 ms at most.
    expect(pauses).toHaveLength(1);
    expect(pauses[0]).toBeLessThanOrEqual(200);
    expect(graph.requests).toHaveLength(2);
    expect(errors).toEqual(['ETIMEDOUT']);
  });

  it('counts the body in the timeout', async () => {
    let requests = 0;
    const slow = await startServer((_req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"name":');
      setTimeout(() => res.end('"Late"}'), 400).unref();
    });
    const errors: string[] = [];
    const client = clientOf({ timeoutMs: 80, onError: (_u, reason) => errors.push(reason) }, slow.url);
    expect(await client.get('u1')).toBeUndefined();
    expect(requests).toBe(2);
    expect(errors).toEqual(['ETIMEDOUT']);
  });

  it('retries once after a 503 and keeps the second answer', async () => {
    graph.answers.push({ status: 503, body: { error: { code: 2 } } }, { status: 200, body: member });
    const errors: string[] = [];
    const client = clientOf({ onError: (_u, reason) => errors.push(reason) });
    expect(await client.get('u1')).toMatchObject({ id: 'u1', name: 'Alex Example' });
    expect(pauses).toHaveLength(1);
    expect(pauses[0]).toBeGreaterThanOrEqual(100);
    expect(pauses[0]).toBeLessThanOrEqual(200);
    expect(graph.requests).toHaveLength(2);
    expect(graph.requests[1].query.get('appsecret_proof')).toBe(graph.requests[0].query.get('appsecret_proof'));
    expect(errors).toEqual([]);
  });

  it('retries after 408 and 429 too, but not after other 4xx answers', async () => {
    const client = clientOf();
    graph.answers.push({ status: 408 }, { status: 200, body: member });
    expect(await client.get('a')).toBeDefined();
    graph.answers.push({ status: 429, body: { error: { code: 4 } } }, { status: 200, body: member });
    expect(await client.get('b')).toBeDefined();
    expect(graph.requests).toHaveLength(4);
    const errors: string[] = [];
    const strict = clientOf({ onError: (_u, reason) => errors.push(reason) });
    graph.answers.push({ status: 404, body: { error: { code: 100 } } }, { status: 200, body: member });
    expect(await strict.get('c')).toBeUndefined();
    graph.answers.length = 0;
    graph.answers.push({ status: 400, body: { error: { code: 190 } } });
    expect(await strict.get('d')).toBeUndefined();
    expect(graph.requests).toHaveLength(6);
    expect(errors).toEqual(['HTTP 404', 'HTTP 400']);
  });

  it('waits as long as Retry-After asks when that is 1 s at most, and does not retry when it asks for more', async () => {
    const client = clientOf();
    graph.answers.push({ status: 429, headers: { 'retry-after': '1' } }, { status: 200, body: member });
    expect(await client.get('a')).toBeDefined();
    expect(pauses).toEqual([1000]);
    expect(graph.requests).toHaveLength(2);
    graph.answers.push({ status: 503, headers: { 'retry-after': '120' } }, { status: 200, body: member });
    expect(await client.get('b')).toBeUndefined();
    expect(pauses).toEqual([1000]); // no pause, no retry
    expect(graph.requests).toHaveLength(3);
  });

  it('retries once after a network error and names it', async () => {
    const gone = await startServer(() => undefined);
    const url = gone.url;
    await gone.close();
    const errors: string[] = [];
    const client = clientOf({ onError: (_u, reason) => errors.push(reason) }, url);
    expect(await client.get('u1')).toBeUndefined();
    expect(pauses).toHaveLength(1); // the pause before the retry
    expect(pauses[0]).toBeGreaterThanOrEqual(100);
    expect(errors).toEqual(['ECONNREFUSED']);
  });

  it('names a connection the server drops ECONNRESET, after one retry', async () => {
    let requests = 0;
    const rude = await startServer((req) => {
      requests++;
      req.socket.destroy();
    });
    const errors: string[] = [];
    const client = clientOf({ onError: (_u, reason) => errors.push(reason) }, rude.url);
    expect(await client.get('u1')).toBeUndefined();
    expect(requests).toBe(2);
    expect(errors).toEqual(['ECONNRESET']);
  });

  it('treats a body that is not JSON as a failure, without a retry; an empty one as no fields', async () => {
    const errors: string[] = [];
    const client = clientOf({ onError: (_u, reason) => errors.push(reason) });
    graph.answers.push({ status: 200, raw: '{"name": "Alex' });
    expect(await client.get('a')).toBeUndefined();
    expect(graph.requests).toHaveLength(1);
    expect(errors).toEqual(['invalid JSON']);
    graph.answers.push({ status: 200 });
    expect(await client.get('b')).toEqual({ id: 'b' });
  });

  it('reuses one keep-alive connection, after failures as after answers', async () => {
    const client = clientOf();
    const before = graph.connections;
    graph.answers.push({ status: 200, body: member }, { status: 404, body: { error: { message: 'x'.repeat(100_000), code: 100 } } }, { status: 200, raw: 'not json' }, { status: 200, body: member });
    for (const id of ['a', 'b', 'c', 'd']) {
      await client.get(id);
      // The pool counts a connection as busy until just after the body ends; a lookup started
      // in that same instant opens a second one (undici's choice), which would blur the count.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(graph.requests).toHaveLength(4);
    expect(graph.connections - before).toBe(1);
  });

  it('never throws, even when the error listener does', async () => {
    graph.fallback = { status: 404 };
    const client = clientOf({ onError: () => { throw new Error('listener'); } });
    expect(await client.get('u1')).toBeUndefined();
  });

  it('closes its connections, and answers undefined once closed', async () => {
    let open = 0;
    const server = await startServer((_req, res) => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(member));
      }, 30);
    });
    server.server.on('connection', (socket) => {
      open++;
      socket.on('close', () => open--);
    });
    const errors: string[] = [];
    const client = createClient({ graphApiUrl: server.url, apiVersion: 'v25.0', accessToken: TOKEN, appSecret: SECRET, clock, onError: (_u, reason) => errors.push(reason) });
    expect(await client.get('u0')).toMatchObject({ id: 'u0' });
    expect(open).toBe(1); // kept alive
    const pending = client.get('u1');
    await client.close();
    expect(await pending).toMatchObject({ id: 'u1' }); // a lookup in flight finishes first
    await client.close(); // twice is fine
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(open).toBe(0);
    expect(await client.get('u2')).toBeUndefined();
    expect(errors).toEqual(['client closed']);
  });

  it('answers undefined for an id that is not one, without a request', async () => {
    const client = clientOf();
    expect(await client.get('../me/messages')).toBeUndefined();
    expect(await client.get('')).toBeUndefined();
    expect(await client.get('..')).toBeUndefined();
    expect(await client.get('.')).toBeUndefined();
    expect(graph.requests).toHaveLength(0);
  });

  it('keeps only string fields', () => {
    expect(toProfile('u', { name: 5, email: 'e@x', __proto__: { title: 'x' } })).toEqual({ id: 'u', email: 'e@x' });
    expect(toProfile('u', null)).toEqual({ id: 'u' });
  });
});

describe('profile client retry rules', () => {
  it('reads Retry-After as got does', () => {
    const pause = (v: number | undefined) => v !== undefined && v >= 100 && v <= 200;
    expect(pause(retryDelayAfter(undefined))).toBe(true);
    expect(pause(retryDelayAfter('0'))).toBe(true);
    expect(pause(retryDelayAfter('soon'))).toBe(true);
    expect(retryDelayAfter('1')).toBe(1000);
    expect(retryDelayAfter('0.5')).toBe(500);
    expect(retryDelayAfter('2')).toBeUndefined();
    const now = Date.parse('2024-01-01T00:00:00Z');
    expect(retryDelayAfter('Mon, 01 Jan 2024 00:00:01 GMT', now)).toBe(1000);
    expect(retryDelayAfter('Mon, 01 Jan 2024 00:00:05 GMT', now)).toBeUndefined();
    expect(retryDelayAfter('Sun, 31 Dec 2023 23:59:00 GMT', now)).toBe(1);
  });

  it('names network failures readably', () => {
    expect(networkErrorCode(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe('ECONNREFUSED');
    expect(networkErrorCode(Object.assign(new Error('x'), { code: 'UND_ERR_HEADERS_TIMEOUT' }))).toBe('ETIMEDOUT');
    expect(networkErrorCode(Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET' }))).toBe('ECONNRESET');
    expect(networkErrorCode(new AggregateError([Object.assign(new Error('a'), { code: 'ENETUNREACH' })]))).toBe('ENETUNREACH');
    expect(networkErrorCode(Object.assign(new Error('x'), { code: 'UND_ERR_DESTROYED' }))).toBe('client closed');
    expect(networkErrorCode(new Error('x'))).toBe('network error');
  });
});
