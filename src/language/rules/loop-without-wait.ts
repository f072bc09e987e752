import type { Rule } from './rule.js';
import { isRecord, waitsForPerson } from './flow-index.js';

/**
 * The state a state moves on to by itself, whatever the variables say, or undefined: it does
 * not wait for the person (no quick_replies, buttons that lead somewhere, or ask), makes no
 * `call` (which waits for its answer), does not end or jump to a flow, and its `next` is a
 * state name, or branches that all go to one state up to the first one without `if`.
 */
function alwaysNext(state: Record<string, unknown>): { target: string; path: Array<string | number> } | undefined {
  if (waitsForPerson(state) || state.call !== undefined || state.end === true || state.flow !== undefined) return undefined;
  if (typeof state.next === 'string') return { target: state.next, path: ['next'] };
  if (!Array.isArray(state.next)) return undefined;
  // Branches: when every branch up to the first one without `if` goes to the same state,
  // the conditions change nothing.
  let target: string | undefined;
  for (const branch of state.next) {
    if (!isRecord(branch) || typeof branch.goto !== 'string' || (target !== undefined && branch.goto !== target)) return undefined;
    target = branch.goto;
    if (branch.if === undefined) return { target, path: ['next', 0, 'goto'] };
  }
  return undefined;
}

/** FS208: states that move on by themselves in a circle never stop (the conversation ends with the error message). */
export const loopWithoutWait: Rule = {
  id: 'loop-without-wait',
  description: 'States that move on by themselves (next, no question, no choices, no call) must not lead back to themselves without a way out.',
  check(ctx, report) {
    for (const { file, flow, index } of ctx.flows) {
      const states = flow.states as Record<string, unknown>;
      const next = new Map<string, { target: string; path: Array<string | number> }>();
      for (const name of index.states) {
        const state = states[name];
        const n = isRecord(state) ? alwaysNext(state) : undefined;
        if (n) next.set(name, n);
      }
      const reported = new Set<string>();
      // Each state has at most one such way out, so following it from a state either stops
      // or runs into a circle; report each circle once, at its first state in file order.
      for (const name of index.states) {
        if (reported.has(name)) continue;
        const seen: string[] = [];
        let at: string | undefined = name;
        while (at !== undefined && next.has(at) && !seen.includes(at)) {
          seen.push(at);
          at = next.get(at)!.target;
        }
        if (at === undefined || !seen.includes(at)) continue;
        const circle = seen.slice(seen.indexOf(at));
        if (circle.some((n) => reported.has(n))) continue;
        for (const n of circle) reported.add(n);
        const first = index.states.find((n) => circle.includes(n))!;
        const way = [...circle.slice(circle.indexOf(first)), ...circle.slice(0, circle.indexOf(first)), first].map((n) => `"${n}"`).join(' → ');
        report(file.source, file.source.spanOf(['states', first, ...next.get(first)!.path], 'value'),
          circle.length === 1
            ? `The state "${first}" moves on to itself and never waits for the person, so it would repeat forever (the conversation stops there with the error message). ` +
              'Make it wait (quick_replies, buttons or ask), end it (end: true), point its next at another state, or give its next an if: that leads out.'
            : `These states move on from one to the next and never wait for the person, so they would go round forever: ${way} (the conversation stops there with the error message). ` +
              'Make one of them wait (quick_replies, buttons or ask), end one (end: true), or give one of their next an if: that leads out.');
      }
    }
  },
};
