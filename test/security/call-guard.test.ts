/**
 * `call` safety at run time: the guarded HTTP port enforces bot.yaml's `call_allow` on URLs
 * built while the conversation runs, refuses loopback / private / link-local / unspecified
 * addresses (however they are written, and whatever a host name resolves to) unless they
 * are listed, pins the connection to the checked address, re-checks redirects, and bounds
 * the answer's size and the call's time. Refusals reach the flow's `on_error`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardedHttp, type HostResolver, type ResolvedAddress } from '../../src/http/guarded-http.js';
import { specialRange } from '../../src/http/address-ranges.js';
import { createEngine, drive, compileBot } from '../../src/engine/index.js';
import { loadProjectFromTexts } from '../../src/language/load.js';
import type { CallRequest } from '../../src/engine/types.js';

let server: Server;
let other: Server;
let port = 0;
let otherPort = 0;
const hits: Array<{ url: string; host: string }> = [];
let otherHits = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push({ url: req.url ?? '', host: req.headers.host ?? '' });
    const u = req.url ?? '';
    if (u.startsWith('/slow')) return void setTimeout(() => res.end('{}'), 3000).unref();
    if (u.startsWith('/big')) return void res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(300_000));
    if (u.startsWith('/chunked-big')) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      for (let i = 0; i < 50; i++) res.write('y'.repeat(10_000));
      return void res.end();
    }
    if (u.startsWith('/gzip-bomb')) return void res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipSync(Buffer.alloc(20_000_000, 32)));
    if (u.startsWith('/to-metadata')) return void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    if (u.startsWith('/to-other-port')) return void res.writeHead(302, { location: `http://127.0.0.1:${otherPort}/steal` }).end();
    if (u.startsWith('/to-evil')) return void res.writeHead(301, { location: 'http://evil.test/x' }).end();
    if (u.startsWith('/to-file')) return void res.writeHead(302, { location: 'file:///etc/passwd' }).end();
    if (u.startsWith('/to-self')) return void res.writeHead(302, { location: '/ok?redirected=1' }).end();
    if (u.startsWith('/loop')) return void res.writeHead(302, { location: '/loop' }).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'T-1', path: u }));
  });
  other = createServer((_req, res) => {
    otherHits++;
    res.end('{"stolen":true}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  otherPort = (other.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  other.closeAllConnections();
  await new Promise((r) => server.close(r));
  await new Promise((r) => other.close(r));
});

const call = (url: string, over: Partial<CallRequest> = {}): CallRequest => ({ id: 'c1', method: 'GET', url, headers: {}, timeoutMs: 5000, idempotencyKey: 'k1', ...over });

/** A resolver answering from a table, counting its lookups. */
function table(answers: Record<string, string[] | (() => string[])>): HostResolver & { count: number } {
  const fn = (async (host: string): Promise<ResolvedAddress[]> => {
    fn.count++;
    const a = answers[host];
    const list = typeof a === 'function' ? a() : a;
    if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  }) as HostResolver & { count: number };
  fn.count = 0;
  return fn;
}

describe('address ranges', () => {
  it.each([
    '127.0.0.1', '127.255.255.254', '10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.1.1', '169.254.169.254', '0.0.0.0', '100.64.0.1', '224.0.0.1', '255.255.255.255',
    '::1', '::', 'fe80::1', 'fd00::1', 'fc00::abcd', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.1.2.3', '64:ff9b::a9fe:a9fe', '[::1]', 'ff02::1', '2001:db8::1',
  ])('%s is not public', (address) => {
    expect(specialRange(address)).toBeDefined();
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '192.169.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])('%s is public', (address) => {
    expect(specialRange(address)).toBeUndefined();
  });
});

