/**
 * Which states and transitions of each flow the tests reached. The session reports every
 * state it enters, in order; a move between two consecutive states of the same step is a
 * transition taken. What is left over is what `flow test` lists as "not reached".
 */
import type { Flow } from '../language/model.js';
import { flowTransitions, uniqueMoves, type Transition } from './transitions.js';

/** A state the conversation entered. */
export interface Entered {
  flow: string;
  state: string;
}

/** Accumulates what the tests reached, over any number of tests and files. */
export class Coverage {
  private readonly states = new Map<string, Set<string>>();
  private readonly moves = new Map<string, Set<string>>();

  /**
   * Records one step: `before` is where the conversation was when the event arrived
   * (undefined when none was in progress), `entered` the states entered while handling it.
   */
  record(before: Entered | undefined, entered: readonly Entered[]): void {
    let prev = before;
    for (const e of entered) {
      this.set(this.states, e.flow).add(e.state);
      if (prev) {
        if (prev.flow === e.flow) this.set(this.moves, e.flow).add(`${prev.state} -> ${e.state}`);
        else this.set(this.moves, prev.flow).add(`${prev.state} -> flow:${e.flow}`);
      }
      prev = e;
    }
  }

  /** States of `flow` no test entered, in the order written. */
  statesNotReached(flowId: string, flow: Flow): string[] {
    const seen = this.states.get(flowId) ?? new Set<string>();
    return Object.keys(flow.states ?? {}).filter((s) => !seen.has(s));
  }

  /** Transitions of `flow` no test took (one per distinct move), in the order written. */
  transitionsNotReached(flowId: string, flow: Flow): Transition[] {
    const seen = this.moves.get(flowId) ?? new Set<string>();
    return uniqueMoves(flowTransitions(flow)).filter((t) => !seen.has(t.id));
  }

  /** True when some test entered a state of this flow. */
  touched(flowId: string): boolean {
    return (this.states.get(flowId)?.size ?? 0) > 0;
  }

  private set(map: Map<string, Set<string>>, key: string): Set<string> {
    let s = map.get(key);
    if (!s) map.set(key, (s = new Set()));
    return s;
  }
}

/** A transition as the report shows it: `welcome -> password ("Password reset")`. */
export function describeTransition(t: Transition): string {
  const to = t.to ?? `flow ${t.flow}`;
  return t.label ? `${t.from} -> ${to} (${t.label})` : `${t.from} -> ${to}`;
}
