/** The studio outside local mode (STUDIO_TOKEN), the event stream over real HTTP, and starting flows without postbacks. */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, until, type Harness } from './harness.js';

describe('studio behind STUDIO_TOKEN', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ token: 's3cret-token' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers 401 without the token, and explains how to open it', async () => {
    for (const url of ['/', '/studio/api/flows', '/studio/static/studio.js', '/studio/vendor/mermaid.min.js', '/?token=wrong']) {
      const res = await h.app.inject({ url });
      expect(res.statusCode, url).toBe(401);
      expect(res.body).toContain('/?token=<STUDIO_TOKEN>');
    }
    const post = await h.app.inject({ method: 'POST', url: '/studio/api/person', payload: {}, headers: { authorization: 'Bearer nope' } });
    expect(post.statusCode).toBe(401);
  });

  it('accepts the token as a bearer header, a header, or the cookie that /?token= sets', async () => {
    expect((await h.app.inject({ url: '/studio/api/flows', headers: { authorization: 'Bearer s3cret-token' } })).statusCode).toBe(200);
    expect((await h.app.inject({ url: '/studio/api/flows', headers: { 'x-studio-token': 's3cret-token' } })).statusCode).toBe(200);
    const login = await h.app.inject({ url: '/?token=s3cret-token' });
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe('/');
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/^flowstate_studio=s3cret-token; Path=\/; HttpOnly; SameSite=Strict/);
    const page = await h.app.inject({ url: '/', headers: { cookie: 'other=1; flowstate_studio=s3cret-token' } });
    expect(page.statusCode).toBe(200);
  });
});

describe('studio event stream', () => {
  let h: Harness;
  let base: string;
  beforeAll(async () => {
    h = await startHarness();
    base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Reads an event stream until `done(text)` holds. */
  async function readStream(url: string, done: (text: string) => boolean, headers: Record<string, string> = {}, onText?: (text: string) => void): Promise<string> {
    const ac = new AbortController();
    const res = await fetch(url, { headers, signal: ac.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    try {
      while (!done(text)) {
        const { value, done: end } = await reader.read();
        if (end) break;
        text += decoder.decode(value);
        onText?.(text);
      }
    } finally {
      ac.abort();
    }
    return text;
  }

  it('streams the chat lines, and replays what a reconnecting browser missed', async () => {
    const started = await (await fetch(`${base}/studio/api/start`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ flow: 'it-helpdesk' }) })).json();
    const user = started.user as string;
    // The stream may open before or after the reply arrives: either way the reply comes
    // (live, or replayed from the transcript).
    const text = await readStream(`${base}/studio/api/events?user=${user}`, (t) => t.includes('What do you need?'));
    expect(text).toMatch(/id: \d+\nevent: entry\ndata: \{[^\n]*"from":"note"/);
    expect(text).toContain('Hi there! What do you need?');
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids.length).toBe(2);
    const later = await readStream(`${base}/studio/api/events?user=${user}`, (t) => t.includes('What do you need?'), { 'last-event-id': String(ids[0]) });
    expect(later).not.toContain('"from":"note"');
    expect(later).toContain(`id: ${ids[1]}`);
  });

  it('tells every browser when the flows reload', async () => {
    const person = await (await fetch(`${base}/studio/api/person`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json();
    let reloaded = false;
    const text = await readStream(`${base}/studio/api/events?user=${person.user}`, (t) => t.includes('event: reload'), {}, (t) => {
      // the stream is open once its first line arrived: now edit (reload) the flows
      if (!reloaded && t.includes('retry:')) {
        reloaded = true;
        h.holder.reload();
      }
    });
    expect(text).toMatch(/event: reload\ndata: \{"ok":true,"generation":\d+,"errors":0,"warnings":\d+\}/);
  });
});

describe('starting flows that have no trigger postback', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ flowsDir: resolve('test/studio/fixtures/triggers') });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('starts a keyword-only flow by its keyword, and refuses a flow without triggers with the fix', async () => {
    const flows = (await h.app.inject({ url: '/studio/api/flows' })).json().flows;
    expect(flows.map((f: { id: string; start: { ok: boolean } }) => [f.id, f.start.ok])).toEqual([['a', true], ['b', false], ['c', true]]);
    const c = await h.app.inject({ method: 'POST', url: '/studio/api/start', payload: { flow: 'c' } });
    expect(c.statusCode).toBe(201);
    expect(c.json().how).toBe('its keyword "cee"');
    const user = c.json().user;
    const entries = await until(async () => (await h.app.inject({ url: `/studio/api/transcript?user=${user}` })).json().entries as Array<{ from: string }>, (e) => e.length >= 3, 'flow c');
    expect(entries.map((e) => e.from)).toEqual(['note', 'person', 'bot']);
    const b = await h.app.inject({ method: 'POST', url: '/studio/api/start', payload: { flow: 'b' } });
    expect(b.statusCode).toBe(409);
    expect(b.json().error).toBe('The flow "b" has no trigger postback or keyword, so it only starts from another flow (a choice with flow: b). To try it on its own, add "triggers: { postbacks: [B] }" to it.');
  });
});
