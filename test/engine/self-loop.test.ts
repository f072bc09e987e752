/**
 * Transitions whose target is the state they start from: the state is entered again, as if
 * coming from another state (`set`, image, `say`, choices, attempts from zero, timers armed
 * from the re-entry, a new `call`). A state that moves on by itself to itself never waits:
 * it ends with the `error` message (the machine's loop guard), never hangs.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { MAX_CALLS_PER_DRIVE, createEngine, drive, type HttpPort } from '../../src/engine/index.js';
import type { CallRequest } from '../../src/engine/types.js';
import { memoryIo, tempProject } from '../cli/helpers.js';
import { Chat, botFrom, choicesOf, texts } from './helpers.js';

const MENU = `
states:
  menu:
    say: [Welcome., What now?]
    quick_replies:
      - { title: Again, goto: menu }
      - { title: Quit, goto: bye }
    buttons:
      - { title: Once more, goto: menu }
  bye: { say: Bye., end: true }
`;

describe('a choice that goes to its own state', () => {
  const bot = botFrom({ 'f.yaml': MENU });

  it('sends the state\'s messages and choices again (tap, typed title, button)', () => {
    const chat = new Chat(bot);
    const first = chat.text('hi');
    expect(texts(first.messages)).toEqual(['Welcome.', 'What now?']);
    const visit = chat.conversation!.visit;

    const again = chat.tap('Again');
    expect(texts(again.messages)).toEqual(['Welcome.', 'What now?']);
    expect(choicesOf(again.messages)).toEqual(['Once more', 'Again', 'Quit']);
    expect(again.notes).toContain('enter:f:menu');
    expect(again.notes).not.toContain('fallback');
    expect(chat.state).toBe('menu');
    expect(chat.conversation!.visit).toBe(visit + 1);

    const typed = chat.text('again');
    expect(texts(typed.messages)).toEqual(['Welcome.', 'What now?']);
    expect(chat.conversation!.visit).toBe(visit + 2);

    const button = chat.tap('Once more');
    expect(texts(button.messages)).toEqual(['Welcome.', 'What now?']);

    expect(texts(chat.tap('Quit').messages)).toEqual(['Bye.']);
    expect(chat.conversation?.status).toBe('ended');
  });

  it('applies the choice\'s `set`, then the state\'s own `set` again, and says the messages with them', () => {
    const b = botFrom({
      'f.yaml': `
vars: { size: small, laps: "" }
states:
  menu:
    set: { laps: "{{laps}}x" }
    say: "Size {{size}}, laps {{laps}}."
    quick_replies:
      - { title: Large, goto: menu, set: { size: large } }
      - { title: Small, goto: menu, set: { size: small } }
      - { title: Done, goto: bye }
  bye: { say: "Bye ({{size}}).", end: true }
`,
    });
    const chat = new Chat(b);
    expect(texts(chat.text('hi').messages)).toEqual(['Size small, laps x.']);
    const large = chat.tap('Large');
    expect(texts(large.messages)).toEqual(['Size large, laps xx.']);
    expect(choicesOf(large.messages)).toEqual(['Large', 'Small', 'Done']);
    expect(chat.conversation!.vars).toMatchObject({ size: 'large', laps: 'xx' });
    expect(texts(chat.tap('Small').messages)).toEqual(['Size small, laps xxx.']);
    expect(texts(chat.tap('Done').messages)).toEqual(['Bye (small).']);
  });
});

describe('an ask whose next is its own state', () => {
  const flow = (next: string) => `
states:
  collect:
    say: Give a number (0 to stop).
    ask: { save: n, type: integer, attempts: 2, retry: Digits only. }
    next: ${next}
  done: { say: "Last {{n}}.", end: true }
`;

  it('saves the answer and asks again with attempts from zero (`next: collect`)', () => {
    const chat = new Chat(botFrom({ 'f.yaml': flow('collect') }));
    chat.text('hi');
    expect(texts(chat.text('abc').messages)).toEqual(['Digits only.']);
    expect(chat.conversation!.attempts).toBe(1);

    const again = chat.text('5');
    expect(texts(again.messages)).toEqual(['Give a number (0 to stop).']);
    expect(chat.conversation!.vars.n).toBe(5);
    expect(chat.conversation!.attempts).toBe(0);
    expect(chat.state).toBe('collect');

    // one wrong answer after the re-entry is a retry, not the last allowed one
    expect(texts(chat.text('abc').messages)).toEqual(['Digits only.']);
    expect(chat.state).toBe('collect');
    const gaveUp = chat.text('xyz');
    expect(gaveUp.notes).toContain('ask_failed');
    expect(chat.conversation?.status).toBe('ended');
  });

  it('does the same through a conditional branch, and leaves by another one', () => {
    const chat = new Chat(botFrom({ 'f.yaml': flow('\n      - { if: "n == 0", goto: done }\n      - { goto: collect }') }));
    chat.text('hi');
    expect(texts(chat.text('7').messages)).toEqual(['Give a number (0 to stop).']);
    expect(texts(chat.text('8').messages)).toEqual(['Give a number (0 to stop).']);
    expect(texts(chat.text('0').messages)).toEqual(['Last 0.']);
    expect(chat.conversation?.status).toBe('ended');
  });

  it('`on_fail` to its own state asks again with attempts from zero', () => {
    const chat = new Chat(
      botFrom({
        'f.yaml': `
states:
  collect:
    say: Your age?
    ask: { save: age, type: integer, attempts: 2, retry: Digits only., on_fail: collect }
    next: done
  done: { say: "Age {{age}}.", end: true }
`,
      }),
    );
    chat.text('hi');
    expect(texts(chat.text('a').messages)).toEqual(['Digits only.']);
    const failed = chat.text('b');
    expect(failed.notes).toContain('ask_failed');
    expect(texts(failed.messages)).toEqual(['Your age?']);
    expect(chat.conversation!.attempts).toBe(0);
    expect(texts(chat.text('c').messages)).toEqual(['Digits only.']);
    expect(texts(chat.text('41').messages)).toEqual(['Age 41.']);
  });
});

describe('a timer that goes to its own state', () => {
  const bot = botFrom({
    'bot.yaml': 'session_timeout: 3h',
    'f.yaml': `
states:
  wait:
    say: Tap Done when ready.
    quick_replies:
      - { title: Done, goto: done }
    after:
      - { after: 10m, say: Still there? }
      - { after: 30m, say: Starting over., goto: wait }
  done: { say: Thanks., end: true }
`,
  });

  it('says the timer\'s text, enters the state again and re-arms every timer from the re-entry', () => {
    const chat = new Chat(bot);
    const start = chat.text('hi');
    const t0 = chat.now;
    expect(start.timers.map((t) => t.at - t0)).toEqual([600_000, 1_800_000]);

    expect(texts(chat.fireNextTimer().messages)).toEqual(['Still there?']);
    const visit = chat.conversation!.visit;
    const loop = chat.fireNextTimer();
    expect(chat.now).toBe(t0 + 1_800_000);
    expect(texts(loop.messages)).toEqual(['Starting over.', 'Tap Done when ready.']);
    expect(choicesOf(loop.messages)).toEqual(['Done']);
    expect(loop.messages[0]).toEqual({ kind: 'text', text: 'Starting over.' });
    expect(chat.state).toBe('wait');
    expect(chat.conversation!.visit).toBe(visit + 1);
    expect(chat.conversation!.waitingSince).toBe(chat.now);
    // both timers again, counted from the re-entry, with ids of the new visit
    expect(loop.timers.map((t) => t.at - chat.now)).toEqual([600_000, 1_800_000]);
    expect(loop.timers.map((t) => t.id)).not.toContain(start.timers[0]!.id);

    // the old visit's timer is stale; the new ones fire
    expect(chat.send({ kind: 'timer', timerId: start.timers[1]!.id }, 0).notes).toContain('stale_timer');
    expect(texts(chat.fireNextTimer().messages)).toEqual(['Still there?']);
    expect(texts(chat.fireNextTimer().messages)).toEqual(['Starting over.', 'Tap Done when ready.']);
    expect(texts(chat.tap('Done').messages)).toEqual(['Thanks.']);
  });
});

describe('a call whose next or on_error is its own state', () => {
  const bot = botFrom({
    'bot.yaml': 'call_allow: [api.test]',
    'f.yaml': `
states:
  poll:
    say: Checking…
    call: { url: "http://api.test/status", save: status, on_error: poll }
    next:
      - { if: status.ready, goto: ready }
      - { goto: poll }
  ready: { say: Ready., end: true }
`,
  });

  it('enters the state again and asks for a new call each time', () => {
    const chat = new Chat(bot);
    const first = chat.text('hi');
    expect(first.calls).toHaveLength(1);
    const notYet = chat.send({ kind: 'call_result', callId: first.calls[0]!.id, status: 200, body: { ready: false } });
    expect(texts(notYet.messages)).toEqual(['Checking…']);
    expect(notYet.calls).toHaveLength(1);
    expect(notYet.calls[0]!.id).not.toBe(first.calls[0]!.id);
    const failed = chat.send({ kind: 'call_result', callId: notYet.calls[0]!.id, status: 500 });
    expect(texts(failed.messages)).toEqual(['Checking…']);
    expect(failed.calls).toHaveLength(1);
    expect(chat.conversation!.vars.error).toMatchObject({ status: 500 });
    const done = chat.send({ kind: 'call_result', callId: failed.calls[0]!.id, status: 200, body: { ready: true } });
    expect(texts(done.messages)).toEqual(['Ready.']);
    expect(chat.conversation?.status).toBe('ended');
  });

  it('drive stops a service that never gets ready after its call limit', async () => {
    const seen: CallRequest[] = [];
    const http: HttpPort = { request: async (req) => (seen.push(req), { status: 200, body: { ready: false } }) };
    const out = await drive(createEngine(bot), { conversation: undefined, event: { kind: 'text', text: 'hi' }, profile: { id: 'u1' }, now: 1, eventId: 'a' }, http);
    expect(seen).toHaveLength(MAX_CALLS_PER_DRIVE);
    expect(new Set(seen.map((c) => c.id)).size).toBe(MAX_CALLS_PER_DRIVE);
    expect(out.notes).toContain('too_many_calls');
    expect(texts(out.messages)).toEqual(Array(MAX_CALLS_PER_DRIVE + 1).fill('Checking…'));
  });
});

/** A state that moves on to itself, adding an "x" each lap, until `laps` is `until`. */
function lapsUntil(until: string): string {
  return `
vars: { laps: "" }
states:
  lap:
    set: { laps: "{{laps}}x" }
    say: "Lap {{laps}}."
    next:
      - { if: 'laps == "${until}"', goto: finish }
      - { goto: lap }
  finish: { say: Done., end: true }
`;
}

