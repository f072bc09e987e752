/**
 * The working state of one step: the conversation being built, the messages, calls and
 * notes collected so far, and helpers that render texts for this person. Internal to the
 * engine; a step creates one, mutates it, and turns it into a `StepOutput`.
 */
import { renderScope, renderText } from '../compile/texts.js';
import type { CompiledBot, CompiledText, RenderScope } from '../compile/types.js';
import type { MessageKey } from '../language/model.js';
import type { CallRequest, Conversation, OutMessage, Profile } from './types.js';

/** Payloads remembered per conversation to recognise stale taps. */
export const OFFERED_MAX = 50;

export interface StepCtx {
  bot: CompiledBot;
  conv: Conversation;
  now: number;
  eventId: string;
  profile: Profile;
  user: Record<string, string>;
  language: string;
  messages: OutMessage[];
  calls: CallRequest[];
  notes: string[];
}

const PROFILE_FIELDS = ['id', 'name', 'first_name', 'last_name', 'email', 'title', 'department', 'locale'] as const;

/** `user.*` for templates: every profile field, '' when the platform did not give it. */
export function userRecord(profile: Profile | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of PROFILE_FIELDS) {
    const v = profile?.[k];
    out[k] = typeof v === 'string' ? v : '';
  }
  return out;
}

/** The template scope for `vars` in this step. */
export function scopeOf(ctx: StepCtx, vars: Record<string, unknown>): RenderScope {
  return renderScope(vars, ctx.user, ctx.conv.input, ctx.bot.env, ctx.language);
}

/** Renders a compiled text for this person with `vars`. */
export function textOf(ctx: StepCtx, text: CompiledText, vars: Record<string, unknown>): string {
  return renderText(text, scopeOf(ctx, vars), ctx.bot.settings.default_language);
}

/** Says one of the bot's messages (`fallback`, `cancelled`, ...). */
export function sayMessage(ctx: StepCtx, key: MessageKey): void {
  ctx.messages.push({ kind: 'text', text: textOf(ctx, ctx.bot.messages[key], ctx.conv.vars) });
}

/** Remembers payloads offered to the person (most recent last, bounded). */
export function remember(ctx: StepCtx, payloads: readonly string[]): void {
  if (payloads.length === 0) return;
  const offered = ctx.conv.offered.filter((p) => !payloads.includes(p));
  offered.push(...payloads);
  ctx.conv.offered = offered.length > OFFERED_MAX ? offered.slice(offered.length - OFFERED_MAX) : offered;
}

/** Ends the conversation: variables, pending call and deferred events are dropped. */
export function endConversation(ctx: StepCtx, note: string): void {
  const c = ctx.conv;
  c.status = 'ended';
  c.vars = {};
  c.attempts = 0;
  delete c.state;
  delete c.pendingCall;
  delete c.deferred;
  delete c.waitingSince;
  delete c.timersFired;
  ctx.notes.push(note);
}
