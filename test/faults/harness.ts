/**
 * Shared pieces of the fault tests: a real server process on a SQLite file in a temp folder,
 * the fake Graph API on loopback, simulated people who resend a webhook until it is accepted
 * (as the platform does), and the helpdesk conversation every person walks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import type { FakeGraph } from '../support/fake-graph.js';
import { ServerProcess, delivery, serverEnv, signedHeaders } from '../support/server-process.js';

/** What one person sends, and the replies each step must bring, in order (test/e2e/flows/helpdesk.yaml). */
export function helpdeskScript(userId: string): Array<{ text: string; expect: string[] }> {
  return [
    { text: 'hi', expect: ['Hi Ana!', 'What do you need help with?'] },
    { text: 'Technical', expect: ['Is it urgent?'] },
    { text: 'yes', expect: ['Please describe the problem.'] },
    { text: `printer ${userId} jams`, expect: [`Thanks, noted (yes): printer ${userId} jams`] },
  ];
}

/** Every reply of the whole helpdesk conversation of `userId`, in order. */
export function helpdeskReplies(userId: string): string[] {
  return helpdeskScript(userId).flatMap((s) => s.expect);
}

/** A temp folder removed by `cleanup()`. */
export class TempDirs {
  private readonly dirs: string[] = [];
  make(prefix = 'flowstate-faults-'): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }
  cleanup(): void {
    for (const d of this.dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  }
}

/** The environment of a server that talks to `graph` and keeps its data at `storeUrl`. */
export function faultEnv(graph: FakeGraph, storeUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return serverEnv(graph.url, storeUrl, extra);
}

/** A server on a new SQLite file, talking to a fake Graph API, and a pool of connections to it. */
export interface FaultServer {
  server: ServerProcess;
  pool: Pool;
  /** The SQLite file. */
  file: string;
  /** Stops whatever was started (pool, server, Graph API) and removes the temp folder. */
  close(): Promise<void>;
}

/**
 * Starts `graph`, then a server on a SQLite file in a new temp folder (`env` added to
 * faultEnv), and opens a Pool (with the `pool` options) to it. On a failure, what was
 * started is stopped before the error is thrown.
 */
export async function startFaultServer(graph: FakeGraph, options: { env?: Record<string, string>; pool?: Pool.Options } = {}): Promise<FaultServer> {
  const dirs = new TempDirs();
  const file = join(dirs.make(), 'flowstate.db');
  let server: ServerProcess | undefined;
  let pool: Pool | undefined;
  const close = async (): Promise<void> => {
    await pool?.close();
    await server?.stop();
    await graph.stop();
    dirs.cleanup();
  };
  try {
    await graph.start();
    server = new ServerProcess(faultEnv(graph, `sqlite:${file}`, options.env));
    await server.start();
    pool = new Pool(server.url, options.pool);
  } catch (error) {
    await close();
    throw error;
  }
  return { server, pool, file, close };
}

/** Posts a signed delivery once; resolves to the status (0 when no answer came) and the time it took, ms. */
export async function postOnce(pool: Pool, body: unknown): Promise<{ status: number; ms: number }> {
  const raw = JSON.stringify(body);
  const headers = signedHeaders(raw);
  const t0 = performance.now();
  try {
    const res = await pool.request({ method: 'POST', path: '/webhook', headers, body: raw });
    await res.body.dump();
    return { status: res.statusCode, ms: performance.now() - t0 };
  } catch {
    return { status: 0, ms: performance.now() - t0 };
  }
}

/** Posts a signed delivery; resolves to the status and the body (parsed when it is JSON). */
export async function postWebhook(server: ServerProcess, body: unknown): Promise<{ status: number; body: any }> {
  const res = await server.post(body);
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}

/**
 * Posts a delivery until it is answered 200, as the platform does (it retries anything else).
 * `pool()` is asked again on each try, since the server may have been restarted meanwhile.
 */
export async function postUntilAccepted(pool: () => Pool, body: unknown, stop: () => boolean = () => false): Promise<number> {
  let tries = 0;
  for (;;) {
    tries++;
    const { status } = await postOnce(pool(), body);
    if (status === 200) return tries;
    if (stop()) throw new Error(`a webhook was still refused after ${tries} tries (last status ${status})`);
    await sleep(50 + Math.random() * 100);
  }
}

/** One helpdesk message from `user` with a fixed `mid`, so that a resend is a duplicate. */
export function message(user: string, text: string, mid: string, page = 'PAGE_1'): unknown {
  return delivery([{ user, text, mid }], page);
}

/** The value at percentile `p` (0-100) of `values`. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Compares what a person received with what they should have: `doubled` counts replies that
 * came twice in a row (a resend), and `rest` is what remains once those are removed, to be
 * compared with the expected replies.
 */
export function collapseRepeats(received: string[]): { rest: string[]; doubled: number } {
  const rest: string[] = [];
  let doubled = 0;
  for (const text of received) {
    if (rest.length > 0 && rest[rest.length - 1] === text) doubled++;
    else rest.push(text);
  }
  return { rest, doubled };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until `pred()` holds, checking every 50 ms; throws `what` after `timeoutMs`. */
export async function until(pred: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  while (!(await pred())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** Sums the samples of a Prometheus metric at `url`/metrics, optionally only those whose labels contain `labels`. */
export async function metric(url: string, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_]+)(\{[^}]*\})? ([0-9.e+-]+)$/.exec(line);
    if (m && m[1] === name && (m[2] ?? '').includes(labels)) total += Number(m[3]);
  }
  return total;
}
