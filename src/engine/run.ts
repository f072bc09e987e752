/**
 * Driving the compiled machines: start a flow (the machine's initial snapshot) or send an event
 * to the current state (a transition from a snapshot resolved from the stored state and
 * variables), both on an inert actor scope that only collects the actions,
 * then turn the marker actions into messages and the resulting state into the
 * conversation. `flow:` jumps chain machines; the number of jumps per step is bounded.
 * Entering a state other than `start` (a conversation carried over to a changed flow) uses a
 * copy of the machine whose initial state is that state.
 */
import { createActor, createMachine, type AnyActorScope, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import { PSEUDO, type EnterParams, type MachineContext, type MachineEvent, type RemindParams } from '../compile/machine.js';
import type { CompiledFlow } from '../compile/types.js';
import { callKey, issueCall } from './calls.js';
import { endConversation, sayMessage, textOf, type StepCtx } from './context.js';
import { pushWithChoices, renderEntry } from './render.js';

/** `flow:` jumps allowed in one step (a cycle of flows that never wait ends with `error`). */
export const MAX_JUMPS = 20;

type Action = { type: string; params?: unknown };

/**
 * What xstate's `initialTransition()` and `transition()` do, without their cost: each call
 * of those builds a throw-away actor, and that actor computes the machine's initial state
 * first (a third of a step in `npm run bench:engine`). Flows never spawn or invoke actors,
 * so one inert scope per machine, built once, serves every step; only its action collector
 * changes per call (a step is synchronous). Actions are collected, never executed, as with
 * `transition()`.
 */
const scopes = new WeakMap<AnyStateMachine, AnyActorScope>();

function inertScope(flow: CompiledFlow, actions: Action[], machine: AnyStateMachine = flow.machine): AnyActorScope {
  let scope = scopes.get(machine);
  if (!scope) {
    // A restored snapshot: the actor does not compute the initial state.
    const snapshot = machine.resolveState({ value: flow.start, context: { vars: {}, user: {}, language: '' } });
    const self = createActor(machine, { snapshot });
    scope = { self, id: '', sessionId: '', system: self.system, logger: () => {}, defer: () => {}, emit: () => {}, stopChild: () => {}, actionExecutor: () => {} };
    scopes.set(machine, scope);
  }
  scope.actionExecutor = (action) => {
    actions.push(action);
  };
  return scope;
}

function machineContext(ctx: StepCtx, vars: Record<string, unknown>): MachineContext {
  return { vars, user: ctx.user, input: ctx.conv.input, language: ctx.language };
}

function fail(ctx: StepCtx, note: string): void {
  sayMessage(ctx, 'error');
  endConversation(ctx, note);
}

/** `vars` with the flow's `vars:` defaults filling the unset ones. */
function withDefaults(flow: CompiledFlow, vars: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...vars };
  for (const [k, v] of Object.entries(flow.flow.vars ?? {})) if (merged[k] === undefined) merged[k] = v;
  return merged;
}

/** Starts flow `flowId` at its start, keeping `vars` (its `vars:` defaults fill unset ones). */
export function startFlow(ctx: StepCtx, flowId: string, vars: Record<string, unknown>, jumps = 0): void {
  const flow = ctx.bot.flows.get(flowId);
  if (!flow) return fail(ctx, `unknown_flow:${flowId}`);
  const merged = withDefaults(flow, vars);
  const c = ctx.conv;
  c.status = 'active';
  c.flowId = flow.id;
  c.flowHash = flow.hash;
  c.vars = merged;
  c.attempts = 0;
  delete c.pendingCall;
  ctx.notes.push(`flow_started:${flow.id}`);
  const actions: Action[] = [];
  let snapshot: AnyMachineSnapshot;
  try {
    snapshot = flow.machine.getInitialSnapshot(inertScope(flow, actions), machineContext(ctx, merged));
  } catch {
    return fail(ctx, 'machine_loop');
  }
  settle(ctx, flow, snapshot, actions, jumps);
}

/** Copies of a flow's machine that start at another state (built on first use, rarely). */
const entryMachines = new WeakMap<AnyStateMachine, Map<string, AnyStateMachine>>();

function machineEnteringAt(flow: CompiledFlow, state: string): AnyStateMachine {
  if (state === flow.start) return flow.machine;
  let byState = entryMachines.get(flow.machine);
  if (!byState) {
    byState = new Map();
    entryMachines.set(flow.machine, byState);
  }
  let machine = byState.get(state);
  if (!machine) {
    machine = createMachine({ ...flow.machine.config, initial: state } as never, flow.machine.implementations as never) as unknown as AnyStateMachine;
    byState.set(state, machine);
  }
  return machine;
}

/**
 * Enters `state` of flow `flowId` as if arriving there: its `set`, its messages, its `call`,
 * and its `next` when it moves on by itself. Keeps the variables (the flow's `vars:` defaults
 * fill the unset ones); the pending call and the events deferred for it are dropped.
 */
