/**
 * A flow as an xstate machine (pure and deterministic; nothing here runs effects).
 *
 * - States: one per flow state, plus final pseudo-states whose names cannot clash with a
 *   state name (state names start with a letter): `$jump:<flow>` (a `flow:` target),
 *   `$gave_up` (`ask` failed without `on_fail`), `$error` (`call` failed without
 *   `on_error`), `$stuck` (no `next` branch matched) and `$done` (nothing follows an answer).
 *   States with `end: true` are final too.
 * - Events: `CHOICE_<i>` (the i-th choice, quick replies then buttons), `ANSWER {value}`
 *   (a valid `ask` answer), `FAIL` (the last allowed invalid answer), `CALL_OK {value}`,
 *   `CALL_ERROR {error}`, `TIMER_<i>` (the i-th `after` entry as written).
 * - `next` becomes guarded transitions (`always` for states that move on by themselves);
 *   a guard sees the value being saved by the same transition.
 * - Actions are data only: `enter` and `remind` are markers whose params capture the
 *   variables at that microstep; the engine reads them from the actions a transition collects
 *   and renders the messages. `applySet`, `choiceSet`, `saveValue` and `saveError` are
 *   `assign`s, so guards of later microsteps see the updated variables.
 * - Every transition with a target re-enters it (`reenter: true`): a choice, `next` branch,
 *   `on_fail`, `on_error` or timer `goto` naming the state it starts from leaves the state
 *   and enters it again, so its entry (`set`, messages, attempts from zero, timers and a
 *   `call` of a new visit) happens again. (Without it xstate takes a transition to its own
 *   source as internal: no exit, no entry, nothing said.) For a target that is another
 *   state, `reenter` changes nothing: the source is exited and the target entered anyway.
 * - `maxIterations` stops a cycle of states that move on by themselves (it throws; the
 *   engine turns that into the `error` message), including a state whose `next` is itself.
 */
import { assign, setup, type AnyStateMachine } from 'xstate';
import { compileCondition } from '../expression/condition.js';
import type { Branch, Flow } from '../language/model.js';
import { renderScope, renderValue } from './texts.js';
import type { CompiledState, CompiledValue } from './types.js';

/** The machine's context: what guards and `set` templates see. */
export interface MachineContext {
  vars: Record<string, unknown>;
  user: Record<string, string>;
  input?: string;
  language: string;
}

export type MachineEvent =
  | { type: `CHOICE_${number}` }
  | { type: 'ANSWER'; value: unknown }
  | { type: 'FAIL' }
  | { type: 'CALL_OK'; value: unknown }
  | { type: 'CALL_ERROR'; error: { status: number; message: string } }
  | { type: `TIMER_${number}` };

/** Params of the `enter` marker action. */
export interface EnterParams {
  state: string;
  vars: Record<string, unknown>;
}
/** Params of the `remind` marker action (an `after` entry fired). */
export interface RemindParams extends EnterParams {
  timer: number;
}

/** Names of the pseudo-states. */
export const PSEUDO = { gaveUp: '$gave_up', error: '$error', stuck: '$stuck', done: '$done', jumpPrefix: '$jump:' } as const;
/** Microsteps allowed per event before the machine is considered looping. */
export const MAX_MICROSTEPS = 200;

// Action and guard names, in one place: xstate silently ignores an unknown action name.
const A = { enter: 'enter', remind: 'remind', applySet: 'applySet', choiceSet: 'choiceSet', saveValue: 'saveValue', saveError: 'saveError' } as const;
const G = { when: 'when' } as const;

type Ev = { type: string; value?: unknown; error?: { status: number; message: string } };

function setValues(entries: Array<[string, CompiledValue]>, context: MachineContext, env: Record<string, string>): Record<string, unknown> {
  const vars = { ...context.vars };
  const scope = renderScope(context.vars, context.user, context.input, env, context.language);
  for (const [k, v] of entries) vars[k] = renderValue(v, scope);
  return vars;
}

/**
 * Builds the machine of flow `flowId`. `start` is one of `states` (the compiled states:
 * their `set` values and choices), `env` the allowed environment for templates and conditions.
 */
