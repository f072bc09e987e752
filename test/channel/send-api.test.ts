import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSendApi, isRetryable, redact, toSendBody, type SendApi } from '../../src/channel/send-api.js';
import type { OutMessage } from '../../src/engine/types.js';
import { startFakeGraph, type FakeGraph } from './fake-graph.js';

const TOKEN = 'EAAexampletoken';
const SECRET = 'app_secret_example';
const NOW = 1700000000_000;

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../fixtures/payloads/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

let graph: FakeGraph;
let api: SendApi;

beforeAll(async () => {
  graph = await startFakeGraph();
  api = createSendApi({ graphApiUrl: `${graph.url}/graph`, apiVersion: 'v25.0', accessToken: TOKEN, appSecret: SECRET, platform: 'workplace', connections: 2, clock: () => NOW });
});
afterAll(async () => {
  await api.close();
  await graph.close();
});
beforeEach(() => {
  graph.requests.length = 0;
  graph.answers.length = 0;
});

const to = { id: '6874512390011223' };

describe('Send API request', () => {
  it('posts a text to /{version}/me/messages with the token in a header and the timed proof in the query', async () => {
    const result = await api.send(to, { kind: 'text', text: 'Your claim 7QX2K is awaiting approval.' });
    expect(result).toEqual({ ok: true, messageId: 'mid.1' });
    const [req] = graph.requests;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/graph/v25.0/me/messages');
    expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req.headers['content-type']).toBe('application/json');
    expect(Object.fromEntries(req.query)).toEqual({
      appsecret_proof: 'ac2f98d9e6d770f5ede17905d690486a88f375954918d611dde644e11bd3d854',
      appsecret_time: '1700000000',
    });
    const expected = fixture('send_01_text.json');
    delete (expected.message as Record<string, unknown>).metadata; // not used by Flowstate
    expect(req.body).toEqual(expected);
  });

  it('sends quick replies as in the reference body', async () => {
    const message: OutMessage = {
      kind: 'text',
      text: 'Hi Alex, what would you like to do?',
      quick_replies: [
        { title: 'New Claim', payload: 'FILE_NEW_CLAIM' },
        { title: 'View Claims', payload: 'VIEW_OPEN_CLAIMS' },
      ],
    };
    await api.send(to, message);
    const expected = fixture('send_02_quick_replies.json');
    const replies = (expected.message as { quick_replies: Array<Record<string, unknown>> }).quick_replies;
    for (const q of replies) delete q.image_url; // Flowstate sends no quick-reply icons
    expect(graph.requests[0].body).toEqual(expected);
  });

  it('sends a button template with postback and web_url buttons as in the reference body', async () => {
    await api.send(to, {
      kind: 'buttons',
      text: 'Claim 7QX2K: $42.10 for team lunch. Approve it?',
      buttons: [
        { type: 'postback', title: 'Approve', payload: 'APPROVE_CLAIM:7QX2K' },
        { type: 'postback', title: 'Reject', payload: 'REJECT_CLAIM:7QX2K' },
        { type: 'web_url', title: 'Open in portal', url: 'https://expenses.example.com/claims/7QX2K' },
      ],
    });
    expect(graph.requests[0].body).toEqual(fixture('send_03_button_template.json'));
  });

  it('sends an image as an image attachment', async () => {
    await api.send(to, { kind: 'image', url: 'https://example.com/a.png' });
    expect(graph.requests[0].body).toEqual({
      messaging_type: 'RESPONSE',
      recipient: to,
      message: { attachment: { type: 'image', payload: { url: 'https://example.com/a.png' } } },
    });
  });

  it('keeps the connection alive between sends', async () => {
    const before = graph.connections;
    for (let i = 0; i < 5; i++) await api.send(to, { kind: 'text', text: `n${i}` });
    expect(graph.connections - before).toBeLessThanOrEqual(1);
    expect(graph.requests).toHaveLength(5);
  });

  it('replies into a Workplace thread when there is one', async () => {
    await api.send({ id: 'u1', thread_key: 't_99' }, { kind: 'text', text: 'x' });
    expect((graph.requests[0].body as Record<string, unknown>).recipient).toEqual({ thread_key: 't_99' });
  });

  it('addresses the person on Messenger, which has no threads', () => {
    expect(toSendBody({ id: 'u1', thread_key: 't_99' }, { kind: 'text', text: 'x' }, 'messenger')?.recipient).toEqual({ id: 'u1' });
    expect(toSendBody({ thread_key: 't_99' }, { kind: 'text', text: 'x' }, 'messenger')).toBeUndefined();
  });

  it('calls the unversioned path when the version is empty', async () => {
    const unversioned = createSendApi({ graphApiUrl: graph.url, apiVersion: '', accessToken: TOKEN, appSecret: SECRET, platform: 'messenger', clock: () => NOW });
    try {
      await unversioned.send(to, { kind: 'text', text: 'x' });
      expect(graph.requests[0].path).toBe('/me/messages');
    } finally {
      await unversioned.close();
    }
  });

  it('refuses a reply with no recipient without calling the Graph API', async () => {
    const result = await api.send({}, { kind: 'text', text: 'x' });
    expect(result).toMatchObject({ ok: false, retry: false, status: 0 });
    expect(graph.requests).toHaveLength(0);
  });
});

