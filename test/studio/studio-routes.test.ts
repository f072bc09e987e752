/** The studio's routes with fastify.inject(), over the real engine, store and workers in-process. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptEntry } from '../../src/studio/transcript.js';
import { startHarness, until, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

async function transcript(user: string): Promise<TranscriptEntry[]> {
  const res = await h.app.inject({ url: `/studio/api/transcript?user=${user}` });
  return res.json().entries;
}

function botTexts(entries: TranscriptEntry[]): string[] {
  return entries.flatMap((e) => (e.from === 'bot' && e.message.kind !== 'image' ? [e.message.text] : []));
}

async function start(flow: string, profile?: Record<string, string>): Promise<string> {
  const res = await h.app.inject({ method: 'POST', url: '/studio/api/start', payload: { flow, profile } });
  expect(res.statusCode).toBe(201);
  return res.json().user;
}

describe('studio files', () => {
  it('serves the page, its modules and Mermaid from node_modules', async () => {
    const page = await h.app.inject({ url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<script type="module" src="/studio/static/studio.js">');
    expect(page.body).toContain('/studio/vendor/mermaid.min.js');
    const js = await h.app.inject({ url: '/studio/static/modules/chat-view.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toContain('text/javascript');
    const mermaid = await h.app.inject({ url: '/studio/vendor/mermaid.min.js' });
    expect(mermaid.statusCode).toBe(200);
    expect(mermaid.body.length).toBeGreaterThan(100_000);
  });

  it('answers 404 for files outside the static folder', async () => {
    for (const url of ['/studio/static/../plugin.ts', '/studio/static/%2e%2e/plugin.ts', '/studio/static/nope.js']) {
      expect((await h.app.inject({ url })).statusCode).toBe(404);
    }
  });
});

describe('studio API', () => {
  it('lists the flows with how Start begins them and their files', async () => {
    const body = (await h.app.inject({ url: '/studio/api/flows' })).json();
    expect(body.flows.map((f: { id: string }) => f.id)).toEqual(['it-helpdesk', 'leave-request', 'main-menu', 'onboarding']);
    const it = body.flows.find((f: { id: string }) => f.id === 'it-helpdesk');
    expect(it).toMatchObject({ title: 'IT helpdesk', file: 'flows/it-helpdesk.yaml', start: { ok: true, how: 'its postback IT_HELPDESK' } });
    expect(body).toMatchObject({ defaultFlow: 'main-menu', languages: ['en', 'fr'], profilesApplied: true });
  });

  it('starts a flow as a new person whose profile reaches the templates, and follows taps', async () => {
    const user = await start('it-helpdesk', { first_name: 'Ana' });
    const first = await until(() => transcript(user), (e) => botTexts(e).length > 0, 'the welcome message');
    expect(first[0]).toMatchObject({ from: 'note' });
    expect(botTexts(first)).toEqual(['Hi Ana! What do you need?']);
    const state = (await h.app.inject({ url: `/studio/api/state?user=${user}` })).json();
    expect(state.conversation).toMatchObject({ status: 'active', flowId: 'it-helpdesk', state: 'welcome', waitingFor: 'choice' });
    expect(state.diagram).toMatchObject({ flowId: 'it-helpdesk', highlight: 'welcome' });
    expect(state.diagram.mermaid).toMatch(/class s_welcome current/);
    expect(state.profile).toMatchObject({ id: user, first_name: 'Ana' });

    const welcome = first.find((e) => e.from === 'bot')!;
    const chip = welcome.from === 'bot' && welcome.message.kind === 'text' ? welcome.message.quick_replies![0]! : undefined;
    const sent = await h.app.inject({ method: 'POST', url: '/studio/api/send', payload: { user, event: { kind: 'quick_reply', payload: chip!.payload, title: chip!.title } } });
    expect(sent.statusCode).toBe(202);
    await until(() => transcript(user), (e) => botTexts(e).includes('Did that work?'), 'the password step');
    const after = (await h.app.inject({ url: `/studio/api/state?user=${user}` })).json();
    expect(after.diagram.highlight).toBe('password');
  });

  it('starts a flow in the person\'s language', async () => {
    const user = await start('main-menu', { first_name: 'Ana', locale: 'fr_FR' });
    const entries = await until(() => transcript(user), (e) => botTexts(e).length >= 2, 'the menu');
    expect(botTexts(entries)[0]).toBe("Bonjour Ana ! Je suis l'assistant RH et informatique.");
  });

  it('shows the diagram of the picked flow before any conversation', async () => {
    const state = (await h.app.inject({ url: '/studio/api/state?flow=onboarding' })).json();
    expect(state.conversation.status).toBe('none');
    expect(state.diagram.flowId).toBe('onboarding');
    expect(state.diagram.highlight).toBeUndefined();
  });

  it('explains what is wrong with a request', async () => {
    const cases: Array<[string, unknown, number, RegExp]> = [
      ['/studio/api/send', { user: 'someone-else', event: { kind: 'text', text: 'hi' } }, 400, /studio person id/],
      ['/studio/api/send', { user: 'studio-0000abcd-1', event: { kind: 'timer', timerId: 'x' } }, 400, /"text", "quick_reply" or "postback"/],
      ['/studio/api/send', { user: 'studio-0000abcd-1', event: { kind: 'text', text: '   ' } }, 400, /needs some text/],
      ['/studio/api/start', { flow: 'nope' }, 404, /No flow "nope" is loaded\. The loaded flows are: it-helpdesk, leave-request, main-menu, onboarding\./],
      ['/studio/api/start', { flow: 'it-helpdesk', profile: { nickname: 'x' } }, 400, /"nickname" is not a profile field/],
      ['/studio/api/person', { profile: { locale: 'french' } }, 400, /The locale "french" is not a locale such as "en_US"/],
    ];
    for (const [url, payload, code, message] of cases) {
      const res = await h.app.inject({ method: 'POST', url, payload: payload as object });
      expect(res.statusCode, url).toBe(code);
      expect(res.json().error).toMatch(message);
    }
    expect((await h.app.inject({ url: '/studio/api/state?user=bob' })).statusCode).toBe(400);
  });

  it('creates a person without starting anything; their first message goes to the default flow', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/studio/api/person', payload: { profile: { name: 'Sam Lee' } } });
    expect(res.statusCode).toBe(201);
    const { user, profile } = res.json();
    expect(profile).toMatchObject({ name: 'Sam Lee', first_name: 'Sam', last_name: 'Lee' });
    await h.app.inject({ method: 'POST', url: '/studio/api/send', payload: { user, event: { kind: 'text', text: 'what can you do?' } } });
    const entries = await until(() => transcript(user), (e) => botTexts(e).length >= 1, 'the default flow');
    expect(entries.map((e) => e.from)).toEqual(['note', 'person', 'bot', 'bot']);
    expect(botTexts(entries)[0]).toBe("Hi Sam! I'm the HR & IT assistant.");
  });

  it('reports the diagnostics of a broken edit and keeps the last good version running', async () => {
    const file = join(h.dir, 'leave-request.yaml');
    const good = readFileSync(file, 'utf8');
    const generation = h.holder.version.generation;
    try {
      writeFileSync(file, good.replace(/start: kind/, 'start: kindd'));
      expect(h.holder.reload().ok).toBe(false);
      const d = (await h.app.inject({ url: '/studio/api/diagnostics' })).json();
      expect(d.ok).toBe(false);
      expect(d.errors).toBeGreaterThan(0);
      const first = d.diagnostics.find((x: { severity: string }) => x.severity === 'error');
      expect(first).toMatchObject({ file: 'flows/leave-request.yaml', line: expect.any(Number), column: expect.any(Number) });
      expect(first.message).toContain('kindd');
      expect(first.source).toContain('start: kindd');
      const flows = (await h.app.inject({ url: '/studio/api/flows' })).json();
      expect(flows.generation).toBe(generation);
    } finally {
      writeFileSync(file, good);
      expect(h.holder.reload().ok).toBe(true);
    }
    expect((await h.app.inject({ url: '/studio/api/diagnostics' })).json()).toMatchObject({ ok: true, errors: 0 });
  });
});
