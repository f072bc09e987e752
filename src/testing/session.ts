/**
 * One person's conversation with a bot outside the server, on a simulated clock: what
 * `flow test` and `flow chat` run. It keeps the stored conversation and the pending timers
 * between steps, performs `call`s through the given HTTP port, and fires due timers when
 * time is advanced. It also reports the states each step entered, for coverage.
 */
import { createEngine, drive, menuPayload, type CompiledBot, type Engine, type HttpPort } from '../engine/index.js';
import type { Conversation, InboundEvent, OutMessage, Profile, TimerSpec } from '../engine/types.js';
import type { Entered } from './coverage.js';

/** What one action produced: the bot's messages and the states entered, in order. */
export interface StepResult {
  messages: OutMessage[];
  entered: Entered[];
  /** Where the conversation was before (undefined: none in progress). */
  before?: Entered;
  notes: string[];
}

/** Monday 5 January 2026, 09:00 UTC: the simulated clock's default start. */
export const DEFAULT_START_TIME = Date.UTC(2026, 0, 5, 9, 0, 0);

export interface SessionOptions {
  bot: CompiledBot;
  http: HttpPort;
  profile: Profile;
  /** Epoch ms the clock starts at (default `DEFAULT_START_TIME`). */
  startAt?: number;
}

/**
 * The payload that starts `flowId` "as if its trigger fired". The bot is given one start
 * postback per flow (`FS1:start:<flow>`, the payload of a menu entry without `payload:`),
 * so every flow can be started, with or without triggers.
 */
export function startPayload(flowId: string): string {
  return menuPayload({ flow: flowId });
}

/**
 * A copy of `bot` where every flow can be started by its start postback and, optionally,
 * `flowId` starts with `vars` already set (as if an earlier flow had saved them).
 */
export function botForSession(bot: CompiledBot, preset?: { flowId: string; vars: Record<string, unknown> }): CompiledBot {
  const postbacks = new Map(bot.postbacks);
  for (const id of bot.flowIds) if (!postbacks.has(startPayload(id))) postbacks.set(startPayload(id), id);
  let flows = bot.flows;
  const target = preset && Object.keys(preset.vars).length > 0 ? bot.flows.get(preset.flowId) : undefined;
  if (preset && target) {
    const copy = new Map(bot.flows);
    copy.set(preset.flowId, { ...target, flow: { ...target.flow, vars: { ...(target.flow.vars ?? {}), ...preset.vars } } });
    flows = copy;
  }
  return { ...bot, postbacks, flows };
}

/** Where an active conversation is (flow and state), or undefined when none is in progress. */
function positionOf(c: Conversation | undefined): Entered | undefined {
  return c && c.status === 'active' && c.flowId !== undefined && c.state !== undefined ? { flow: c.flowId, state: c.state } : undefined;
}

/** Reads the states a step entered from its notes (`enter:<flow>:<state>`), else infers the final one. */
export function enteredStates(before: Conversation | undefined, after: Conversation, notes: readonly string[]): Entered[] {
  const entered: Entered[] = [];
  for (const n of notes) {
    const m = /^enter:([^:]+):(.+)$/.exec(n);
    if (m) entered.push({ flow: m[1]!, state: m[2]! });
  }
  if (entered.length > 0) return entered;
  // Without enter notes, only what the conversation shows: a new visit means a new state.
  if (after.status === 'active' && after.flowId !== undefined && after.state !== undefined && after.visit !== (before?.visit ?? -1)) {
    entered.push({ flow: after.flowId, state: after.state });
  }
  return entered;
}

/** A conversation on a simulated clock (see the module comment). */
export class Session {
  private engine: Engine;
  private readonly baseBot: CompiledBot;
  private readonly http: HttpPort;
  readonly profile: Profile;
  conversation: Conversation | undefined;
  /** The simulated time, epoch ms. */
  now: number;
  timers: TimerSpec[] = [];
  private seq = 0;

  constructor(options: SessionOptions) {
    this.baseBot = options.bot;
    this.engine = createEngine(botForSession(options.bot));
    this.http = options.http;
    this.profile = options.profile;
    this.now = options.startAt ?? DEFAULT_START_TIME;
  }

  /** The bot this session runs (with start postbacks added). */
  get bot(): CompiledBot {
    return this.engine.bot;
  }

  /** Starts `flowId` as if its trigger fired, with `vars` already set. */
  async start(flowId: string, vars: Record<string, unknown> = {}): Promise<StepResult> {
    if (Object.keys(vars).length > 0) this.engine = createEngine(botForSession(this.baseBot, { flowId, vars }));
    return this.send({ kind: 'postback', payload: startPayload(flowId) });
  }

  /** Handles one event from the person. */
  async send(event: InboundEvent): Promise<StepResult> {
    this.seq += 1;
    const before = this.conversation;
    const out = await drive(this.engine, { conversation: before, event, profile: this.profile, now: this.now, eventId: `local-${this.seq}` }, this.http);
    this.conversation = out.conversation;
    this.timers = [...out.timers].sort((a, b) => a.at - b.at);
    const where = positionOf(before);
    const result: StepResult = { messages: out.messages, entered: enteredStates(before, out.conversation, out.notes), notes: out.notes };
    if (where) result.before = where;
    return result;
  }

  /** Advances the clock by `ms`, firing every timer that falls due, in order, each at its own time. */
  async wait(ms: number): Promise<StepResult> {
    const until = this.now + ms;
    const all: StepResult = { messages: [], entered: [], notes: [] };
    let first = true;
    for (let guard = 0; guard < 1000; guard++) {
      const due = this.timers.find((t) => t.at <= until);
      if (!due) break;
      this.now = Math.max(this.now, due.at);
      const r = await this.send({ kind: 'timer', timerId: due.id });
      if (first && r.before) all.before = r.before;
      first = false;
      all.messages.push(...r.messages);
      all.entered.push(...r.entered);
      all.notes.push(...r.notes);
      // A timer the engine ignored must not fire again.
      this.timers = this.timers.filter((t) => t.id !== due.id || t.at > this.now);
    }
    this.now = until;
    return all;
  }

  /** Forgets the conversation (the next message starts afresh); the clock keeps going. */
  reset(): void {
    this.conversation = undefined;
    this.timers = [];
  }

  /** True when no conversation is in progress. */
  ended(): boolean {
    return this.conversation === undefined || this.conversation.status !== 'active';
  }

  /** `flow.state` of the conversation in progress, or undefined. */
  where(): string | undefined {
    const p = positionOf(this.conversation);
    return p && `${p.flow}.${p.state}`;
  }

  /** The conversation's variables (empty when none is in progress). */
  vars(): Record<string, unknown> {
    return { ...(this.conversation?.vars ?? {}) };
  }
}