describe('a state that moves on by itself to itself', () => {
  it('ends with the error message instead of hanging or staying in a state that does not wait', () => {
    const bot = botFrom({ 'bot.yaml': 'messages: { error: Oops. }', 'f.yaml': 'states:\n  spin:\n    say: Round and round.\n    next: spin\n' });
    const chat = new Chat(bot);
    const out = chat.text('hi');
    expect(texts(out.messages)).toEqual(['Oops.']);
    expect(out.notes).toContain('machine_loop');
    expect(chat.conversation?.status).toBe('ended');
    expect(out.timers).toEqual([]);
  });

  it('ends the same way when reached by a choice', () => {
    const bot = botFrom({
      'bot.yaml': 'messages: { error: Oops. }',
      'f.yaml': 'states:\n  menu:\n    say: Go?\n    quick_replies: [{ title: Go, goto: spin }]\n  spin:\n    say: Round.\n    next: spin\n',
    });
    const chat = new Chat(bot);
    chat.text('hi');
    const out = chat.tap('Go');
    expect(texts(out.messages)).toEqual(['Oops.']);
    expect(out.notes).toContain('machine_loop');
    expect(chat.conversation?.status).toBe('ended');
  });

  it('runs each lap when a condition ends the loop', () => {
    const bot = botFrom({ 'f.yaml': lapsUntil('xxx') });
    const chat = new Chat(bot);
    expect(texts(chat.text('hi').messages)).toEqual(['Lap x.', 'Lap xx.', 'Lap xxx.', 'Done.']);
    expect(chat.conversation?.status).toBe('ended');
  });

  it('ends a loop whose condition never holds with the error message alone, also at the flow\'s start', () => {
    // xstate gives up after maxIterations; on the way in (a flow's start) it does not throw
    // but hands back an error snapshot: none of the ~200 laps' messages may go out.
    const bot = botFrom({ 'bot.yaml': 'messages: { error: Oops. }', 'f.yaml': lapsUntil('never') });
    const chat = new Chat(bot);
    const out = chat.text('hi');
    expect(texts(out.messages)).toEqual(['Oops.']);
    expect(out.notes).toContain('machine_loop');
    expect(chat.conversation?.status).toBe('ended');
  });
});

describe('flow test with a self-loop', () => {
  it('passes a test that taps a choice going back to its own state', async () => {
    const root = tempProject({
      'flows/menu.yaml': MENU,
      'flows/tests/menu.test.yaml': `flow: menu
tests:
  - name: again and again
    steps:
      - bot: Welcome.
      - bot: What now?
        quick_replies: [Again, Quit]
      - tap: Again
      - bot: Welcome.
      - bot: What now?
        quick_replies: [Again, Quit]
      - state: menu
      - user: again
      - bot: Welcome.
      - bot: What now?
      - tap: Quit
      - bot: Bye.
      - ended: true
`,
    });
    const io = memoryIo(root);
    const code = await main(['test'], io);
    expect(io.out()).toContain('✓ again and again');
    expect(io.out()).toContain('1 test: 1 passed, 0 failed');
    expect(code).toBe(0);
  });
});
