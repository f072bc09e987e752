/**
 * A step never changes the conversation or profile it is given: the event worker hands the
 * engine the very objects it wrote last (its in-memory copy of recent conversations), so a
 * step that changed them in place would change what the next step starts from. Every input
 * here is deeply frozen; in strict mode any write to it throws.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/index.js';
import type { Conversation, InboundEvent, Profile, StepOutput } from '../../src/engine/types.js';
import { botFrom, texts } from './helpers.js';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

const FLOWS = {
  'bot.yaml': 'call_allow: [api.test]',
  'helpdesk.yaml': `
triggers: { keywords: [hi] }
states:
  welcome:
    say: "Hi {{user.first_name}}! Urgent?"
    quick_replies:
      - { title: "Yes", set: { urgent: "yes" }, goto: describe }
      - { title: "No", set: { urgent: "no" }, goto: describe }
  describe:
    say: Describe it.
    ask: { save: problem, type: text }
    next: create
  create:
    call: { method: POST, url: "http://api.test/tickets", json: { p: "{{problem}}" }, save: ticket, on_error: failed }
    next: done
  done: { say: "Ticket {{ticket.id}} ({{urgent}}): {{problem}}", end: true }
  failed: { say: "No ticket.", end: true }
`,
};

describe('engine: the step leaves its input untouched', () => {
  it('walks a conversation with sets, an answer, a call and its result from frozen inputs', () => {
    const engine = createEngine(botFrom(FLOWS));
    const profile: Profile = deepFreeze({ id: 'u1', first_name: 'Ana' });
    let conversation: Conversation | undefined;
    let now = 1_700_000_000_000;
    const step = (event: InboundEvent): StepOutput => {
      const before = JSON.stringify(conversation ?? null);
      const out = engine.step({ conversation: deepFreeze(conversation), event, profile, now: (now += 1000), eventId: `e${now}` });
      expect(JSON.stringify(conversation ?? null)).toBe(before);
      // What the worker keeps for the next step: the output as it is, with the profile.
      conversation = { ...out.conversation, profile };
      return out;
    };
    expect(texts(step({ kind: 'text', text: 'hi' }).messages)).toEqual(['Hi Ana! Urgent?']);
    const yes = conversation!.offered[0]!;
    step({ kind: 'quick_reply', payload: yes, title: 'Yes' });
    const asked = step({ kind: 'text', text: 'printer jams' });
    expect(asked.calls).toHaveLength(1);
    const done = step({ kind: 'call_result', callId: asked.calls[0]!.id, status: 200, body: { id: 42 } });
    expect(texts(done.messages)).toEqual(['Ticket 42 (yes): printer jams']);
    // A stale tap and a new start from the ended conversation, still from frozen input.
    step({ kind: 'quick_reply', payload: yes, title: 'Yes' });
    expect(texts(step({ kind: 'text', text: 'hi' }).messages)).toContain('Hi Ana! Urgent?');
  });
});
