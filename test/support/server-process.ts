/**
 * Starts the real server (`node dist/server/main.js`) as a child process for end-to-end
 * tests, and sends it signed webhooks over real HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export const APP_SECRET = 'e2e-app-secret';
export const VERIFY_TOKEN = 'e2e-verify-token';
export const ACCESS_TOKEN = 'e2e-access-token';

/** The environment of a server that talks to the (fake) Graph API at `graphUrl` and keeps its data at `storeUrl`. */
export function serverEnv(graphUrl: string, storeUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ACCESS_TOKEN,
    APP_SECRET,
    VERIFY_TOKEN,
    PLATFORM: 'messenger',
    GRAPH_API_URL: graphUrl,
    STORE_URL: storeUrl,
    FLOWS_DIR: resolve('test/e2e/flows'),
    ...extra,
  };
}

/** The headers of a webhook POST of `raw`, signed with `secret` as the platform signs it. */
export function signedHeaders(raw: string, secret = APP_SECRET): Record<string, string> {
  const sig = createHmac('sha256', secret).update(raw).digest('hex');
  return { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${sig}` };
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

export class ServerProcess {
  child: ChildProcess | undefined;
  output = '';
  url = '';
  constructor(readonly env: Record<string, string>) {}

  async start(timeoutMs = 20_000): Promise<void> {
    const port = this.env.PORT ?? String(await freePort());
    this.env.PORT = port;
    this.url = `http://127.0.0.1:${port}`;
    this.output = '';
    const child = spawn(process.execPath, [resolve('dist/server/main.js')], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', HOST: '127.0.0.1', FLOWS_DIR: resolve('flows'), ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout!.on('data', (d) => (this.output += d));
    child.stderr!.on('data', (d) => (this.output += d));
    const start = Date.now();
    while (Date.now() - start < timeoutMs) {
      if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}:\n${this.output}`);
      try {
        const r = await fetch(`${this.url}/healthz`);
        if (r.ok) return;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`server did not start in time:\n${this.output}`);
  }

  /** SIGKILL: no chance to finish anything. */
  async kill9(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await exited;
  }

  async post(body: unknown, options: { secret?: string; headers?: Record<string, string>; raw?: string } = {}): Promise<Response> {
    const raw = options.raw ?? JSON.stringify(body);
    return fetch(`${this.url}/webhook`, { method: 'POST', headers: { ...signedHeaders(raw, options.secret), ...options.headers }, body: raw });
  }
}

let mid = 0;
/** A Messenger-shaped delivery with one event per item. */
export function delivery(events: Array<{ user: string; text?: string; payload?: string; quickReply?: { title: string; payload: string }; mid?: string }>, page = 'PAGE_1'): unknown {
  return {
    object: 'page',
    entry: [
      {
        id: page,
        time: Date.now(),
        messaging: events.map((e) => {
          const base = { sender: { id: e.user }, recipient: { id: page }, timestamp: Date.now() };
          if (e.payload) return { ...base, postback: { title: e.payload, payload: e.payload, mid: e.mid ?? `pb.${++mid}.${process.pid}` } };
          if (e.quickReply) return { ...base, message: { mid: e.mid ?? `m.${++mid}.${process.pid}`, text: e.quickReply.title, quick_reply: { payload: e.quickReply.payload } } };
          return { ...base, message: { mid: e.mid ?? `m.${++mid}.${process.pid}`, text: e.text ?? '' } };
        }),
      },
    ],
  };
}
