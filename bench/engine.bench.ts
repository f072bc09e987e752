/**
 * `npm run bench:engine`: the cost of one engine step on the example flows (restore the
 * conversation from JSON, handle a message, produce the new conversation JSON and the
 * replies), next to a bare xstate cycle (createActor from a persisted snapshot, send,
 * getPersistedSnapshot) on a machine with as many states, measured in the same run.
 * Not a test: it prints ns/op and the ratio (target: within 2x).
 */
import { fileURLToPath } from 'node:url';
import { assign, createActor, setup } from 'xstate';
import { loadProjectDir } from '../src/language/load.js';
import { compileBot, createEngine } from '../src/engine/index.js';
import type { Conversation, InboundEvent, StepInput } from '../src/engine/types.js';

const dir = fileURLToPath(new URL('../flows', import.meta.url));
const bot = compileBot(loadProjectDir(dir).project, { env: { HELPDESK_URL: 'http://helpdesk.example.com' } });
const engine = createEngine(bot);
const profile = { id: 'bench-user', first_name: 'Ana', email: 'ana@example.com', locale: 'en_GB' };

/** Walks to a state and returns the stored conversation JSON there. */
function conversationAfter(events: InboundEvent[]): string {
  let conversation: Conversation | undefined;
  let now = 1_700_000_000_000;
  for (const [i, event] of events.entries()) {
    now += 1000;
    conversation = engine.step({ conversation, event, profile, now, eventId: `w${i}` }).conversation;
  }
  return JSON.stringify(conversation);
}

const payload = (flow: string, state: string, i: number) => `FS1:${flow}:${state}:${i}`;
const scenarios: Array<{ name: string; json: string; event: InboundEvent }> = [
  { name: 'tap a quick reply (it-helpdesk welcome -> password)', json: conversationAfter([{ kind: 'text', text: 'helpdesk' }]), event: { kind: 'quick_reply', payload: payload('it-helpdesk', 'welcome', 0), title: 'Password reset' } },
  { name: 'typed answer to an ask (describe -> confirm)', json: conversationAfter([{ kind: 'text', text: 'helpdesk' }, { kind: 'text', text: 'Something else' }]), event: { kind: 'text', text: 'My screen flickers since Monday' } },
  { name: 'unexpected text (fallback + prompt again)', json: conversationAfter([{ kind: 'text', text: 'helpdesk' }]), event: { kind: 'text', text: 'what?' } },
];

// The bare xstate cycle on a machine with as many states as the largest example flow.
const size = Math.max(...[...bot.flows.values()].map((f) => f.states.size));
const states: Record<string, object> = {};
for (let i = 0; i < size; i++) {
  states[`s${i}`] = { entry: 'touch', on: { NEXT: `s${(i + 1) % size}`, ANSWER: { target: `s${(i + 2) % size}`, actions: 'save' } } };
}
const bare = setup({
  types: {} as { context: { vars: Record<string, unknown> }; events: { type: 'NEXT' } | { type: 'ANSWER'; value: string } },
  actions: { touch: () => undefined, save: assign(({ context }) => ({ vars: { ...context.vars, answer: 'x' } })) },
}).createMachine({ id: 'bare', initial: 's0', context: { vars: { priority: 'normal', item: 'none' } }, states } as never);
const seedActor = createActor(bare).start();
seedActor.send({ type: 'NEXT' });
const persistedJson = JSON.stringify(seedActor.getPersistedSnapshot());
seedActor.stop();

console.log(`Flowstate engine benchmark: ${bot.flows.size} flows, bare machine of ${size} states\n`);

/** ns per call of `fn` over about `ms` of work. */
function timeIt(fn: () => void, ms: number): number {
  let n = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  while (elapsed < BigInt(ms) * 1_000_000n) {
    for (let i = 0; i < 200; i++) fn();
    n += 200;
    elapsed = process.hrtime.bigint() - start;
  }
  return Number(elapsed) / n;
}
const medianOf = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const bareCycle = (): void => {
  const actor = createActor(bare, { snapshot: JSON.parse(persistedJson) }).start();
  actor.send({ type: 'NEXT' });
  JSON.stringify(actor.getPersistedSnapshot());
  actor.stop();
};
let eventNo = 0;
const steps = scenarios.map((s) => () => {
  const input: StepInput = { conversation: JSON.parse(s.json), event: s.event, profile, now: 1_700_000_100_000, eventId: `b${eventNo++}` };
  const out = engine.step(input);
  JSON.stringify(out.conversation);
  JSON.stringify(out.messages);
});

// Warm-up, then ROUNDS rounds that time the bare cycle and every step one after the other,
// so that GC and JIT effects fall on all of them alike; the figures are medians over rounds.
const ROUNDS = 9;
for (let i = 0; i < 3000; i++) {
  bareCycle();
  for (const step of steps) step();
}
const bareRuns: number[] = [];
const stepRuns = scenarios.map(() => [] as number[]);
const ratioRuns = scenarios.map(() => [] as number[]);
for (let r = 0; r < ROUNDS; r++) {
  const bareNs = timeIt(bareCycle, 120);
  bareRuns.push(bareNs);
  steps.forEach((step, k) => {
    const ns = timeIt(step, 120);
    stepRuns[k]!.push(ns);
    ratioRuns[k]!.push(ns / bareNs);
  });
}
console.log(`${'bare xstate cycle (JSON -> actor -> send -> JSON)'.padEnd(62)} ${medianOf(bareRuns).toFixed(0).padStart(8)} ns/op`);
let worst = 0;
scenarios.forEach((s, k) => {
  const ratio = medianOf(ratioRuns[k]!);
  worst = Math.max(worst, ratio);
  console.log(`${`engine step: ${s.name}`.padEnd(62)} ${medianOf(stepRuns[k]!).toFixed(0).padStart(8)} ns/op   ${ratio.toFixed(2)}x the bare cycle`);
});
console.log(`\nworst step / bare cycle: ${worst.toFixed(2)}x (target <= 2x; medians of ${ROUNDS} interleaved rounds)`);