export function buildMachine(flowId: string, flow: Flow, start: string, states: ReadonlyMap<string, CompiledState>, env: Record<string, string>): AnyStateMachine {
  const conditions = new Map<string, (scope: Record<string, unknown>) => boolean>();
  const pseudo = new Set<string>([PSEUDO.gaveUp, PSEUDO.error, PSEUDO.stuck, PSEUDO.done]);

  const target = (b: { goto?: string; flow?: string }): string => {
    if (b.flow !== undefined) {
      pseudo.add(PSEUDO.jumpPrefix + b.flow);
      return PSEUDO.jumpPrefix + b.flow;
    }
    return b.goto !== undefined && states.has(b.goto) ? b.goto : PSEUDO.stuck;
  };

  /** A transition to `to` that re-enters it when it is the state the transition starts from. */
  const go = (to: string, actions: unknown[] = []) => ({ target: to, reenter: true, actions });

  const branches = (state: string, next: string | Branch[] | undefined, save: string | undefined, actions: unknown[]) => {
    if (next === undefined) return [go(PSEUDO.done, actions)];
    if (typeof next === 'string') return [go(target({ goto: next }), actions)];
    const out: unknown[] = [];
    next.forEach((b, i) => {
      if (b.if === undefined) {
        out.push(go(target(b), actions));
        return;
      }
      const key = `${state}:${i}`;
      let cond: (scope: Record<string, unknown>) => boolean;
      try {
        cond = compileCondition(b.if);
      } catch {
        cond = () => false; // validation reports bad conditions; here they never match
      }
      conditions.set(key, cond);
      out.push({ guard: { type: G.when, params: { key, save } }, ...go(target(b), actions) });
    });
    out.push(go(PSEUDO.stuck, actions));
    return out;
  };

  const config: Record<string, unknown> = {};
  for (const [name, s] of states) {
    const raw = flow.states[name]!;
    const entry: unknown[] = [];
    if (s.set) entry.push({ type: A.applySet, params: { state: name } });
    entry.push({ type: A.enter, params: ({ context }: { context: MachineContext }) => ({ state: name, vars: context.vars }) });
    const node: Record<string, unknown> = { entry };
    if (s.end || (!s.waits && raw.next === undefined)) {
      node.type = 'final';
    } else if (!s.waits) {
      node.always = branches(name, raw.next, undefined, []);
    } else {
      const on: Record<string, unknown> = {};
      for (const c of s.choices) {
        if (c.payload === undefined) continue;
        on[`CHOICE_${c.index}`] = go(target(c), c.set ? [{ type: A.choiceSet, params: { state: name, choice: c.index } }] : []);
      }
      if (s.ask) {
        const save = [{ type: A.saveValue, params: { name: s.ask.save } }];
        on.ANSWER = branches(name, raw.next, s.ask.save, save);
        on.FAIL = go(s.ask.onFail !== undefined && states.has(s.ask.onFail) ? s.ask.onFail : PSEUDO.gaveUp);
      }
      if (s.call) {
        const save = s.call.save !== undefined ? [{ type: A.saveValue, params: { name: s.call.save } }] : [];
        on.CALL_OK = branches(name, raw.next, s.call.save, save);
        on.CALL_ERROR = go(s.call.onError !== undefined && states.has(s.call.onError) ? s.call.onError : PSEUDO.error, [{ type: A.saveError }]);
      }
      for (const t of s.timers) {
        const remind = { type: A.remind, params: ({ context }: { context: MachineContext }) => ({ state: name, timer: t.index, vars: context.vars }) };
        // a reminder without `goto` stays: targetless, the state is not entered again
        on[`TIMER_${t.index}`] = t.goto !== undefined && states.has(t.goto) ? go(t.goto, [remind]) : { actions: [remind] };
      }
      node.on = on;
    }
    config[name] = node;
  }
  for (const p of pseudo) config[p] = { type: 'final' };

  const scopeOf = (context: MachineContext, event: Ev, save: string | undefined): Record<string, unknown> => {
    const vars = save !== undefined && 'value' in event ? { ...context.vars, [save]: event.value } : context.vars;
    return { ...vars, user: context.user, input: context.input ?? '', env, error: vars.error };
  };

  return setup({
    types: {} as { context: MachineContext; events: MachineEvent; input: MachineContext },
    actions: {
      [A.enter]: (_: unknown, _params: EnterParams) => undefined,
      [A.remind]: (_: unknown, _params: RemindParams) => undefined,
      [A.applySet]: assign(({ context }, params: { state: string }) => ({ vars: setValues(states.get(params.state)!.set!, context, env) })),
      [A.choiceSet]: assign(({ context }, params: { state: string; choice: number }) => {
        const choice = states.get(params.state)!.choices[params.choice]!;
        return { vars: setValues(choice.set ?? [], context, env) };
      }),
      [A.saveValue]: assign(({ context, event }, params: { name: string }) => ({ vars: { ...context.vars, [params.name]: (event as Ev).value } })),
      [A.saveError]: assign(({ context, event }) => ({ vars: { ...context.vars, error: (event as Ev).error } })),
    },
    guards: {
      [G.when]: ({ context, event }, params: { key: string; save?: string }) => {
        try {
          return conditions.get(params.key)?.(scopeOf(context, event as Ev, params.save)) === true;
        } catch {
          return false;
        }
      },
    },
  }).createMachine({
    id: flowId,
    context: ({ input }: { input: MachineContext }) => input,
    initial: start,
    options: { maxIterations: MAX_MICROSTEPS },
    states: config as never,
  } as never) as unknown as AnyStateMachine;
}