describe('Send API failure classification', () => {
  const graphError = (code: number, subcode?: number, message = 'nope') => ({ error: { message, type: 'OAuthException', code, error_subcode: subcode, fbtrace_id: 'A' } });

  it('retries an HTTP 500', async () => {
    graph.answers.push({ status: 500, body: { error: { message: 'An unknown error has occurred.', code: 1 } } });
    expect(await api.send(to, { kind: 'text', text: 'x' })).toEqual({ ok: false, retry: true, status: 500, graphCode: 1, message: 'An unknown error has occurred.' });
  });

  it('retries a 5xx without a Graph body', async () => {
    graph.answers.push({ status: 503 });
    expect(await api.send(to, { kind: 'text', text: 'x' })).toMatchObject({ ok: false, retry: true, status: 503 });
  });

  it('retries the rate-limit code 613 and the temporary code 2', async () => {
    graph.answers.push({ status: 400, body: graphError(613) }, { status: 400, body: graphError(2) });
    expect(await api.send(to, { kind: 'text', text: 'x' })).toMatchObject({ ok: false, retry: true, status: 400, graphCode: 613 });
    expect(await api.send(to, { kind: 'text', text: 'x' })).toMatchObject({ ok: false, retry: true, graphCode: 2 });
  });

  it('drops the permanent code 551 and 100 / 2018001', async () => {
    graph.answers.push({ status: 400, body: graphError(551) }, { status: 400, body: graphError(100, 2018001) });
    expect(await api.send(to, { kind: 'text', text: 'x' })).toMatchObject({ ok: false, retry: false, graphCode: 551 });
    expect(await api.send(to, { kind: 'text', text: 'x' })).toMatchObject({ ok: false, retry: false, graphCode: 100, graphSubcode: 2018001 });
  });

  it('knows every retryable code of the spec, and 429', () => {
    for (const code of [1, 2, 4, 17, 32, 341, 368, 613, 1200]) expect(isRetryable(400, code)).toBe(true);
    for (const code of [10, 100, 190, 200, 551, 2022]) expect(isRetryable(400, code)).toBe(false);
    expect(isRetryable(429)).toBe(true);
    expect(isRetryable(404)).toBe(false);
    expect(isRetryable(400, 2, 2018344)).toBe(false);
  });

  it('retries when the Graph API cannot be reached', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const closed = createSendApi({ graphApiUrl: `http://127.0.0.1:${port}`, apiVersion: 'v25.0', accessToken: TOKEN, appSecret: SECRET, platform: 'workplace' });
    try {
      const result = await closed.send(to, { kind: 'text', text: 'x' });
      expect(result).toMatchObject({ ok: false, retry: true, status: 0 });
      expect(result.ok === false && result.message).toMatch(/network error/);
    } finally {
      await closed.close();
    }
  });

  it('never repeats the token or the secret in a failure message', async () => {
    graph.answers.push({ status: 400, body: graphError(190, undefined, `Invalid OAuth access token ${TOKEN} (secret ${SECRET})`) });
    const result = await api.send(to, { kind: 'text', text: 'x' });
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.message;
    expect(message).toContain('[redacted]');
    expect(message).not.toContain(TOKEN);
    expect(message).not.toContain(SECRET);
    expect(redact('a-b-a', ['a'])).toBe('a-b-a'); // too short to be a secret
  });
});
