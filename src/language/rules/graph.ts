/**
 * The state graph of one flow, as the rules see it: which states can be reached from the
 * start, and which come after a failed `call` (where `{{error}}` is set). Results are cached
 * per flow index.
 */
import type { FlowIndex } from './flow-index.js';
import { closest } from './suggest.js';

const reachCache = new WeakMap<FlowIndex, Set<string>>();
const errorCache = new WeakMap<FlowIndex, Set<string>>();

const resolveCache = new WeakMap<FlowIndex, Map<string, string | undefined>>();

/**
 * The state a target leads to: itself when it is a state, else the state it is most likely a
 * typo of (the "Did you mean" of `unknown-state`), else undefined. Following the likely state
 * keeps one misspelt `goto` from also making every state after it "unreachable".
 */
export function targetState(ix: FlowIndex, target: string): string | undefined {
  if (ix.stateSet.has(target)) return target;
  let cache = resolveCache.get(ix);
  if (!cache) {
    cache = new Map();
    resolveCache.set(ix, cache);
  }
  if (!cache.has(target)) cache.set(target, closest(target, ix.states));
  return cache.get(target);
}

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
      const next = targetState(ix, t.target);
      if (next !== undefined && !seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return seen;
}

/** The start state, following a likely typo in `start:` like any other target. */
export function startState(ix: FlowIndex): string | undefined {
  return ix.start === undefined ? undefined : targetState(ix, ix.start);
}

/** States reachable from the start state (empty when the start state does not exist). */
export function reachableStates(ix: FlowIndex): Set<string> {
  let r = reachCache.get(ix);
  if (!r) {
    const start = startState(ix);
    r = reachableFrom(ix, start === undefined ? [] : [start]);
    reachCache.set(ix, r);
  }
  return r;
}

/** The states named by an `on_error`, and every state reachable from them: where `error` is set. */
export function errorStates(ix: FlowIndex): Set<string> {
  let r = errorCache.get(ix);
  if (!r) {
    r = reachableFrom(ix, ix.targets.filter((t) => t.kind === 'on_error').map((t) => targetState(ix, t.target) ?? t.target));
    errorCache.set(ix, r);
  }
  return r;
}
