/**
 * Variables of a flow: every use (in templates and conditions), every name saved, and which
 * variables are surely set when a state runs ("must be defined" dataflow over the state
 * graph, from `start`, where `vars:` keys count as set).
 */
import type { FlowIndex, Phase, StringSite } from './flow-index.js';
import { conditionAnalysis, templateAnalysis } from './analysis.js';
import { reachableStates } from './graph.js';

/** Names every template may use without saving them. */
export const BUILTIN_ROOTS: ReadonlySet<string> = new Set(['user', 'input', 'env', 'error']);

/** The fields of `user.*` (the person's work profile). */
export const PROFILE_FIELDS: readonly string[] = ['department', 'email', 'first_name', 'id', 'last_name', 'locale', 'name', 'title'];

export interface VariableUse {
  site: StringSite;
  /** `['ticket', 'id']` for `{{ticket.id}}`. */
  path: string[];
  /** Offsets of the reference in the string's value. */
  start: number;
  end: number;
}

const useCache = new WeakMap<FlowIndex, VariableUse[]>();
const flowCache = new WeakMap<FlowIndex, Map<string, { entry: Set<string>; exit: Set<string> }>>();

/** Every variable reference of the flow's templates and conditions (not `this` or `@index`). */
export function variableUses(ix: FlowIndex): VariableUse[] {
  let uses = useCache.get(ix);
  if (uses) return uses;
  uses = [];
  const add = (site: StringSite, refs: readonly { path: string[]; start: number; end: number }[]) => {
    for (const r of refs) {
      const root = r.path[0];
      if (root === undefined || root === 'this' || root.startsWith('@')) continue;
      uses!.push({ site, path: r.path, start: r.start, end: r.end });
    }
  };
  for (const site of ix.templates) add(site, templateAnalysis(site).refs);
  for (const site of ix.conditions) add(site, conditionAnalysis(site).refs);
  useCache.set(ix, uses);
  return uses;
}

/** Every variable name saved somewhere in the flow (`vars:`, `set`, `ask.save`, `call.save`). */
export function savedNames(ix: FlowIndex): Set<string> {
  return new Set(ix.saves.map((s) => s.name));
}

/**
 * For each state reachable from `start`: the variables surely set when it is entered (its own
 * `set` included) and when it is left by `next` (its `ask.save` / `call.save` included).
 * Intersection over every way in; `vars:` keys are set at the start.
 */
export function definedVariables(ix: FlowIndex): Map<string, { entry: Set<string>; exit: Set<string> }> {
  let result = flowCache.get(ix);
  if (result) return result;
  result = new Map();
  const reach = reachableStates(ix);
  const into = new Map<string, Set<string>>();
  if (ix.start !== undefined && reach.has(ix.start)) {
    into.set(ix.start, new Set(ix.saves.filter((s) => s.state === undefined).map((s) => s.name)));
  }
  const queue = ix.start !== undefined && reach.has(ix.start) ? [ix.start] : [];
  const queued = new Set(queue);
  while (queue.length > 0) {
    const state = queue.shift()!;
    queued.delete(state);
    const entry = new Set(into.get(state));
    for (const name of ix.entrySaves.get(state) ?? []) entry.add(name);
    for (const t of ix.targetsByState.get(state) ?? []) {
      if (!ix.stateSet.has(t.target)) continue;
      const out = t.saves.length > 0 ? new Set([...entry, ...t.saves]) : entry;
      const before = into.get(t.target);
      let changed: boolean;
      if (!before) {
        into.set(t.target, new Set(out));
        changed = true;
      } else {
        changed = false;
        for (const name of before) {
          if (!out.has(name)) {
            before.delete(name);
            changed = true;
          }
        }
      }
      if (changed && !queued.has(t.target)) {
        queued.add(t.target);
        queue.push(t.target);
      }
    }
  }
  for (const state of reach) {
    const entry = new Set(into.get(state));
    for (const name of ix.entrySaves.get(state) ?? []) entry.add(name);
    const exit = new Set(entry);
    for (const t of ix.targetsByState.get(state) ?? []) if (t.kind === 'next') for (const name of t.saves) exit.add(name);
    result.set(state, { entry, exit });
  }
  flowCache.set(ix, result);
  return result;
}

/** The variables surely set where a site is rendered or evaluated, or undefined for an unreachable state. */
export function definedAt(ix: FlowIndex, state: string | undefined, phase: Phase): Set<string> | undefined {
  if (state === undefined) return undefined;
  const d = definedVariables(ix).get(state);
  return d === undefined ? undefined : phase === 'entry' ? d.entry : d.exit;
}
