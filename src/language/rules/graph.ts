/**
 * The state graph of one flow, as the rules see it: which states can be reached from the
 * start, and which come after a failed `call` (where `{{error}}` is set). Results are cached
 * per flow index.
 */
import type { FlowIndex } from './flow-index.js';

const reachCache = new WeakMap<FlowIndex, Set<string>>();
const errorCache = new WeakMap<FlowIndex, Set<string>>();

/** States reachable from `from` by following targets inside the flow (`from` included when it exists). */
export function reachableFrom(ix: FlowIndex, from: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const stack: string[] = [];
  for (const s of from) {
    if (ix.stateSet.has(s) && !seen.has(s)) {
      seen.add(s);
      stack.push(s);
    }
  }
  while (stack.length > 0) {
    const s = stack.pop()!;
    for (const t of ix.targetsByState.get(s) ?? []) {
      if (ix.stateSet.has(t.target) && !seen.has(t.target)) {
        seen.add(t.target);
        stack.push(t.target);
      }
    }
  }
  return seen;
}

/** States reachable from the start state (empty when the start state does not exist). */
export function reachableStates(ix: FlowIndex): Set<string> {
  let r = reachCache.get(ix);
  if (!r) {
    r = reachableFrom(ix, ix.start === undefined ? [] : [ix.start]);
    reachCache.set(ix, r);
  }
  return r;
}

/** The states named by an `on_error`, and every state reachable from them: where `error` is set. */
export function errorStates(ix: FlowIndex): Set<string> {
  let r = errorCache.get(ix);
  if (!r) {
    r = reachableFrom(ix, ix.targets.filter((t) => t.kind === 'on_error').map((t) => t.target));
    errorCache.set(ix, r);
  }
  return r;
}
