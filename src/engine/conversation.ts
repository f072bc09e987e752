/**
 * Stored conversations: trusting them (format version 1 only), expiring idle ones, and
 * carrying them over when their flow changed (see "When a flow changes under live
 * conversations" in the spec).
 *
 * Policy:
 * - a stored value that is not a version-1 conversation is treated as none (note
 *   `conversation_version_unknown`);
 * - an active conversation idle for longer than `session_timeout` ends (note
 *   `session_expired`): the message is handled as with no conversation in progress;
 * - its flow's content hash differs from the loaded flow's: the state still exists and still
 *   waits the same way -> continue (`flow_changed:continued`); `moved:` names a waiting state
 *   -> continue there (`flow_changed:moved`); otherwise say `flow_changed` and restart the
 *   flow at `start`, keeping the variables (`flow_changed:restarted`). A flow no longer
 *   loaded: say `flow_changed` and end (`flow_changed:removed`).
 */
import { endConversation, sayMessage, type StepCtx } from './context.js';
import { startFlow } from './run.js';
import type { Conversation, Profile } from './types.js';

/** True for a stored value this engine can continue (format version 1, expected shape). */
export function isConversation(value: unknown): value is Conversation {
  if (value === null || typeof value !== 'object') return false;
  const c = value as Record<string, unknown>;
  return (
    c.version === 1 &&
    (c.status === 'active' || c.status === 'ended') &&
    typeof c.visit === 'number' &&
    Number.isFinite(c.visit) &&
    c.vars !== null &&
    typeof c.vars === 'object' &&
    !Array.isArray(c.vars) &&
    typeof c.attempts === 'number' &&
    typeof c.lastActivity === 'number' &&
    Array.isArray(c.offered) &&
    (c.flowId === undefined || typeof c.flowId === 'string') &&
    (c.state === undefined || typeof c.state === 'string') &&
    (c.deferred === undefined || Array.isArray(c.deferred))
  );
}

/**
 * The conversation a step works on: a copy of the stored one when it can be trusted, else a
 * new ended one (keeping nothing).
 */
export function restoreConversation(stored: unknown, profile: Profile, now: number, notes: string[]): Conversation {
  if (isConversation(stored)) {
    const c: Conversation = { ...stored, vars: { ...stored.vars }, offered: stored.offered.filter((p) => typeof p === 'string') };
    if (stored.deferred) c.deferred = [...stored.deferred];
    if (!c.userId) c.userId = profile.id;
    return c;
  }
  if (stored !== undefined && stored !== null) notes.push('conversation_version_unknown');
  return newConversation(profile.id, now);
}

/** A conversation with nothing in progress and nothing kept. */
export function newConversation(userId: string, now: number): Conversation {
  return { version: 1, userId, status: 'ended', visit: 0, vars: {}, attempts: 0, lastActivity: now, offered: [] };
}

/** Ends an active conversation idle for longer than `session_timeout`; true when it did. */
export function expireIfIdle(ctx: StepCtx): boolean {
  const c = ctx.conv;
  if (c.status !== 'active' || ctx.now - c.lastActivity <= ctx.bot.settings.sessionTimeoutMs) return false;
  endConversation(ctx, 'session_expired');
  return true;
}

/**
 * Carries an active conversation over to the loaded version of its flow. Returns
 * `restarted` when the flow was restarted (the person's message is then not handled
 * further, except a global command), else `ok`.
 */
export function reconcileFlow(ctx: StepCtx): 'ok' | 'restarted' {
  const c = ctx.conv;
  if (c.status !== 'active') return 'ok';
  const flow = c.flowId !== undefined ? ctx.bot.flows.get(c.flowId) : undefined;
  if (!flow) {
    sayMessage(ctx, 'flow_changed');
    endConversation(ctx, 'flow_changed:removed');
    return 'ok';
  }
  if (c.flowHash === flow.hash) return 'ok';
  const fits = (name: string | undefined, pending: boolean) => {
    const s = name !== undefined ? flow.states.get(name) : undefined;
    return s !== undefined && s.waits && (s.call !== undefined) === pending;
  };
  if (fits(c.state, c.pendingCall !== undefined)) {
    c.flowHash = flow.hash;
    ctx.notes.push('flow_changed:continued');
    return 'ok';
  }
  const moved = c.state !== undefined ? flow.moved[c.state] : undefined;
  if (moved !== undefined && fits(moved, false) && c.pendingCall === undefined) {
    c.flowHash = flow.hash;
    c.state = moved;
    c.visit += 1;
    c.attempts = 0;
    c.waitingSince = ctx.now;
    c.timersFired = 0;
    ctx.notes.push('flow_changed:moved');
    return 'ok';
  }
  sayMessage(ctx, 'flow_changed');
  ctx.notes.push('flow_changed:restarted');
  startFlow(ctx, flow.id, c.vars);
  return 'restarted';
}
