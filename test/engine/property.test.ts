/**
 * Random walks through every example flow in flows/: taps (current and stale), typed texts,
 * commands, attachments, timer firings, call results and long pauses. The engine must never
 * hit a bug path, never send a message over the platform limits, and "cancel" must always
 * end the conversation.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadProjectDir } from '../../src/language/load.js';
import { LIMITS } from '../../src/language/model.js';
import { compileBot, createEngine } from '../../src/engine/index.js';
import type { Conversation, InboundEvent, OutMessage, StepOutput } from '../../src/engine/types.js';

const { project } = loadProjectDir(new URL('../../flows', import.meta.url).pathname);
const bot = compileBot(project, { env: { HELPDESK_URL: 'http://helpdesk.example.com', HELPDESK_TOKEN: 't', HR_API_TOKEN: 'h' } });
const engine = createEngine(bot);

const WORDS = ['cancel', 'restart', 'help', 'aide', 'annuler', 'hello', 'helpdesk', 'leave', 'yes', 'no', 'oui', '3', '1,5', '12', '1/12/2026', '2026-12-01', 'ana@example.com', '+33 6 12 34 56 78', 'https://example.com', '', '   ', 'My screen flickers since Monday', 'x'.repeat(3000), '{{user.id}}', '__proto__', 'constructor'];

type Move =
  | { t: 'tap'; i: number }
  | { t: 'stale'; i: number }
  | { t: 'text'; s: string }
  | { t: 'attach' }
  | { t: 'timer'; i: number }
  | { t: 'call'; status: number; body: unknown }
  | { t: 'wait'; ms: number }
  | { t: 'start'; i: number };

const move: fc.Arbitrary<Move> = fc.oneof(
  { weight: 5, arbitrary: fc.nat(20).map((i) => ({ t: 'tap' as const, i })) },
  { weight: 1, arbitrary: fc.nat(200).map((i) => ({ t: 'stale' as const, i })) },
  { weight: 3, arbitrary: fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 30 })).map((s) => ({ t: 'text' as const, s })) },
  { weight: 1, arbitrary: fc.constant({ t: 'attach' as const }) },
  { weight: 1, arbitrary: fc.nat(5).map((i) => ({ t: 'timer' as const, i })) },
  { weight: 2, arbitrary: fc.record({ status: fc.constantFrom(200, 201, 0, 404, 500), body: fc.constantFrom(undefined, { id: 'T-1', priority: 'urgent', status: 'open', days: 3 }, 'text', null) }).map((r) => ({ t: 'call' as const, ...r })) },
  { weight: 1, arbitrary: fc.constantFrom(60_000, 3_600_000, 2 * 86_400_000).map((ms) => ({ t: 'wait' as const, ms })) },
  { weight: 1, arbitrary: fc.nat(20).map((i) => ({ t: 'start' as const, i })) },
);

const cps = (s: string) => [...s].length;

function checkLimits(messages: OutMessage[]): void {
  for (const m of messages) {
    if (m.kind === 'image') continue;
    expect(m.text.trim()).not.toBe('');
    expect(cps(m.text)).toBeLessThanOrEqual(m.kind === 'buttons' ? LIMITS.buttonTextChars : LIMITS.textChars);
    expect(m.quick_replies?.length ?? 0).toBeLessThanOrEqual(LIMITS.quickReplies);
    for (const q of m.quick_replies ?? []) expect(cps(q.title)).toBeLessThanOrEqual(LIMITS.titleChars);
    if (m.kind === 'buttons') {
      expect(m.buttons.length).toBeLessThanOrEqual(LIMITS.buttons);
      for (const b of m.buttons) expect(cps(b.title)).toBeLessThanOrEqual(LIMITS.titleChars);
    }
  }
}

function choices(out: StepOutput | undefined): Array<{ payload: string; title: string }> {
  const all: Array<{ payload: string; title: string }> = [];
  for (const m of out?.messages ?? []) {
    if (m.kind === 'image') continue;
    if (m.kind === 'buttons') for (const b of m.buttons) if (b.type === 'postback') all.push(b);
    all.push(...(m.quick_replies ?? []));
  }
  return all;
}

const allPayloads = [...bot.allPayloads, ...bot.postbacks.keys(), 'FS1:gone:state:0', 'UNKNOWN'];
const locales = ['en_US', 'fr_FR', 'de_DE', ''];

describe('random walks through the example flows', () => {
  it('found the example flows', () => {
    expect(bot.flowIds.length).toBeGreaterThanOrEqual(4);
  });

  it('never crash, stay within the platform limits, and cancel always ends the conversation', () => {
    fc.assert(
      fc.property(fc.array(move, { minLength: 1, maxLength: 40 }), fc.constantFrom(...locales), (moves, locale) => {
        let conversation: Conversation | undefined;
        let last: StepOutput | undefined;
        let now = 1_700_000_000_000;
        let n = 0;
        const profile = { id: 'p1', first_name: 'Ana', email: 'ana@example.com', locale };
        const step = (event: InboundEvent) => {
          n += 1;
          const stored = conversation === undefined ? undefined : (JSON.parse(JSON.stringify(conversation)) as Conversation);
          const out = engine.step({ conversation: stored, event, profile, now, eventId: `e${n}` });
          expect(out.notes.filter((x) => x.startsWith('bug:'))).toEqual([]);
          checkLimits(out.messages);
          conversation = out.conversation;
          last = out;
          return out;
        };
        for (const m of moves) {
          now += 1000;
          switch (m.t) {
            case 'tap': {
              const c = choices(last);
              if (c.length > 0) {
                const pick = c[m.i % c.length]!;
                step({ kind: 'quick_reply', payload: pick.payload, title: pick.title });
              }
              break;
            }
            case 'stale': {
              const p = allPayloads[m.i % allPayloads.length]!;
              step({ kind: 'postback', payload: p, title: 'Old' });
              break;
            }
            case 'text': {
              const out = step({ kind: 'text', text: m.s });
              if (['cancel', 'annuler'].includes(m.s)) {
                expect(out.conversation.status).toBe('ended');
                expect(out.calls).toEqual([]);
                expect(out.timers).toEqual([]);
              }
              break;
            }
            case 'attach':
              step({ kind: 'attachment', attachmentType: 'image' });
              break;
            case 'timer': {
              const t = last?.timers ?? [];
              if (t.length > 0) {
                const pick = t[m.i % t.length]!;
                now = Math.max(now, pick.at);
                step({ kind: 'timer', timerId: pick.id });
              }
              break;
            }
            case 'call': {
              const pending = conversation?.pendingCall;
              if (pending) step({ kind: 'call_result', callId: pending, status: m.status, body: m.body, error: m.status === 0 ? 'timeout' : undefined });
              break;
            }
            case 'wait':
              now += m.ms;
              break;
            case 'start':
              step({ kind: 'postback', payload: [...bot.postbacks.keys()][m.i % bot.postbacks.size]! });
              break;
          }
        }
        const cancelled = step({ kind: 'text', text: 'cancel' });
        expect(cancelled.conversation.status).toBe('ended');
      }),
      { numRuns: 100 },
    );
  });

  it('never crash on malformed stored conversations or events', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (stored, event) => {
        const out = engine.step({ conversation: stored as Conversation, event: event as InboundEvent, profile: { id: 'x' }, now: 1, eventId: 'e' });
        expect(out.conversation.version).toBe(1);
        checkLimits(out.messages);
      }),
      { numRuns: 100 },
    );
  });
});