describe('createGuardedHttp', () => {
  it('refuses hosts that call_allow does not list, without connecting', async () => {
    const before = hits.length;
    const http = createGuardedHttp({ allow: ['api.test'], lookup: table({ 'api.test': ['127.0.0.1'] }) });
    const res = await http.request(call(`http://127.0.0.1:${port}/ok`));
    expect(res).toEqual({ status: 0, error: `The call to http://127.0.0.1:${port} was refused: it is not in call_allow in bot.yaml ("api.test"). Add "127.0.0.1:${port}" to call_allow in bot.yaml if flows may call it, or fix the url of the call.` });
    const none = await createGuardedHttp({ allow: [] }).request(call('https://example.com/x?token=s3cret'));
    expect(none.error).toMatch(/^The call to https:\/\/example\.com was refused: bot\.yaml has no call_allow list/);
    expect(none.error).not.toContain('s3cret');
    const port8080 = await createGuardedHttp({ allow: ['localhost:8080'] }).request(call(`http://localhost:${port}/ok`));
    expect(port8080.error).toContain(`Add "localhost:${port}" to call_allow`);
    expect(hits.length).toBe(before);
  });

  it('refuses loopback, private, link-local and unspecified addresses however they are written', async () => {
    const before = hits.length;
    const http = createGuardedHttp({ allow: ['api.test'], lookup: table({}) });
    for (const url of [
      `http://127.0.0.1:${port}/`, `http://2130706433:${port}/`, `http://0177.0.0.1:${port}/`, `http://0x7f.0.0.1:${port}/`, `http://127.1:${port}/`,
      `http://[::1]:${port}/`, `http://[::ffff:127.0.0.1]:${port}/`, `http://[0:0:0:0:0:0:0:1]:${port}/`, `http://0.0.0.0:${port}/`, `http://[::]:${port}/`,
      'http://169.254.169.254/latest/meta-data/', 'http://[fd00::1]/', 'http://10.0.0.1/', 'http://api.test@127.0.0.1/', `http://localhost:${port}/`,
    ]) {
      const res = await http.request(call(url));
      expect(res.status, url).toBe(0);
      expect(res.error, url).toMatch(/^The call to http:\/\/\S+ was refused: .*call_allow/);
    }
    expect(hits.length).toBe(before);
  });

  it('refuses a listed name that resolves to a non-public address, and says how to allow it', async () => {
    const before = hits.length;
    for (const address of ['127.0.0.1', '10.1.2.3', '169.254.169.254', '0.0.0.0', '::1', 'fd12::1', '::ffff:127.0.0.1', 'fe80::1']) {
      const resolver = table({ 'api.test': [address] });
      const res = await createGuardedHttp({ allow: ['api.test'], lookup: resolver }).request(call(`http://api.test:${port}/ok`));
      expect(res.status, address).toBe(0);
      expect(res.error, address).toContain(`api.test resolves to ${address}, which is`);
      expect(res.error, address).toMatch(address.includes(':') ? /call_allow cannot list IPv6 addresses/ : new RegExp(`add "${address}:${port}" to call_allow`));
      expect(resolver.count).toBe(1);
    }
    expect(hits.length).toBe(before);
  });

  it('reaches a non-public address that call_allow lists, by IP or as localhost', async () => {
    const byIp = await createGuardedHttp({ allow: ['api.test', '127.0.0.1'], lookup: table({ 'api.test': ['127.0.0.1'] }) }).request(call(`http://api.test:${port}/ok`));
    expect(byIp).toEqual({ status: 200, body: { id: 'T-1', path: '/ok' } });
    expect(hits.at(-1)!.host).toBe(`api.test:${port}`);
    const literal = await createGuardedHttp({ allow: [`127.0.0.1:${port}`] }).request(call(`http://2130706433:${port}/ok`));
    expect(literal.status).toBe(200);
    const local = await createGuardedHttp({ allow: [`localhost:${port}`], lookup: table({ localhost: ['127.0.0.1'] }) }).request(call(`http://localhost:${port}/ok`));
    expect(local.status).toBe(200);
    // The same with the system resolver (localhost is 127.0.0.1 and/or ::1 there).
    expect((await createGuardedHttp({ allow: [`localhost:${port}`] }).request(call(`http://localhost:${port}/ok`))).status).toBe(200);
    // "localhost" vouches only for loopback: a localhost that resolves elsewhere is refused.
    const hijacked = await createGuardedHttp({ allow: ['localhost'], lookup: table({ localhost: ['10.0.0.9'] }) }).request(call(`http://localhost:${port}/ok`));
    expect(hijacked.error).toContain('localhost resolves to 10.0.0.9');
  });

  it('connects only to the addresses it checked (DNS rebinding)', async () => {
    // Mixed answers: the unlisted private one is dropped, the listed one is used.
    const mixed = table({ 'api.test': ['169.254.169.254', '127.0.0.1'] });
    const http = createGuardedHttp({ allow: ['api.test', '127.0.0.1'], lookup: mixed });
    expect((await http.request(call(`http://api.test:${port}/ok`))).status).toBe(200);
    expect(mixed.count).toBe(1);
    // An answer that changes between lookups: each connection resolves once and is judged on that answer.
    let n = 0;
    const flip = table({ 'api.test': () => (n++ % 2 === 0 ? ['127.0.0.1'] : ['169.254.169.254']) });
    const rebinding = createGuardedHttp({ allow: ['api.test', '127.0.0.1'], lookup: flip });
    expect((await rebinding.request(call(`http://api.test:${port}/ok`))).status).toBe(200);
    const second = await rebinding.request(call(`http://api.test:${port}/ok`));
    expect(second.error).toContain('api.test resolves to 169.254.169.254');
    expect(flip.count).toBe(2);
  });

  it('checks every redirect before following it', async () => {
    const http = createGuardedHttp({ allow: [`127.0.0.1:${port}`] });
    const meta = await http.request(call(`http://127.0.0.1:${port}/to-metadata`));
    expect(meta.error).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port} redirected the call elsewhere, and the call to http://169\\.254\\.169\\.254 was refused`));
    const otherBefore = otherHits;
    expect((await http.request(call(`http://127.0.0.1:${port}/to-other-port`))).error).toContain(`Add "127.0.0.1:${otherPort}" to call_allow`);
    expect(otherHits).toBe(otherBefore);
    expect((await http.request(call(`http://127.0.0.1:${port}/to-evil`))).error).toContain('the call to http://evil.test was refused');
    expect((await http.request(call(`http://127.0.0.1:${port}/to-file`))).status).toBe(0);
    expect(await http.request(call(`http://127.0.0.1:${port}/to-self`))).toEqual({ status: 200, body: { id: 'T-1', path: '/ok?redirected=1' } });
    expect((await http.request(call(`http://127.0.0.1:${port}/loop`))).error).toContain('redirected more than 3 times');
  });

  it('refuses other schemes and broken URLs', async () => {
    const http = createGuardedHttp({ allow: ['api.test', 'etc'] });
    for (const url of ['file:///etc/passwd', 'ftp://api.test/x', 'gopher://api.test:70/', 'data:text/plain,hi', 'javascript:alert(1)']) {
      expect((await http.request(call(url))).error, url).toMatch(/only reach http:\/\/ or https:\/\/ addresses/);
    }
    expect((await http.request(call('/relative/path'))).error).toMatch(/not a complete web address/);
  });

  it('bounds the answer size (never decompressing) and the time of the whole call', async () => {
    const http = createGuardedHttp({ allow: [`127.0.0.1:${port}`], maxResponseBytes: 100_000 });
    expect(await http.request(call(`http://127.0.0.1:${port}/big`))).toEqual({ status: 0, error: `The answer from http://127.0.0.1:${port} is larger than 100000 bytes; it was not read.` });
    expect((await http.request(call(`http://127.0.0.1:${port}/chunked-big`))).error).toContain('is larger than 100000 bytes');
    const bomb = await http.request(call(`http://127.0.0.1:${port}/gzip-bomb`));
    expect(bomb.status).toBe(200);
    expect(String(bomb.body).length).toBeLessThan(100_000);
    const slow = await http.request(call(`http://127.0.0.1:${port}/slow`, { timeoutMs: 150 }));
    expect(slow).toEqual({ status: 0, error: `No answer from http://127.0.0.1:${port} within 150 ms.` });
  });

  it('follows call_allow when the flows are reloaded (a getter)', async () => {
    let allow: string[] = [];
    const http = createGuardedHttp({ allow: () => allow });
    expect((await http.request(call(`http://127.0.0.1:${port}/ok`))).status).toBe(0);
    allow = [`127.0.0.1:${port}`];
    expect((await http.request(call(`http://127.0.0.1:${port}/ok`))).status).toBe(200);
  });
});

