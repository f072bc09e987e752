/** A fake Graph API on 127.0.0.1 for the channel tests: records requests, answers what the test says. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface FakeAnswer {
  status: number;
  body?: unknown;
  /** Sent as is instead of `body` (e.g. a body that is not JSON). */
  raw?: string;
  /** Extra response headers (e.g. `retry-after`). */
  headers?: Record<string, string>;
}

export interface FakeGraph {
  url: string;
  requests: SeenRequest[];
  /** The next answers, in order; when empty, `fallback` answers. */
  answers: FakeAnswer[];
  fallback: FakeAnswer;
  /** TCP connections accepted so far (keep-alive reuses them). */
  connections: number;
  /** Delay before answering, ms (to test timeouts). */
  delayMs: number;
  close(): Promise<void>;
}

export async function startFakeGraph(): Promise<FakeGraph> {
  const fake: Omit<FakeGraph, 'url' | 'close'> = { requests: [], answers: [], fallback: { status: 200, body: { recipient_id: 'u', message_id: 'mid.1' } }, connections: 0, delayMs: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const text = Buffer.concat(chunks).toString('utf8');
      fake.requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body: text ? JSON.parse(text) : undefined });
      const answer = fake.answers.shift() ?? fake.fallback;
      const reply = (): void => {
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(answer.raw ?? (answer.body === undefined ? '' : JSON.stringify(answer.body)));
      };
      if (fake.delayMs > 0) setTimeout(reply, fake.delayMs);
      else reply();
    });
  });
  server.on('connection', () => {
    fake.connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
