/** The studio's small parts: people (profiles), reply routing, transcripts, display paths. */
import { describe, expect, it } from 'vitest';
import { createLocalChannel } from '../../src/channel/local-channel.js';
import type { SendApi } from '../../src/channel/send-api.js';
import { cookieValue, sameSecret } from '../../src/studio/auth.js';
import { STUDIO_USER, createStudioPeople } from '../../src/studio/people.js';
import { routeStudioReplies } from '../../src/studio/routing.js';
import { Transcripts } from '../../src/studio/transcript.js';
import { displayFile, plainText } from '../../src/studio/views.js';

describe('studio people', () => {
  it('gives each new person a fresh studio id and the profile typed, names split like the platform does', async () => {
    const people = createStudioPeople();
    const a = people.create({ name: 'Ana Maria Lopez', locale: 'fr_FR', email: '  ' });
    const b = people.create();
    expect(a.userId).toMatch(STUDIO_USER);
    expect(b.userId).not.toBe(a.userId);
    expect(a.profile).toEqual({ id: a.userId, name: 'Ana Maria Lopez', first_name: 'Ana', last_name: 'Maria Lopez', locale: 'fr_FR' });
    expect(await people.get(a.userId)).toEqual(a.profile);
    expect(await people.get(b.userId)).toEqual({ id: b.userId });
  });

  it('answers for studio ids it does not know with the id only, and asks the fallback for everyone else', async () => {
    const asked: string[] = [];
    const people = createStudioPeople({ fallback: { get: async (id) => (asked.push(id), { id, first_name: 'Real' }) } });
    expect(await people.get('studio-00000000-7')).toEqual({ id: 'studio-00000000-7' });
    expect(await people.get('1000123')).toEqual({ id: '1000123', first_name: 'Real' });
    expect(asked).toEqual(['1000123']);
  });

  it('forgets the oldest profiles beyond its limit', async () => {
    const people = createStudioPeople({ limit: 2 });
    const first = people.create({ first_name: 'One' });
    people.create({ first_name: 'Two' });
    people.create({ first_name: 'Three' });
    expect(people.profileOf(first.userId)).toBeUndefined();
  });
});

describe('routeStudioReplies', () => {
  it('sends studio people to the studio channel and everyone else to the platform', async () => {
    const sent: string[] = [];
    const platform: SendApi = { send: async (r) => (sent.push(r.id ?? r.thread_key ?? '?'), { ok: true }), close: async () => undefined };
    const studio = createLocalChannel();
    const api = routeStudioReplies(platform, studio);
    await api.send({ id: 'studio-0000abcd-1' }, { kind: 'text', text: 'to the studio' });
    await api.send({ id: '12345' }, { kind: 'text', text: 'to the platform' });
    await api.send({ thread_key: 't_1' }, { kind: 'text', text: 'to a group' });
    expect(studio.history('studio-0000abcd-1').map((d) => d.message)).toEqual([{ kind: 'text', text: 'to the studio' }]);
    expect(sent).toEqual(['12345', 't_1']);
  });
});

describe('Transcripts', () => {
  it('numbers entries across people, keeps them per person, and bounds them', () => {
    const t = new Transcripts(2, 10, 0);
    const seen: number[] = [];
    t.subscribe((e) => seen.push(e.seq));
    t.add({ userId: 'a', at: 1, from: 'note', text: 'one' });
    t.add({ userId: 'b', at: 2, from: 'person', event: { kind: 'text', text: 'hi' } });
    t.add({ userId: 'a', at: 3, from: 'note', text: 'two' });
    t.add({ userId: 'a', at: 4, from: 'note', text: 'three' });
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(t.since('a').map((e) => e.seq)).toEqual([3, 4]);
    expect(t.since('a', 3).map((e) => e.seq)).toEqual([4]);
    expect(t.since('nobody')).toEqual([]);
  });

  it('numbers on from one process to the next (by default from the start time), so an open page takes the new lines', () => {
    const before = new Transcripts();
    before.add({ userId: 'a', at: 1, from: 'note', text: 'one' });
    const last = before.add({ userId: 'a', at: 2, from: 'note', text: 'two' }).seq;
    // A restarted server: a new Transcripts, a moment later.
    const started = Date.now();
    while (Date.now() === started) { /* the next millisecond */ }
    const after = new Transcripts();
    expect(after.add({ userId: 'a', at: 3, from: 'note', text: 'three' }).seq).toBeGreaterThan(last);
    expect(after.since('a', last).map((e) => (e.from === 'note' ? e.text : e.from))).toEqual(['three']);
  });
});

describe('helpers', () => {
  it('shows files relative to the folder above the flows folder', () => {
    expect(displayFile('/srv/bot/flows', '/srv/bot/flows/it-helpdesk.yaml')).toBe('flows/it-helpdesk.yaml');
    expect(displayFile('/srv/bot/flows', 'flows/x.yaml')).toBe('flows/x.yaml');
  });

  it('picks a text in the default language, else the first one', () => {
    expect(plainText({ en: 'Menu', fr: 'Menu principal' }, 'fr')).toBe('Menu principal');
    expect(plainText({ fr: 'Menu principal' }, 'en')).toBe('Menu principal');
    expect(plainText('Plain', 'en')).toBe('Plain');
    expect(plainText(undefined, 'en')).toBeUndefined();
  });

  it('compares secrets and reads cookies', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abd')).toBe(false);
    expect(sameSecret('', 'abc')).toBe(false);
    expect(cookieValue('a=1; flowstate_studio=t%20k; b=2', 'flowstate_studio')).toBe('t k');
    expect(cookieValue('a=1', 'flowstate_studio')).toBeUndefined();
    expect(cookieValue(undefined, 'x')).toBeUndefined();
  });
});
