import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardedHttp } from '../../src/http/guarded-http.js';
import type { CallRequest } from '../../src/engine/types.js';

let server: Server;
let base = '';
const seen: Array<{ method?: string; url?: string; headers: IncomingMessage['headers']; body: string }> = [];
let hits = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      hits += 1;
      if (req.url?.startsWith('/slow')) return void setTimeout(() => res.end('{}'), 2000);
      if (req.url?.startsWith('/fail')) return void res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"down"}');
      if (req.url?.startsWith('/big')) return void res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(200_000));
      if (req.url?.startsWith('/text')) return void res.writeHead(200, { 'content-type': 'text/plain' }).end('plain');
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'T-1' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const req = (over: Partial<CallRequest>): CallRequest => ({ id: 'k', method: 'POST', url: `${base}/tickets`, headers: {}, timeoutMs: 5000, idempotencyKey: 'key-1', ...over });

/** The call port's HTTP behaviour (the guard itself: call-guard.test.ts), on an allowed loopback server. */
describe('the call port (createGuardedHttp)', () => {
  const http = createGuardedHttp({ allow: ['127.0.0.1'], maxResponseBytes: 100_000 });

  it('sends JSON with the Idempotency-Key header and query, and parses the JSON answer', async () => {
    const res = await http.request(req({ json: { a: 1 }, query: { q: 'x y' }, headers: { Authorization: 'Bearer t' } }));
    expect(res).toEqual({ status: 201, body: { id: 'T-1' } });
    const last = seen[seen.length - 1]!;
    expect(last.url).toBe('/tickets?q=x+y');
    expect(last.headers['idempotency-key']).toBe('key-1');
    expect(last.headers.authorization).toBe('Bearer t');
    expect(JSON.parse(last.body)).toEqual({ a: 1 });
  });

  it('adds query: to the query string the url already has, keeping both', async () => {
    await http.request(req({ method: 'GET', url: `${base}/search?lang=en&fixed=1`, query: { q: 'x y' } }));
    expect(seen[seen.length - 1]!.url).toBe('/search?lang=en&fixed=1&q=x+y');
  });

  it('sends a form body', async () => {
    await http.request(req({ form: { a: '1', b: 'x y' } }));
    expect(seen[seen.length - 1]!.body).toBe('a=1&b=x+y');
  });

  it('returns non-2xx statuses with their body, without retrying a POST', async () => {
    const before = hits;
    expect(await http.request(req({ url: `${base}/fail` }))).toEqual({ status: 500, body: { error: 'down' } });
    expect(hits - before).toBe(1);
  });

  it('keeps a non-JSON answer as text', async () => {
    expect(await http.request(req({ method: 'GET', url: `${base}/text` }))).toEqual({ status: 200, body: 'plain' });
  });

  it('turns a timeout, a refused connection and an oversized answer into status 0 with a message', async () => {
    const slow = await http.request(req({ url: `${base}/slow`, timeoutMs: 200 }));
    expect(slow.status).toBe(0);
    expect(slow.error).toMatch(/within 200 ms/);
    const refused = await http.request(req({ url: 'http://127.0.0.1:1/x' }));
    expect(refused.status).toBe(0);
    expect(refused.error).toMatch(/127\.0\.0\.1:1/);
    const big = await http.request(req({ method: 'GET', url: `${base}/big` }));
    expect(big).toEqual({ status: 0, error: `The answer from ${base} is larger than 100000 bytes; it was not read.` });
  });
});
