/**
 * A closed-loop load generator for chat bots speaking the Messenger webhook protocol:
 * simulated people walk a scripted conversation through signed webhooks, and a fake Graph
 * API catches the replies. Every person must get each expected reply exactly once, in
 * order; anything else is counted (missing, duplicate, unexpected, out of order).
 */
import { createHmac } from 'node:crypto';
import { Pool } from 'undici';
import { FakeGraph, messageText, type SentMessage } from '../test/support/fake-graph.js';

export interface ScriptStep {
  send: { text: string } | { tap: string };
  expect: string[];
}

/** The helpdesk conversation of test/e2e/flows/helpdesk.yaml (and bench/reference-bot.ts). */
export const HELPDESK: ScriptStep[] = [
  { send: { text: 'hi' }, expect: ['Hi Ana!', 'What do you need help with?'] },
  { send: { tap: 'Technical' }, expect: ['Is it urgent?'] },
  { send: { tap: 'Yes' }, expect: ['Please describe the problem.'] },
  { send: { text: 'printer jams' }, expect: ['Thanks, noted (yes): printer jams'] },
];

export interface LoadOptions {
  /** Webhook URLs; each event goes to one of them at random (a load balancer without affinity). */
  targets: string[];
  appSecret: string;
  graph: FakeGraph;
  users: number;
  concurrency: number;
  script?: ScriptStep[];
  stepTimeoutMs?: number;
  /** Prefix of the simulated user ids (distinct per run so conversations never overlap). */
  prefix: string;
}

export interface LoadResult {
  users: number;
  events: number;
  durationMs: number;
  eventsPerSecond: number;
  latency: { p50: number; p95: number; p99: number; max: number };
  replies: number;
  missing: number;
  duplicate: number;
  unexpected: number;
  outOfOrder: number;
  webhookErrors: number;
}

interface Person {
  id: string;
  step: number;
  got: string[];
  offered: Map<string, string>;
  done?: () => void;
  extra: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const script = options.script ?? HELPDESK;
  const stepTimeoutMs = options.stepTimeoutMs ?? 30_000;
  const endpoints = options.targets.map((t) => {
    const url = new URL(t);
    return { path: url.pathname, pool: new Pool(url.origin, { connections: Math.min(options.concurrency, 128), pipelining: 1 }) };
  });
  let seed = 7;
  const pick = (): (typeof endpoints)[number] => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return endpoints[seed % endpoints.length]!;
  };
  const people = new Map<string, Person>();
  const latencies: number[] = [];
  const result = { missing: 0, duplicate: 0, unexpected: 0, outOfOrder: 0, webhookErrors: 0, replies: 0 };
  let mid = 0;

  options.graph.keep = false;
  options.graph.onMessage = (m: SentMessage) => {
    result.replies++;
    const person = people.get(m.recipient);
    if (!person) return void result.unexpected++;
    const text = messageText(m.body.message);
    for (const q of m.body.message?.quick_replies ?? []) person.offered.set(q.title, q.payload);
    for (const b of m.body.message?.attachment?.payload?.buttons ?? []) if (b.type === 'postback') person.offered.set(b.title, b.payload);
    const step = script[person.step];
    if (!step) return void person.extra++;
    const expected = step.expect[person.got.length];
    if (expected === text) person.got.push(text);
    else if (step.expect.includes(text)) {
      if (person.got.includes(text)) result.duplicate++;
      else {
        result.outOfOrder++;
        person.got.push(text);
      }
    } else if (script[person.step - 1]?.expect.includes(text)) result.duplicate++;
    else result.unexpected++;
    if (person.got.length >= step.expect.length) person.done?.();
  };

  async function post(person: Person, step: ScriptStep): Promise<void> {
    const now = Date.now();
    const base = { sender: { id: person.id }, recipient: { id: 'PAGE_1' }, timestamp: now };
    let event: unknown;
    if ('text' in step.send) event = { ...base, message: { mid: `b.${options.prefix}.${++mid}`, text: step.send.text } };
    else {
      const payload = person.offered.get(step.send.tap) ?? step.send.tap;
      event = { ...base, message: { mid: `b.${options.prefix}.${++mid}`, text: step.send.tap, quick_reply: { payload } } };
    }
    const raw = JSON.stringify({ object: 'page', entry: [{ id: 'PAGE_1', time: now, messaging: [event] }] });
    const sig = createHmac('sha256', options.appSecret).update(raw).digest('hex');
    try {
      const endpoint = pick();
      const res = await endpoint.pool.request({ method: 'POST', path: endpoint.path, headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${sig}` }, body: raw });
      await res.body.dump();
      if (res.statusCode !== 200) result.webhookErrors++;
    } catch {
      result.webhookErrors++;
    }
  }

  async function walk(id: string): Promise<void> {
    const person: Person = { id, step: 0, got: [], offered: new Map(), extra: 0 };
    people.set(id, person);
    for (let i = 0; i < script.length; i++) {
      person.step = i;
      person.got = [];
      const step = script[i]!;
      const started = performance.now();
      const arrived = new Promise<boolean>((res) => {
        const timer = setTimeout(() => res(false), stepTimeoutMs);
        person.done = () => {
          clearTimeout(timer);
          res(true);
        };
      });
      await post(person, step);
      const ok = await arrived;
      person.done = undefined;
      if (!ok) {
        result.missing += step.expect.length - person.got.length;
        for (let j = i + 1; j < script.length; j++) result.missing += script[j]!.expect.length;
        return;
      }
      latencies.push(performance.now() - started);
    }
  }

  const started = performance.now();
  let next = 0;
  const lanes = Array.from({ length: Math.min(options.concurrency, options.users) }, async () => {
    while (next < options.users) {
      const n = next++;
      await walk(`${options.prefix}${String(n).padStart(6, '0')}`);
    }
  });
  await Promise.all(lanes);
  // Late replies (duplicates sent after a step completed) still count.
  await new Promise((r) => setTimeout(r, 500));
  const durationMs = performance.now() - started - 500;
  options.graph.onMessage = undefined;
  await Promise.all(endpoints.map((e) => e.pool.close()));
  for (const p of people.values()) result.duplicate += p.extra;
  latencies.sort((a, b) => a - b);
  const events = options.users * script.length;
  return {
    users: options.users,
    events,
    durationMs,
    eventsPerSecond: events / (durationMs / 1000),
    latency: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: latencies[latencies.length - 1] ?? 0 },
    ...result,
  };
}
