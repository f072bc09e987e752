/**
 * A person's message (text, quick-reply tap, postback, attachment), handled in the spec's
 * order: 1. global commands, 2. payloads (current choice, trigger postback, stale), 3. typed
 * title of a current choice, 4. `ask`, 5. triggers / `default_flow` when no conversation is
 * in progress, 6. fallback and the current prompt again. Attachments are text that matches
 * nothing. While a `call` is pending, commands act at once and anything else waits in
 * `deferred` until the call's result (the call is asked for again, with the same
 * idempotency key, in case its result was lost).
 */
import { isGeneratedPayload, payloadCommand } from '../compile/payloads.js';
import type { CompiledFlow, CompiledState } from '../compile/types.js';
import type { CommandKey } from '../language/model.js';
import { issueCall } from './calls.js';
import { endConversation, sayMessage, textOf, type StepCtx } from './context.js';
import { reconcileFlow } from './conversation.js';
import { checkAnswer } from './input.js';
import { cutTitle } from './limits.js';
import { pushWithChoices, renderPrompt } from './render.js';
import { defaultRetry } from './retry-messages.js';
import { sendEvent, startFlow } from './run.js';
import type { InboundEvent } from './types.js';

/** Events a person may send (as opposed to timers and call results). */
export type PersonEvent = Extract<InboundEvent, { kind: 'text' | 'quick_reply' | 'postback' | 'attachment' }>;

/** Person events kept while a call is pending. */
export const DEFERRED_MAX = 5;

function current(ctx: StepCtx): { flow: CompiledFlow; state: CompiledState } | undefined {
  const c = ctx.conv;
  if (c.status !== 'active' || c.flowId === undefined || c.state === undefined) return undefined;
  const flow = ctx.bot.flows.get(c.flowId);
  const state = flow?.states.get(c.state);
  return flow && state ? { flow, state } : undefined;
}

/**
 * The global command a message asks for: its whole text (trimmed, any case) is one of the
 * command words, or its payload is `FS1:cmd:<command>`, or the bare command name
 * (`RESTART`, `cancel`...) when no flow uses that payload for something else.
 */
function commandOf(ctx: StepCtx, text: string | undefined, payload: string | undefined): CommandKey | undefined {
  if (payload !== undefined) {
    const generated = payloadCommand(payload);
    if (generated) return generated;
    const bare = /^(restart|cancel|help)$/i.exec(payload);
    if (bare && !ctx.bot.postbacks.has(payload) && !ctx.bot.allPayloads.has(payload)) return bare[1]!.toLowerCase() as CommandKey;
    return undefined;
  }
  return text !== undefined ? ctx.bot.commands.get(text.trim().toLowerCase()) : undefined;
}

/** Starts `flowId` as a new conversation: no variables are kept. */
function startNew(ctx: StepCtx, flowId: string): void {
  ctx.conv.vars = {};
  delete ctx.conv.deferred;
  startFlow(ctx, flowId, {});
}

function runCommand(ctx: StepCtx, command: CommandKey): void {
  ctx.notes.push(`command:${command}`);
  const cur = current(ctx);
  if (command === 'cancel') {
    sayMessage(ctx, 'cancelled');
    if (ctx.conv.status === 'active') endConversation(ctx, 'cancelled');
    return;
  }
  if (command === 'help') {
    sayMessage(ctx, 'help');
    renderPrompt(ctx, cur?.flow);
    return;
  }
  // the flow in progress (even when an edit removed its current state), else the default flow
  const c = ctx.conv;
  const inProgress = c.status === 'active' && c.flowId !== undefined && ctx.bot.flows.has(c.flowId) ? c.flowId : undefined;
  const flowId = inProgress ?? ctx.bot.settings.default_flow;
  if (flowId !== undefined && ctx.bot.flows.has(flowId)) return startNew(ctx, flowId);
  sayMessage(ctx, 'fallback');
}

function follow(ctx: StepCtx, flow: CompiledFlow, index: number): void {
  ctx.notes.push('choice');
  if (!sendEvent(ctx, flow, { type: `CHOICE_${index}` })) {
    sayMessage(ctx, 'fallback');
    renderPrompt(ctx, flow);
  }
}

function matchTitle(ctx: StepCtx, state: CompiledState, text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (t === '') return undefined;
  for (const c of state.choices) {
    if (c.payload === undefined) continue;
    const rendered = textOf(ctx, c.title, ctx.conv.vars).trim();
    const candidates = [rendered, cutTitle(rendered), ...c.title.literals];
    if (candidates.some((x) => x.trim().toLowerCase() === t)) return c.index;
  }
  return undefined;
}

