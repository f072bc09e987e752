/**
 * Secrets, end to end: the real server process at LOG_LEVEL=trace, with the studio enabled
 * by STUDIO_TOKEN, goes through a full conversation, Graph failures (5xx, rate limit, a
 * permanent error, a network failure), a failing profile lookup, forged and oversized
 * webhooks, a refused `call`, and every read-only endpoint. Then all it wrote and every
 * answer it gave are scanned: ACCESS_TOKEN, APP_SECRET, VERIFY_TOKEN and STUDIO_TOKEN never
 * appear, and no message text appears in a log line above debug level.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerProcess } from '../support/server-process.js';

const ACCESS_TOKEN = `EAAG-access-${randomBytes(12).toString('hex')}`;
const APP_SECRET = `app-secret-${randomBytes(12).toString('hex')}`;
const VERIFY_TOKEN = `verify-${randomBytes(12).toString('hex')}`;
const STUDIO_TOKEN = `studio-${randomBytes(12).toString('hex')}`;
const SECRETS = { ACCESS_TOKEN, APP_SECRET, VERIFY_TOKEN, STUDIO_TOKEN };

/** A fake Graph API whose Send API fails on demand and whose profile lookups always fail. */
class FailingGraph {
  readonly texts = new Map<string, string[]>();
  /** Next Send API answers: an HTTP status with a Graph error code, or 'drop' (connection cut). */
  readonly faults: Array<{ status: number; code: number; message: string } | 'drop'> = [];
  profileLookups = 0;
  url = '';
  private server: Server | undefined;

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }

  async waitFor(user: string, count: number): Promise<string[]> {
    for (let i = 0; i < 750 && (this.texts.get(user)?.length ?? 0) < count; i++) await new Promise((r) => setTimeout(r, 20));
    return this.texts.get(user) ?? [];
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const json = (status: number, body: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.method === 'GET') {
        this.profileLookups++;
        // The lookup fails: a permission error, and every other time a cut connection.
        if (this.profileLookups % 2 === 0) return void req.socket.destroy();
        return json(400, { error: { message: '(#100) Unsupported get request: missing permissions', type: 'GraphMethodException', code: 100 } });
      }
      const fault = this.faults.shift();
      if (fault === 'drop') return void req.socket.destroy();
      if (fault) return json(fault.status, { error: { message: fault.message, type: 'OAuthException', code: fault.code } });
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const to = String(body.recipient?.id);
      const text = body.message?.text ?? body.message?.attachment?.payload?.text;
      if (typeof text === 'string') this.texts.set(to, [...(this.texts.get(to) ?? []), text]);
      json(200, { recipient_id: to, message_id: `m_${randomBytes(4).toString('hex')}` });
    });
  }
}

let n = 0;
function delivery(user: string, text: string): string {
  return JSON.stringify({ object: 'page', entry: [{ id: 'PAGE_1', time: Date.now(), messaging: [{ sender: { id: user }, recipient: { id: 'PAGE_1' }, timestamp: Date.now(), message: { mid: `sec.${user}.${++n}`, text } }] }] });
}

