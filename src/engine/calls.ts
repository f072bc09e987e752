/**
 * `call` states -> `CallRequest`s for the HTTP port. The request is rendered from the
 * state's templates with the conversation's variables. Its id doubles as the
 * `Idempotency-Key`: a sha256 of the person, flow, state, visit and the inbound event that
 * entered the state, so a redelivered event yields the same key and a service that honours
 * the header does not create a second ticket.
 */
import { createHash } from 'node:crypto';
import { renderValue } from '../compile/texts.js';
import type { CompiledState } from '../compile/types.js';
import { scopeOf, type StepCtx } from './context.js';
import type { CallRequest } from './types.js';

/** The idempotency key (and call id) for entering a `call` state. */
export function callKey(userId: string, flowId: string, state: string, visit: number, eventId: string): string {
  return createHash('sha256').update(`${userId}\n${flowId}\n${state}\n${visit}\n${eventId}`).digest('hex').slice(0, 40);
}

/** Renders the call of `state` with the conversation's variables; `id` is its idempotency key. */
export function buildCall(ctx: StepCtx, state: CompiledState, id: string): CallRequest {
  const call = state.call!;
  const scope = scopeOf(ctx, ctx.conv.vars);
  const headers: Record<string, string> = {};
  for (const [k, r] of call.headers) headers[k] = r(scope);
  const req: CallRequest = { id, method: call.method, url: call.url(scope), headers, timeoutMs: call.timeoutMs, idempotencyKey: id };
  if (call.query.length > 0) {
    req.query = {};
    for (const [k, r] of call.query) req.query[k] = r(scope);
  }
  if (call.json !== undefined) req.json = renderValue(call.json, scope);
  if (call.form !== undefined) {
    req.form = {};
    for (const [k, r] of call.form) req.form[k] = r(scope);
  }
  return req;
}

/** Asks for the call of the current state (once per step per id) and marks it pending. */
export function issueCall(ctx: StepCtx, state: CompiledState, id: string): void {
  ctx.conv.pendingCall = id;
  if (!ctx.calls.some((c) => c.id === id)) ctx.calls.push(buildCall(ctx, state, id));
}