describe('a URL built from what a person typed, through the engine', () => {
  const FLOW = `
states:
  ask:
    say: Which page?
    ask: { save: page, type: text }
    next: fetch
  fetch:
    call:
      method: GET
      url: "{{page}}"
      save: result
      on_error: failed
    next: done
  done: { say: "Got {{result.id}}", end: true }
  failed: { say: "Failed ({{error.status}}): {{error.message}}", end: true }
`;
  const { project } = loadProjectFromTexts('/bot', [
    { path: '/bot/bot.yaml', text: 'call_allow: [api.test]' },
    { path: '/bot/f.yaml', text: FLOW },
  ]);
  const engine = createEngine(compileBot(project, { env: {} }));
  const http = createGuardedHttp({ allow: project.settings.call_allow, lookup: table({ 'api.test': ['127.0.0.1'] }) });

  async function typed(text: string): Promise<string[]> {
    const profile = { id: 'u1' };
    const first = await drive(engine, { conversation: undefined, event: { kind: 'text', text: 'hi' }, profile, now: 1, eventId: 'e1' }, http);
    const out = await drive(engine, { conversation: first.conversation, event: { kind: 'text', text }, profile, now: 2, eventId: 'e2' }, http);
    expect(out.conversation.status).toBe('ended');
    return out.messages.map((m) => (m.kind === 'image' ? m.url : m.text));
  }

  it.each([
    ['http://169.254.169.254/latest/meta-data/iam/', 'The call to http://169.254.169.254 was refused'],
    [`http://127.0.0.1:${22}/`, 'The call to http://127.0.0.1:22 was refused'],
    ['http://api.test/tickets', 'api.test resolves to 127.0.0.1, which is a loopback address'],
    ['file:///etc/passwd', 'only reach http:// or https:// addresses'],
  ])('%s goes to on_error with a refusal', async (text, expected) => {
    const before = hits.length;
    const [message] = await typed(text);
    expect(message).toMatch(/^Failed \(0\): /);
    expect(message).toContain(expected);
    expect(hits.length).toBe(before);
  });
});