function answer(ctx: StepCtx, flow: CompiledFlow, state: CompiledState, text: string | undefined): void {
  const ask = state.ask!;
  const result = checkAnswer(ask, text, ctx.profile.locale);
  if (result.ok) {
    ctx.notes.push('answer');
    sendEvent(ctx, flow, { type: 'ANSWER', value: result.value });
    return;
  }
  ctx.conv.attempts += 1;
  if (ctx.conv.attempts >= ask.attempts) {
    ctx.notes.push('ask_failed');
    sendEvent(ctx, flow, { type: 'FAIL' });
    return;
  }
  ctx.notes.push('retry');
  const retry = ask.retry ? textOf(ctx, ask.retry, ctx.conv.vars) : defaultRetry(ask, ctx.language, ctx.bot.settings.default_language, ctx.profile.locale);
  pushWithChoices(ctx, [retry], state, ctx.conv.vars);
}

function noConversation(ctx: StepCtx, text: string | undefined): void {
  const keyword = text !== undefined ? ctx.bot.keywords.get(text.trim().toLowerCase()) : undefined;
  if (keyword !== undefined) {
    ctx.notes.push('trigger:keyword');
    return startNew(ctx, keyword);
  }
  const fallbackFlow = ctx.bot.settings.default_flow;
  if (fallbackFlow !== undefined && ctx.bot.flows.has(fallbackFlow)) {
    ctx.notes.push('trigger:default_flow');
    return startNew(ctx, fallbackFlow);
  }
  ctx.notes.push('fallback');
  sayMessage(ctx, 'fallback');
}

/** Handles one person event (see the module comment for the order). */
export function handlePerson(ctx: StepCtx, event: PersonEvent): void {
  const c = ctx.conv;
  c.lastActivity = ctx.now;
  if (c.status === 'active') {
    c.waitingSince = ctx.now; // a message re-arms the state's timers
    c.timersFired = 0;
  }
  const payload = event.kind === 'quick_reply' || event.kind === 'postback' ? event.payload : undefined;
  let text = event.kind === 'text' ? event.text : undefined;
  if (text !== undefined) c.input = text;

  const command = commandOf(ctx, text, payload);
  // 1. global commands: `cancel` and `restart` act at once, whatever version of the flow the
  // conversation was in (nothing of a changed flow is entered or restarted just to be dropped)
  if (command === 'cancel' || command === 'restart') return runCommand(ctx, command);
  if (reconcileFlow(ctx) !== 'ok') {
    // the flow changed and a state was entered afresh or the flow restarted: the message was
    // meant for a step the person no longer sees, so it is not taken as an answer; `help` still is
    if (command) runCommand(ctx, command);
    return;
  }
  if (command) return runCommand(ctx, command);

  if (c.status === 'active' && c.pendingCall !== undefined) {
    const deferred = c.deferred ?? [];
    if (deferred.length < DEFERRED_MAX) deferred.push({ event, eventId: ctx.eventId, now: ctx.now });
    c.deferred = deferred;
    ctx.notes.push('deferred_while_call_pending');
    const cur = current(ctx);
    if (cur?.state.call) issueCall(ctx, cur.state, c.pendingCall);
    return;
  }

  // 2. payloads
  if (payload !== undefined) {
    const cur = current(ctx);
    const index = cur?.state.payloads.get(payload);
    if (cur && index !== undefined) return follow(ctx, cur.flow, index);
    const trigger = ctx.bot.postbacks.get(payload);
    if (trigger !== undefined) {
      ctx.notes.push('trigger:postback');
      return startNew(ctx, trigger);
    }
    if (c.offered.includes(payload) || ctx.bot.allPayloads.has(payload) || isGeneratedPayload(payload)) {
      ctx.notes.push('stale_choice');
      sayMessage(ctx, 'stale_choice');
      if (cur) return renderPrompt(ctx, cur.flow);
      return noConversation(ctx, undefined);
    }
    // never offered: as if the person had typed the tap's title
    ctx.notes.push('unknown_payload');
    text = event.kind === 'quick_reply' || event.kind === 'postback' ? event.title : undefined;
    if (text !== undefined) {
      c.input = text;
      const typed = commandOf(ctx, text, undefined);
      if (typed) return runCommand(ctx, typed);
    }
  }

  const cur = current(ctx);
  // 3. typed title of a current choice
  if (cur && text !== undefined) {
    const index = matchTitle(ctx, cur.state, text);
    if (index !== undefined) return follow(ctx, cur.flow, index);
  }
  // 4. ask
  if (cur?.state.ask) return answer(ctx, cur.flow, cur.state, text);
  // 5. no conversation in progress
  if (!cur) return noConversation(ctx, text);
  // 6. fallback and the current prompt again
  ctx.notes.push('fallback');
  sayMessage(ctx, 'fallback');
  renderPrompt(ctx, cur.flow);
}
