/**
 * The engine: a pure, total step function over a compiled bot.
 *
 * step(stored conversation or none, inbound event, profile, now, eventId) ->
 * (new conversation, messages, timers, calls, notes). It never reads the clock or the
 * network and never throws: a bug path says the bot's `error` message, ends the
 * conversation and records a `bug:` note.
 */
import type { CompiledBot } from '../compile/types.js';
import { DEFAULT_MESSAGES } from '../language/model.js';
import { languageOf } from '../compile/texts.js';
import { endConversation, sayMessage, userRecord, type StepCtx } from './context.js';
import { expireIfIdle, newConversation, restoreConversation } from './conversation.js';
import { fitMessages } from './limits.js';
import { handlePerson, type PersonEvent } from './person.js';
import { sendEvent } from './run.js';
import { parseTimerId, pendingTimers, stateTimers } from './timers.js';
import type { Conversation, InboundEvent, StepInput, StepOutput } from './types.js';

/** A bot ready to run conversations. */
export interface Engine {
  readonly bot: CompiledBot;
  /** Handles one inbound event. Pure and total: same input, same output; never throws. */
  step(input: StepInput): StepOutput;
}

function newCtx(bot: CompiledBot, input: StepInput, notes: string[]): StepCtx {
  const profile = input.profile ?? { id: '' };
  const conv = restoreConversation(input.conversation, profile, input.now, notes);
  return {
    bot,
    conv,
    now: input.now,
    eventId: String(input.eventId ?? ''),
    profile,
    user: userRecord(profile),
    language: languageOf(profile.locale, bot.settings.default_language),
    messages: [],
    calls: [],
    notes,
  };
}

function handleTimer(ctx: StepCtx, timerIdText: string): void {
  const c = ctx.conv;
  if (c.status === 'active' && expireIfIdle(ctx)) return;
  const id = parseTimerId(timerIdText);
  const timers = stateTimers(ctx.bot, c);
  const position = id ? timers.findIndex((t) => t.index === id.index) : -1;
  const since = c.waitingSince ?? c.lastActivity;
  if (!id || position < 0 || id.visit !== c.visit || id.since !== since || position < (c.timersFired ?? 0)) {
    ctx.notes.push('stale_timer');
    return;
  }
  c.timersFired = position + 1;
  sendEvent(ctx, ctx.bot.flows.get(c.flowId!)!, { type: `TIMER_${timers[position]!.index}` });
}

function handleCallResult(ctx: StepCtx, event: Extract<InboundEvent, { kind: 'call_result' }>): void {
  const c = ctx.conv;
  const flow = c.flowId !== undefined ? ctx.bot.flows.get(c.flowId) : undefined;
  if (c.status !== 'active' || c.pendingCall === undefined || c.pendingCall !== event.callId || !flow) {
    ctx.notes.push('stale_call_result');
    return;
  }
  delete c.pendingCall;
  const deferred = c.deferred ?? [];
  delete c.deferred;
  const ok = event.error === undefined && event.status >= 200 && event.status < 300;
  ctx.notes.push(ok ? 'call_ok' : 'call_error');
  if (ok) {
    sendEvent(ctx, flow, { type: 'CALL_OK', value: event.body === undefined ? null : event.body });
  } else {
    const message = event.error ?? `The service answered with HTTP status ${event.status}.`;
    sendEvent(ctx, flow, { type: 'CALL_ERROR', error: { status: event.status, message } });
  }
  // messages written while the call was pending, in the order received
  const [eventId, now] = [ctx.eventId, ctx.now];
  for (const d of deferred) {
    ctx.eventId = d.eventId;
    ctx.now = Math.max(d.now, now);
    handlePerson(ctx, d.event as PersonEvent);
  }
  [ctx.eventId, ctx.now] = [eventId, now];
}

function run(bot: CompiledBot, input: StepInput): StepOutput {
  const notes: string[] = [];
  const ctx = newCtx(bot, input, notes);
  const event = input.event;
  switch (event?.kind) {
    case 'timer':
      handleTimer(ctx, event.timerId);
      break;
    case 'call_result':
      handleCallResult(ctx, event);
      break;
    case 'text':
    case 'quick_reply':
    case 'postback':
    case 'attachment':
      expireIfIdle(ctx);
      handlePerson(ctx, event);
      break;
    default:
      notes.push('unknown_event');
  }
  if (input.profile) ctx.conv.profile = input.profile;
  if (ctx.profile.id) ctx.conv.userId = ctx.profile.id;
  return { conversation: ctx.conv, messages: fitMessages(ctx.messages), timers: pendingTimers(bot, ctx.conv), calls: ctx.calls, notes };
}

function bugOutput(bot: CompiledBot, input: StepInput, error: unknown): StepOutput {
  const notes = [`bug:${error instanceof Error ? error.message : String(error)}`.slice(0, 300)];
  let conversation: Conversation;
  let text = DEFAULT_MESSAGES.error;
  try {
    const ctx = newCtx(bot, input, []);
    sayMessage(ctx, 'error');
    text = ctx.messages[0]?.kind === 'text' ? ctx.messages[0].text : text;
    endConversation(ctx, 'bug');
    conversation = ctx.conv;
  } catch {
    conversation = newConversation(String(input?.profile?.id ?? ''), Number(input?.now) || 0);
  }
  return { conversation, messages: fitMessages([{ kind: 'text', text }]), timers: [], calls: [], notes };
}

/** Creates the engine of a compiled bot (see `Engine.step`). */
export function createEngine(bot: CompiledBot): Engine {
  return {
    bot,
    step(input: StepInput): StepOutput {
      try {
        return run(bot, input);
      } catch (error) {
        return bugOutput(bot, input, error);
      }
    },
  };
}
