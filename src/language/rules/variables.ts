/**
 * Variables of a flow: every use (in templates and conditions), every name saved, and which
 * variables are surely set when a state runs ("must be defined" dataflow over the state
 * graph, from `start`, where `vars:` keys count as set).
 */
import type { FlowIndex, Phase, StringSite } from './flow-index.js';
import { conditionAnalysis, templateAnalysis } from './analysis.js';
import { startState, targetState } from './graph.js';
import { RESERVED_NAMES } from '../../template/values.js';

/** Names every template may use without saving them (the template layer's reserved names). */
export const BUILTIN_ROOTS: ReadonlySet<string> = RESERVED_NAMES;

/** The fields of `user.*` (the person's work profile). */
export const PROFILE_FIELDS: readonly string[] = ['department', 'email', 'first_name', 'id', 'last_name', 'locale', 'name', 'title'];

export interface VariableUse {
  site: StringSite;
  /** `['ticket', 'id']` for `{{ticket.id}}`. */
  path: string[];
  /** Offsets of the reference in the string's value. */
  start: number;
  end: number;
  /** In a condition (`if:`), where names are written bare; else in a template, inside `{{ }}`. */
  inCondition: boolean;
}

const useCache = new WeakMap<FlowIndex, VariableUse[]>();

/** Every variable reference of the flow's templates and conditions (not `this` or `@index`). */
export function variableUses(ix: FlowIndex): VariableUse[] {
  let uses = useCache.get(ix);
  if (uses) return uses;
  uses = [];
  const add = (site: StringSite, refs: readonly { path: string[]; start: number; end: number }[], inCondition: boolean) => {
    for (const r of refs) {
      const root = r.path[0];
      if (root === undefined || root === 'this' || root.startsWith('@')) continue;
      uses!.push({ site, path: r.path, start: r.start, end: r.end, inCondition });
    }
  };
  for (const site of ix.templates) add(site, templateAnalysis(site).refs, false);
  for (const site of ix.conditions) add(site, conditionAnalysis(site).refs, true);
  useCache.set(ix, uses);
  return uses;
}

/** Every variable name saved somewhere in the flow (`vars:`, `set`, `ask.save`, `call.save`). */
export function savedNames(ix: FlowIndex): Set<string> {
  return new Set(ix.saves.map((s) => s.name));
}

/** Which variables are surely set in each reachable state, as bit sets over `names`. */
interface Defined {
  bit: Map<string, number>;
  entry: Map<string, Uint32Array>;
  exit: Map<string, Uint32Array>;
}

const flowCache = new WeakMap<FlowIndex, Defined>();

function bitsOf(names: readonly string[], bit: Map<string, number>, words: number): Uint32Array {
  const b = new Uint32Array(words);
  for (const n of names) {
    const i = bit.get(n);
    if (i !== undefined) b[i >>> 5] |= 1 << (i & 31);
  }
  return b;
}

/**
 * For each state reachable from `start`: the variables surely set when it is entered (its own
 * `set` included) and when it is left by `next` (its `ask.save` / `call.save` included).
 * Intersection over every way in; `vars:` keys are set at the start. Bit sets keep this
 * linear in the size of the flow even with hundreds of variables.
 */
function definedVariables(ix: FlowIndex): Defined {
  let result = flowCache.get(ix);
  if (result) return result;
  const bit = new Map<string, number>();
  for (const s of ix.saves) if (!bit.has(s.name)) bit.set(s.name, bit.size);
  const words = Math.max(1, Math.ceil(bit.size / 32));
  const into = new Map<string, Uint32Array>();
  const entryOf = new Map<string, Uint32Array>();
  const start = startState(ix);
  const queue: string[] = [];
  const queued = new Set<string>();
  if (start !== undefined) {
    into.set(start, bitsOf(ix.saves.filter((s) => s.state === undefined).map((s) => s.name), bit, words));
    queue.push(start);
    queued.add(start);
  }
  // What a way out sets: the state's entry plus the way's own saves. Built in `out`, reused
  // across targets, and copied only when it becomes a target's first "into" set.
  const out = new Uint32Array(words);
  for (let q = 0; q < queue.length; q++) {
    const state = queue[q]!;
    queued.delete(state);
    const entry = bitsOf(ix.entrySaves.get(state) ?? [], bit, words);
    const inBits = into.get(state)!;
    for (let w = 0; w < words; w++) entry[w] |= inBits[w]!;
    entryOf.set(state, entry);
    for (const t of ix.targetsByState.get(state) ?? []) {
      const target = targetState(ix, t.target);
      if (target === undefined) continue;
      out.set(entry);
      for (const n of t.saves) {
        const i = bit.get(n);
        if (i !== undefined) out[i >>> 5] |= 1 << (i & 31);
      }
      const before = into.get(target);
      let changed = false;
      if (!before) {
        into.set(target, out.slice());
        changed = true;
      } else {
        for (let w = 0; w < words; w++) {
          const v = before[w]! & out[w]!;
          if (v !== before[w]) {
            before[w] = v;
            changed = true;
          }
        }
      }
      if (changed && !queued.has(target)) {
        queued.add(target);
        queue.push(target);
      }
    }
  }
  const exit = new Map<string, Uint32Array>();
  for (const [state, entry] of entryOf) {
    const next = (ix.targetsByState.get(state) ?? []).find((t) => t.kind === 'next');
    if (!next || next.saves.length === 0) {
      exit.set(state, entry);
      continue;
    }
    const b = bitsOf(next.saves, bit, words);
    for (let w = 0; w < words; w++) b[w] |= entry[w]!;
    exit.set(state, b);
  }
  result = { bit, entry: entryOf, exit };
  flowCache.set(ix, result);
  return result;
}

/**
 * Whether `name` is surely set where a site is rendered or evaluated (`phase`), or undefined
 * when the state is not reachable from the start (nothing to say then).
 */
export function isDefinedAt(ix: FlowIndex, state: string | undefined, phase: Phase, name: string): boolean | undefined {
  if (state === undefined) return undefined;
  const d = definedVariables(ix);
  const bits = (phase === 'entry' ? d.entry : d.exit).get(state);
  if (!bits) return undefined;
  const i = d.bit.get(name);
  return i !== undefined && (bits[i >>> 5]! & (1 << (i & 31))) !== 0;
}
