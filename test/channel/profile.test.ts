import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createProfileClient, toProfile } from '../../src/channel/profile.js';
import { startFakeGraph, type FakeGraph } from './fake-graph.js';

const TOKEN = 'EAAexampletoken';
const SECRET = 'app_secret_example';

let graph: FakeGraph;
let now = 1700000000_000;
const clock = () => now;

beforeAll(async () => {
  graph = await startFakeGraph();
});
afterAll(async () => {
  await graph.close();
});
beforeEach(() => {
  graph.requests.length = 0;
  graph.answers.length = 0;
  graph.delayMs = 0;
  now = 1700000000_000;
});

const member = { id: '100042211335577', first_name: 'Alex', last_name: 'Example', name: 'Alex Example', email: 'alex@example.com', title: 'Engineer', department: 'IT', locale: 'fr_FR', extra: 'dropped' };

describe('profile client', () => {
  it('asks for the Workplace fields with the token and a timed proof, and keeps the known ones', async () => {
    graph.answers.push({ status: 200, body: member });
    const client = createProfileClient({ graphApiUrl: graph.url, apiVersion: 'v25.0', accessToken: TOKEN, appSecret: SECRET, clock });
    const profile = await client.get('100042211335577');
    expect(profile).toEqual({ id: '100042211335577', first_name: 'Alex', last_name: 'Example', name: 'Alex Example', email: 'alex@example.com', title: 'Engineer', department: 'IT', locale: 'fr_FR' });
    const [req] = graph.requests;
    expect(req.path).toBe('/v25.0/100042211335577');
    expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req.query.get('fields')).toBe('first_name,last_name,name,email,title,department,locale');
    expect(req.query.get('appsecret_proof')).toBe('ac2f98d9e6d770f5ede17905d690486a88f375954918d611dde644e11bd3d854');
    expect(req.query.get('appsecret_time')).toBe('1700000000');
  });

  it('asks Messenger for its narrower fields and derives the name', async () => {
    graph.answers.push({ status: 200, body: { first_name: 'Sam', last_name: 'Lee' } });
    const client = createProfileClient({ graphApiUrl: graph.url, apiVersion: 'v25.0', accessToken: TOKEN, appSecret: SECRET, platform: 'messenger', clock });
    expect(await client.get('psid1')).toEqual({ id: 'psid1', first_name: 'Sam', last_name: 'Lee', name: 'Sam Lee' });
    expect(graph.requests[0].query.get('fields')).toBe('first_name,last_name');
  });

  it('caches profiles, and looks again once they are stale', async () => {
    graph.fallback = { status: 200, body: member };
    const client = createProfileClient({ graphApiUrl: graph.url, apiVersion: 'v25.0', accessToken: TOKEN, appSecret: SECRET, clock, ttlMs: 1000 });
    await Promise.all([client.get('u1'), client.get('u1')]);
    await client.get('u1');
    expect(graph.requests).toHaveLength(1);
    now += 1001;
    await client.get('u1');
    expect(graph.requests).toHaveLength(2);
  });

  it('forgets the least recently used profile first', async () => {
    graph.fallback = { status: 200, body: member };
    const client = createProfileClient({ graphApiUrl: graph.url, apiVersion: 'v25.0', accessToken: TOKEN, appSecret: SECRET, clock, cacheSize: 2 });
    await client.get('a');
    await client.get('b');
    await client.get('a'); // a is now the most recent
    await client.get('c'); // evicts b
    await client.get('a');
    expect(graph.requests.map((r) => r.path)).toEqual(['/v25.0/a', '/v25.0/b', '/v25.0/c']);
    await client.get('b');
    expect(graph.requests).toHaveLength(4);
  });

  it('answers undefined on an HTTP error, after one retry at most, and does not ask again at once', async () => {
    graph.fallback = { status: 500, body: { error: { code: 1 } } };
    const errors: string[] = [];
    const client = createProfileClient({ graphApiUrl: graph.url, apiVersion: 'v25.0', accessToken: TOKEN, appSecret: SECRET, clock, onError: (_u, reason) => errors.push(reason) });
    expect(await client.get('u1')).toBeUndefined();
    expect(graph.requests).toHaveLength(2);
    expect(errors).toEqual(['HTTP 500']);
    expect(await client.get('u1')).toBeUndefined();
    expect(graph.requests).toHaveLength(2);
  });

  it('answers undefined when the Graph API is too slow', async () => {
    graph.fallback = { status: 200, body: member };
    graph.delayMs = 300;
    const client = createProfileClient({ graphApiUrl: graph.url, apiVersion: 'v25.0', accessToken: TOKEN, appSecret: SECRET, clock, timeoutMs: 50 });
    expect(await client.get('u1')).toBeUndefined();
  });

  it('answers undefined for an id that is not one, without a request', async () => {
    const client = createProfileClient({ graphApiUrl: graph.url, apiVersion: 'v25.0', accessToken: TOKEN, appSecret: SECRET, clock });
    expect(await client.get('../me/messages')).toBeUndefined();
    expect(await client.get('')).toBeUndefined();
    expect(graph.requests).toHaveLength(0);
  });

  it('keeps only string fields', () => {
    expect(toProfile('u', { name: 5, email: 'e@x', __proto__: { title: 'x' } })).toEqual({ id: 'u', email: 'e@x' });
    expect(toProfile('u', null)).toEqual({ id: 'u' });
  });
});
