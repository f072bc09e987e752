/**
 * The transitions a flow can take, read from its states: choices (quick replies and
 * buttons), `next` (plain or conditional branches), `ask.on_fail`, `call.on_error` and `after`
 * timers. `flow test` reports the ones no test reached; `flow graph` draws them.
 */
import type { Flow, State, Text } from '../language/model.js';

export type TransitionKind = 'choice' | 'next' | 'branch' | 'on_fail' | 'on_error' | 'timer';

export interface Transition {
  /** Stable id within the flow, e.g. `welcome -> password` or `welcome -> flow:other`. */
  id: string;
  from: string;
  /** A state of the same flow, or undefined when the transition starts another flow. */
  to?: string;
  /** The other flow a `flow:` jump starts. */
  flow?: string;
  kind: TransitionKind;
  /** What a reader sees on the edge: the choice title, the condition, `after 10m`, `on_fail`... */
  label?: string;
}

/** The text of a title in the first language given (titles may be language maps). */
export function plainText(text: Text | undefined): string {
  if (text === undefined) return '';
  if (typeof text === 'string') return text;
  const first = Object.keys(text).sort()[0];
  return first === undefined ? '' : String(text[first]);
}

function target(goto: string | undefined, flow: string | undefined): { to?: string; flow?: string } | undefined {
  if (goto !== undefined) return { to: goto };
  if (flow !== undefined) return { flow };
  return undefined;
}

function statesTransitions(name: string, state: State): Transition[] {
  const out: Array<Omit<Transition, 'id'>> = [];
  for (const choice of [...(state.quick_replies ?? []), ...(state.buttons ?? [])]) {
    const t = target(choice.goto, choice.flow);
    if (t) out.push({ from: name, ...t, kind: 'choice', label: plainText(choice.title) });
  }
  if (typeof state.next === 'string') out.push({ from: name, to: state.next, kind: 'next' });
  else if (Array.isArray(state.next)) {
    for (const branch of state.next) {
      const t = target(branch.goto, branch.flow);
      if (t) out.push({ from: name, ...t, kind: 'branch', label: branch.if ?? 'otherwise' });
    }
  }
  if (state.ask?.on_fail !== undefined) out.push({ from: name, to: state.ask.on_fail, kind: 'on_fail', label: 'on_fail' });
  if (state.call?.on_error !== undefined) out.push({ from: name, to: state.call.on_error, kind: 'on_error', label: 'on_error' });
  for (const timer of state.after ?? []) {
    if (timer.goto !== undefined) out.push({ from: name, to: timer.goto, kind: 'timer', label: `after ${timer.after}` });
  }
  return out.map((t) => ({ ...t, id: `${t.from} -> ${t.to ?? `flow:${t.flow}`}` }));
}

/**
 * Every transition of a flow, in the order of its states, one per choice, branch or timer
 * (so two choices leading to the same state are two transitions with the same `id`; the
 * graph draws both, coverage counts the move once, see `uniqueMoves`).
 */
export function flowTransitions(flow: Flow): Transition[] {
  const out: Transition[] = [];
  for (const [name, state] of Object.entries(flow.states ?? {})) {
    if (state && typeof state === 'object') out.push(...statesTransitions(name, state));
  }
  return out;
}

/** The distinct moves between states (by `id`), labels of the same move joined with ` / `. */
export function uniqueMoves(transitions: readonly Transition[]): Transition[] {
  const byId = new Map<string, Transition>();
  for (const t of transitions) {
    const seen = byId.get(t.id);
    if (!seen) byId.set(t.id, { ...t });
    else if (t.label && !(seen.label ?? '').split(' / ').includes(t.label)) seen.label = seen.label ? `${seen.label} / ${t.label}` : t.label;
  }
  return [...byId.values()];
}

/** The start state: `start:` or the first state listed. */
export function startState(flow: Flow): string | undefined {
  return flow.start ?? Object.keys(flow.states ?? {})[0];
}