export function enterState(ctx: StepCtx, flowId: string, state: string): void {
  const flow = ctx.bot.flows.get(flowId);
  if (!flow || !flow.states.has(state)) return fail(ctx, `unknown_state:${flowId}:${state}`);
  const c = ctx.conv;
  c.status = 'active';
  c.flowId = flow.id;
  c.flowHash = flow.hash;
  c.attempts = 0;
  // A variable the edit declared in `vars:` gets its default, as at the flow's start.
  c.vars = withDefaults(flow, c.vars);
  delete c.pendingCall;
  delete c.deferred;
  const actions: Action[] = [];
  let snapshot: AnyMachineSnapshot;
  try {
    const machine = machineEnteringAt(flow, state);
    snapshot = machine.getInitialSnapshot(inertScope(flow, actions, machine), machineContext(ctx, c.vars));
  } catch {
    return fail(ctx, 'machine_loop');
  }
  settle(ctx, flow, snapshot, actions, 0);
}

/**
 * Sends `event` to the current state of `flow`. Returns false when the state has no
 * transition for it (nothing changed).
 */
export function sendEvent(ctx: StepCtx, flow: CompiledFlow, event: MachineEvent): boolean {
  const c = ctx.conv;
  const actions: Action[] = [];
  let next: AnyMachineSnapshot;
  try {
    const snapshot = flow.machine.resolveState({ value: c.state!, context: machineContext(ctx, c.vars) });
    next = flow.machine.transition(snapshot, event, inertScope(flow, actions));
    if (next === snapshot && actions.length === 0) return false;
  } catch {
    fail(ctx, 'machine_loop');
    return true;
  }
  settle(ctx, flow, next, actions, 0);
  return true;
}

function settle(ctx: StepCtx, flow: CompiledFlow, snapshot: AnyMachineSnapshot, actions: Action[], jumps: number): void {
  const c = ctx.conv;
  // A machine at rest in a state that moves on by itself is a loop xstate gave up on: it
  // stops taking eventless transitions when one changes nothing (a state whose `next` is
  // itself and whose entry leaves the variables as they were), where other cycles hit
  // `maxIterations`. Either way the state never waits: same ending as the thrown loop.
  // And a loop that ran into `maxIterations` on the way in (a flow's start, or a state entered
  // after an edit): `getInitialSnapshot` does not throw then, it returns an `error` snapshot.
  if (snapshot.status === 'error' || (snapshot.status === 'active' && flow.states.get(String(snapshot.value))?.waits === false)) return fail(ctx, 'machine_loop');
  for (const a of actions) {
    if (a.type === 'enter') {
      const p = a.params as EnterParams;
      const state = flow.states.get(p.state);
      if (!state) continue;
      c.visit += 1;
      c.attempts = 0;
      c.waitingSince = ctx.now;
      c.timersFired = 0;
      c.state = p.state;
      ctx.notes.push(`enter:${flow.id}:${p.state}`);
      renderEntry(ctx, state, p.vars);
    } else if (a.type === 'remind') {
      const p = a.params as RemindParams;
      const state = flow.states.get(p.state);
      const timer = state?.timers.find((t) => t.index === p.timer);
      if (!state || !timer) continue;
      ctx.notes.push(`timer:${p.state}:${p.timer}`);
      // the choices go with the reminder only when the person stays in this state
      const stays = timer.goto === undefined;
      pushWithChoices(ctx, timer.say.map((t) => textOf(ctx, t, p.vars)), stays ? state : undefined, p.vars);
    }
  }
  const value = String(snapshot.value);
  const vars = (snapshot.context as MachineContext).vars;
  c.vars = vars;
  if (value.startsWith(PSEUDO.jumpPrefix)) {
    const target = value.slice(PSEUDO.jumpPrefix.length);
    if (jumps >= MAX_JUMPS) return fail(ctx, 'too_many_jumps');
    ctx.notes.push(`flow_jump:${flow.id}->${target}`);
    return startFlow(ctx, target, vars, jumps + 1);
  }
  switch (value) {
    case PSEUDO.gaveUp:
      sayMessage(ctx, 'gave_up');
      return endConversation(ctx, 'gave_up');
    case PSEUDO.error:
      sayMessage(ctx, 'error');
      return endConversation(ctx, 'call_failed_no_on_error');
    case PSEUDO.stuck:
      return fail(ctx, 'no_branch_matched');
    case PSEUDO.done:
      return endConversation(ctx, 'ended');
  }
  if (snapshot.status === 'done') return endConversation(ctx, 'ended');
  c.status = 'active';
  c.flowId = flow.id;
  c.flowHash = flow.hash;
  c.state = value;
  const state = flow.states.get(value);
  if (state?.call) issueCall(ctx, state, callKey(c.userId, flow.id, value, c.visit, ctx.eventId));
}
