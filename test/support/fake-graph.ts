/**
 * A fake Graph API on 127.0.0.1 for end-to-end tests: records every Send API body, answers
 * profile lookups, and injects failures on demand (HTTP 500, Graph error codes, delays).
 *
 * Fault injection for the reliability tests (test/faults/): `delayMs` slows every Send API
 * answer, `profileDelayMs` every profile lookup; `rateLimit` enforces a per-page limit like
 * the platform's (Graph code 613 above it, counted in `rateLimited`); `down('refuse' |
 * 'reset')` takes the API off the network until `up()`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentMessage {
  path: string;
  query: Record<string, string>;
  body: any;
  recipient: string;
  at: number;
}

export type Fault = { status: number; graphCode?: number; message?: string };

/** How the fake is unreachable: `refuse` stops listening (connection refused), `reset` accepts and resets connections. */
export type DownMode = 'refuse' | 'reset';

export class FakeGraph {
  readonly sent: SentMessage[] = [];
  readonly profileRequests: Array<{ path: string; query: Record<string, string> }> = [];
  readonly faults: Fault[] = [];
  /** Failure rate for Send API calls (0..1), with a deterministic pseudo-random sequence. */
  failRate = 0;
  permanentFor = new Set<string>();
  attempts = 0;
  /** Send API requests that arrived, answered or not (a delayed one counts before its answer, unlike `attempts`). */
  sendsReceived = 0;
  /** Called for each message accepted (after the 200 is sent), e.g. by a load generator. */
  onMessage: ((m: SentMessage) => void) | undefined;
  /** Keep bodies in `sent` (turn off for long benchmarks). */
  keep = true;
  accepted = 0;
  /** Delay before each Send API answer, ms (0: answer at once). Profile lookups are not delayed. */
  delayMs = 0;
  /** Delay before each profile lookup's answer, ms (0: answer at once). */
  profileDelayMs = 0;
  /** Sends accepted per page in any sliding second, at most; above it the answer is Graph error 613. */
  rateLimit: { perSecond: number } | undefined;
  /** The page a recipient belongs to (the real API knows it from the access token). Default: one page. */
  pageOf: (recipient: string) => string = () => 'page';
  /** Sends refused with 613 by the rate limit. */
  rateLimited = 0;
  /** Connections reset (mode `reset`) while down. */
  resets = 0;
  /** The highest number of sends accepted for one page within a sliding second, per page. */
  readonly peakPerSecond = new Map<string, number>();
  private readonly windows = new Map<string, number[]>();
  private downMode: DownMode | undefined;
  private port = 0;
  private server: Server | undefined;
  private seed = 42;
  url = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${this.port}`;
    return this.url;
  }

  /** Takes the API off the network: `refuse` closes the port, `reset` resets every connection. */
  async down(mode: DownMode): Promise<void> {
    this.downMode = mode;
    if (mode === 'refuse') await this.stop();
    else this.server?.closeAllConnections();
  }

  /** Back on the network, on the same port. */
  async up(): Promise<void> {
    const wasRefusing = this.downMode === 'refuse';
    this.downMode = undefined;
    if (wasRefusing) await this.start();
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** Messages received by one person, as texts (template text for button templates). */
  textsFor(userId: string): string[] {
    return this.sent.filter((m) => m.recipient === userId && m.body.message).map((m) => messageText(m.body.message));
  }

  async waitFor(pred: () => boolean, timeoutMs = 15_000): Promise<void> {
    const start = Date.now();
    while (!pred()) {
      if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for the fake Graph API to receive the expected messages');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private random(): number {
    this.seed = (this.seed * 1103515245 + 12345) & 0x7fffffff;
    return this.seed / 0x7fffffff;
  }

  /** True (and the send counted) when the page is under its limit; false when it is over. */
  private admit(page: string, now: number): boolean {
    let times = this.windows.get(page);
    if (!times) this.windows.set(page, (times = []));
    while (times.length > 0 && times[0]! <= now - 1000) times.shift();
    if (this.rateLimit && times.length >= this.rateLimit.perSecond) return false;
    times.push(now);
    if (times.length > (this.peakPerSecond.get(page) ?? 0)) this.peakPerSecond.set(page, times.length);
    return true;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.downMode === 'reset') {
      this.resets++;
      req.socket.resetAndDestroy();
      return;
    }
    if (req.method === 'POST') this.sendsReceived++;
    const delay = req.method === 'POST' ? this.delayMs : this.profileDelayMs;
    if (delay > 0) {
      setTimeout(() => this.answer(req, res), delay);
      return;
    }
    this.answer(req, res);
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const u = new URL(req.url ?? '/', 'http://x');
    const query = Object.fromEntries(u.searchParams);
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const json = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'POST' && /\/me\/messages$/.test(u.pathname)) {
        this.attempts++;
        let body: any;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return json(400, { error: { message: 'bad json', code: 100 } });
        }
        const recipient = String(body?.recipient?.id ?? body?.recipient?.thread_key ?? '');
        if (this.rateLimit || this.keep) {
          if (!this.admit(this.pageOf(recipient), performance.now())) {
            this.rateLimited++;
            return json(400, { error: { message: '(#613) Calls to this api have exceeded the rate limit.', type: 'OAuthException', code: 613 } });
          }
        }
        if (this.permanentFor.has(recipient)) return json(400, { error: { message: 'This person isn\'t available right now.', type: 'OAuthException', code: 551, error_subcode: 1545041 } });
        const fault = this.faults.shift();
        if (fault) return json(fault.status, { error: { message: fault.message ?? 'injected', type: 'OAuthException', code: fault.graphCode ?? 1 } });
        if (this.failRate > 0 && this.random() < this.failRate) return json(500, { error: { message: 'injected 500', code: 1 } });
        json(200, { recipient_id: recipient, message_id: `m_${++this.accepted}` });
        if (body.message) {
          const m = { path: u.pathname, query, body, recipient, at: Date.now() };
          if (this.keep) this.sent.push(m);
          this.onMessage?.(m);
        }
        return;
      }
      if (req.method === 'GET') {
        this.profileRequests.push({ path: u.pathname, query });
        const id = u.pathname.split('/').pop() ?? '';
        return json(200, { id, first_name: 'Ana', last_name: 'Lima', name: 'Ana Lima', email: 'ana@example.com', title: 'Engineer', department: 'IT', locale: id.startsWith('fr') ? 'fr_FR' : 'en_US' });
      }
      json(404, { error: { message: 'unknown path', code: 803 } });
    });
  }
}

export function messageText(message: any): string {
  if (typeof message?.text === 'string') return message.text;
  if (message?.attachment?.type === 'template') return String(message.attachment.payload?.text ?? '');
  if (message?.attachment?.type === 'image') return `[image ${message.attachment.payload?.url}]`;
  return JSON.stringify(message);
}
