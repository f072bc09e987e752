/**
 * The reference bot for `npm run bench`: the same helpdesk conversation as
 * test/e2e/flows/helpdesk.yaml, hand-written on raw Fastify with in-memory state — about as
 * fast as a Node.js bot gets, and with none of Flowstate's guarantees (no durability, no
 * outbox). It checks the signature on the raw body, fetches the profile once per person,
 * and sends replies in order per person over a keep-alive pool, retrying 5xx three times.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';
import { Pool } from 'undici';

const { PORT = '3000', GRAPH_API_URL, APP_SECRET = '', ACCESS_TOKEN = '', VERIFY_TOKEN = '' } = process.env;
const pool = new Pool(GRAPH_API_URL!, { connections: 64, pipelining: 1 });
type Conv = { state: string; urgent?: string; name?: string };
const convs = new Map<string, Conv>();
const chains = new Map<string, Promise<void>>();

async function graph(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await pool.request({ method: method as 'GET', path: `${path}${path.includes('?') ? '&' : '?'}access_token=${ACCESS_TOKEN}`, headers: { 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  const text = await res.body.text();
  return { status: res.statusCode, json: text ? JSON.parse(text) : undefined };
}

async function send(user: string, message: unknown): Promise<void> {
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      const r = await graph('POST', '/me/messages', { recipient: { id: user }, messaging_type: 'RESPONSE', message });
      if (r.status < 500) return;
    } catch {
      /* retry */
    }
    await new Promise((res) => setTimeout(res, 20 * 2 ** attempt));
  }
}

const qr = (text: string, titles: string[]): unknown => ({ text, quick_replies: titles.map((t) => ({ content_type: 'text', title: t, payload: t.toUpperCase() })) });

async function handle(user: string, text: string, payload?: string): Promise<void> {
  let c = convs.get(user);
  if (!c || c.state === 'done') {
    if (!c?.name) {
      const p = await graph('GET', `/${user}?fields=first_name`).catch(() => undefined);
      c = { state: 'start', name: p?.json?.first_name ?? '' };
    } else c = { state: 'start', name: c.name };
    convs.set(user, c);
  }
  const said = (payload ?? text).toUpperCase();
  if (c.state === 'start') {
    c.state = 'welcome';
    await send(user, { text: `Hi ${c.name}!` });
    await send(user, qr('What do you need help with?', ['Billing', 'Technical']));
  } else if (c.state === 'welcome' && said === 'TECHNICAL') {
    c.state = 'technical';
    await send(user, qr('Is it urgent?', ['Yes', 'No']));
  } else if (c.state === 'welcome' && said === 'BILLING') {
    c.state = 'done';
    await send(user, { text: 'Billing it is.' });
  } else if (c.state === 'technical' && (said === 'YES' || said === 'NO')) {
    c.state = 'describe';
    c.urgent = said.toLowerCase();
    await send(user, { text: 'Please describe the problem.' });
  } else if (c.state === 'describe') {
    c.state = 'done';
    await send(user, { text: `Thanks, noted (${c.urgent}): ${text}` });
  } else {
    await send(user, { text: "Sorry, I didn't get that. Please pick one of the options." });
  }
}

const app = Fastify({ logger: false });
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, raw, done) => {
  const header = String(req.headers['x-hub-signature-256'] ?? '');
  const expected = Buffer.from(`sha256=${createHmac('sha256', APP_SECRET).update(raw as Buffer).digest('hex')}`);
  const got = Buffer.from(header);
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) return done(Object.assign(new Error('bad signature'), { statusCode: 403 }), undefined);
  try {
    done(null, JSON.parse((raw as Buffer).toString('utf8')));
  } catch {
    done(Object.assign(new Error('bad json'), { statusCode: 400 }), undefined);
  }
});
app.get('/webhook', async (req, reply) => {
  const q = req.query as Record<string, string>;
  if (q['hub.mode'] === 'subscribe' && q['hub.verify_token'] === VERIFY_TOKEN) return reply.type('text/plain').send(q['hub.challenge']);
  return reply.code(403).send('Forbidden');
});
app.get('/healthz', async () => ({ status: 'ok' }));
app.post('/webhook', async (req) => {
  const body = req.body as any;
  for (const entry of body?.entry ?? []) {
    for (const ev of entry?.messaging ?? []) {
      const user = String(ev?.sender?.id ?? '');
      if (!user || ev?.message?.is_echo) continue;
      const text = String(ev?.message?.text ?? ev?.postback?.title ?? '');
      const payload = ev?.message?.quick_reply?.payload ?? ev?.postback?.payload;
      const prev = chains.get(user) ?? Promise.resolve();
      const next = prev.then(() => handle(user, text, payload)).catch(() => undefined);
      chains.set(user, next);
    }
  }
  return 'EVENT_RECEIVED';
});
await app.listen({ port: Number(PORT), host: '127.0.0.1' });
