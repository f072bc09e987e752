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
 * - its flow's content hash differs from the loaded flow's (the flow was edited), with the
 *   conversation in state S, waiting either for the person or for the result of S's `call`:
 *   1. S still exists and still waits the same way (for the person: choices or `ask`, no
 *      `call`; for a call: it still has a `call`) -> continue in S (`flow_changed:continued`);
 *      the person's message is handled by the new version of S;
 *   2. `moved:` names S -> its target T: when T waits for the person and no call is
 *      pending, continue in T without entering it (`flow_changed:moved`), the message being
 *      handled by T; otherwise say `flow_changed` and enter T (`flow_changed:moved_entered`),
 *      so that T makes its own call rather than take the answer to the old state's;
 *   3. S still exists but no longer waits the same way (it became a `say` + `next`, an `end`,
 *      a `call`, or lost its `call`) -> say `flow_changed` and enter S in the new version, as
 *      if arriving there: its `set`, messages, `call` and `next` (`flow_changed:entered`);
 *   4. otherwise (S is gone) say `flow_changed` and restart the flow at `start`
 *      (`flow_changed:restarted`).
 *   Variables are kept in every case. After entering (2, 3) or restarting (4) the person's
 *   message is not handled further (it was meant for a step they no longer see), except the
 *   `help` command; the pending call and the messages deferred for it are dropped. A flow no
 *   longer loaded: say `flow_changed` and end (`flow_changed:removed`).
 */
import { endConversation, sayMessage, type StepCtx } from './context.js';
import type { CompiledFlow, CompiledState } from '../compile/types.js';
import { enterState, startFlow } from './run.js';
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

/** Where the flow's `moved:` sends conversations that were in `state`, if it names it. */
export function movedTo(flow: CompiledFlow, state: string | undefined): string | undefined {
  return state !== undefined && Object.hasOwn(flow.moved, state) ? flow.moved[state] : undefined;
}

/**
 * Carries an active conversation over to the loaded version of its flow (see the module
 * comment). Returns `ok` when the person's message is to be handled as usual, `entered` when
 * a state was entered afresh and `restarted` when the flow was restarted (the message is then
 * not handled further, except `help`).
 */
export function reconcileFlow(ctx: StepCtx): 'ok' | 'entered' | 'restarted' {
  const c = ctx.conv;
  if (c.status !== 'active') return 'ok';
  const flow = c.flowId !== undefined ? ctx.bot.flows.get(c.flowId) : undefined;
  if (!flow) {
    sayMessage(ctx, 'flow_changed');
    endConversation(ctx, 'flow_changed:removed');
    return 'ok';
  }
  if (c.flowHash === flow.hash) return 'ok';
  const pending = c.pendingCall !== undefined;
  /** Waits as the conversation does: for the person, or for the result of its `call`. */
  const waitsAlike = (s: CompiledState) => s.waits && (s.call !== undefined) === pending;
  const state = c.state !== undefined ? flow.states.get(c.state) : undefined;
  if (state && waitsAlike(state)) {
    c.flowHash = flow.hash;
    ctx.notes.push('flow_changed:continued');
    return 'ok';
  }
  const movedName = movedTo(flow, c.state);
  const moved = movedName !== undefined ? flow.states.get(movedName) : undefined;
  // Not with a call pending: its answer belongs to the old state's request, so T is entered
  // afresh below (a new call of its own) rather than handed an answer it did not ask for.
  if (moved && !pending && waitsAlike(moved)) {
    c.flowHash = flow.hash;
    c.state = moved.name;
    c.visit += 1;
    c.attempts = 0;
    c.waitingSince = ctx.now;
    c.timersFired = 0;
    ctx.notes.push('flow_changed:moved');
    return 'ok';
  }
  sayMessage(ctx, 'flow_changed');
  const enter = moved ?? state;
  if (enter) {
    ctx.notes.push(moved ? 'flow_changed:moved_entered' : 'flow_changed:entered');
    enterState(ctx, flow.id, enter.name);
    return 'entered';
  }
  ctx.notes.push('flow_changed:restarted');
  // the pending call and what was deferred for it belong to a state that is gone
  delete c.deferred;
  startFlow(ctx, flow.id, c.vars);
  return 'restarted';
}