describe('no secret leaks (real server, LOG_LEVEL=trace)', () => {
  const graph = new FailingGraph();
  const dir = mkdtempSync(join(tmpdir(), 'flowstate-secrets-'));
  let server: ServerProcess;
  /** Every answer: status, headers and body (the request, which may carry a token, is not kept). */
  const answers: string[] = [];

  async function fetchText(path: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(`${server.url}${path}`, { redirect: 'manual', ...init });
    answers.push(`${res.status} ${JSON.stringify([...res.headers])} ${await res.clone().text()}`);
    return res;
  }

  async function send(raw: string, signature: string | null = `sha256=${createHmac('sha256', APP_SECRET).update(raw).digest('hex')}`, contentType = 'application/json'): Promise<number> {
    const headers: Record<string, string> = { 'content-type': contentType };
    if (signature !== null) headers['x-hub-signature-256'] = signature;
    return (await fetchText('/webhook', { method: 'POST', headers, body: raw })).status;
  }

  beforeAll(async () => {
    await graph.start();
    server = new ServerProcess({
      ...SECRETS,
      LOG_LEVEL: 'trace',
      PLATFORM: 'messenger',
      GRAPH_API_URL: graph.url,
      STORE_URL: `sqlite:${join(dir, 'flowstate.db')}`,
      FLOWS_DIR: resolve('test/security/flows'),
      BODY_LIMIT: '4096',
    });
    await server.start();
  });
  afterAll(async () => {
    await server?.stop();
    await graph.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a conversation through failures, forgeries and a refused call', async () => {
    const marker = `Printer-${randomBytes(6).toString('hex')} is on fire`;
    // Handshakes, right and wrong (the verify token travels in the query string).
    expect((await fetchText(`/webhook?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=42`)).status).toBe(200);
    expect((await fetchText(`/webhook?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}x&hub.challenge=42`)).status).toBe(403);
    // Forged, unsigned, not JSON, oversized.
    expect(await send(delivery('intruder', marker), 'sha256=' + '0'.repeat(64))).toBe(403);
    expect(await send(delivery('intruder', marker), null, 'text/plain')).toBe(401);
    expect(await send('{"object": "page", ')).toBe(400);
    expect(await send(delivery('intruder', 'x'.repeat(5000)))).toBe(413);
    // Graph fails: a 500, a rate limit, a cut connection, then a token error; the replies still arrive.
    graph.faults.push({ status: 500, code: 1, message: 'An unknown error occurred' }, { status: 400, code: 613, message: 'Calls to this api have exceeded the rate limit.' }, 'drop', { status: 400, code: 2, message: 'Service temporarily unavailable' });
    const user = '7001';
    for (const text of ['hi', 'Technical', 'Yes', marker]) {
      const before = graph.texts.get(user)?.length ?? 0;
      expect(await send(delivery(user, text))).toBe(200);
      await graph.waitFor(user, before + 1);
    }
    expect(await graph.waitFor(user, 5)).toEqual(['Hi !', 'What do you need help with?', 'Is it urgent?', 'Please describe the problem.', `Thanks, noted (yes): ${marker}`]);
    expect(graph.profileLookups).toBeGreaterThan(0);
    // A permanent error: the reply is dropped and logged (without its text).
    graph.faults.push({ status: 400, code: 551, message: 'This person isn\'t available right now.' });
    expect(await send(delivery('7002', 'hi'))).toBe(200);
    await graph.waitFor('7002', 1);
    // A call whose URL the person types: the run-time guard refuses a loopback address.
    for (const text of ['lookup', `http://127.0.0.1:${new URL(server.url).port}/metrics`]) expect(await send(delivery('7003', text))).toBe(200);
    const lookup = await graph.waitFor('7003', 2);
    expect(lookup[1]).toMatch(/^Lookup failed \(0\): The call to http:\/\/127\.0\.0\.1:\d+ was refused: it is not in call_allow in bot\.yaml \("lookup\.example\.com"\)/);
  });

  it('answers the read-only endpoints and the studio without a secret', async () => {
    expect((await fetchText('/healthz')).status).toBe(200);
    expect((await fetchText('/readyz')).status).toBe(200);
    const metrics = await (await fetchText('/metrics')).text();
    expect(metrics).toContain('flowstate_send_failures_total');
    expect((await fetchText('/')).status).toBe(401);
    expect((await fetchText('/studio/api/flows')).status).toBe(401);
    expect((await fetchText('/studio/api/flows', { headers: { 'x-studio-token': `${STUDIO_TOKEN}x` } })).status).toBe(401);
    const auth = { authorization: `Bearer ${STUDIO_TOKEN}` };
    for (const path of ['/', '/studio/api/flows', '/studio/api/diagnostics', '/studio/api/state?user=7001', '/studio/api/transcript?user=7001']) {
      expect((await fetchText(path, { headers: auth })).status, path).toBeLessThan(500);
    }
    // The token in the address is swapped for a cookie; the answers never echo it.
    expect((await fetchText(`/?token=${STUDIO_TOKEN}`)).status).toBe(303);
    answers.pop(); // that answer's Set-Cookie carries the token on purpose (HttpOnly, SameSite=Strict)
  });

  it('wrote no secret and, above debug, no message text', async () => {
    await server.stop();
    const output = server.output;
    const lines = output.split('\n').filter((l) => l.trim() !== '');
    const parsed = lines.flatMap((l) => {
      try {
        return [JSON.parse(l) as { level: number; msg?: string }];
      } catch {
        return [];
      }
    });
    expect(parsed.length).toBeGreaterThan(5);
    expect(parsed.some((l) => l.level <= 20)).toBe(true); // trace/debug lines were written
    for (const [name, value] of Object.entries(SECRETS)) {
      expect(output.includes(value), `${name} in the logs`).toBe(false);
      for (const a of answers) expect(a.includes(value), `${name} in the answer ${a.slice(0, 80)}`).toBe(false);
    }
    const texts = ['Printer-', 'is on fire', 'What do you need help with?', 'Please describe the problem.', 'Thanks, noted', 'Which address?'];
    for (const line of parsed.filter((l) => l.level > 20)) {
      for (const t of texts) expect(JSON.stringify(line), `message text in a level-${line.level} log line`).not.toContain(t);
    }
  });
});
