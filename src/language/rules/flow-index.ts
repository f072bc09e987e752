/**
 * One walk over a flow that collects the facts the rules need: its states, every target it
 * names (with the variables saved on the way), every text a person reads, every template and
 * condition string, every saved variable, every duration. Each fact carries the path of its
 * value in the file, so a rule can point at it with `SourceFile.spanOf` / `stringSpan`.
 * Built once per flow (see `RuleContext.flows`); defensive about shapes, so that it also
 * works on data the schema has not vetted.
 */
import type { Path } from '../../source/source-file.js';
import type { Flow } from '../model.js';

/** Where a target sits: a choice (`goto` of a quick reply or button), `next`, or a handler. */
export type TargetKind = 'choice' | 'next' | 'on_fail' | 'on_error' | 'timer';

export interface TargetSite {
  state: string;
  path: Path;
  target: string;
  kind: TargetKind;
  /** Variables saved when the conversation takes this way out of the state (choice `set`, `ask.save`, `call.save`). */
  saves: string[];
}

export interface FlowTargetSite {
  state: string;
  path: Path;
  flow: string;
}

export interface ChoiceSite {
  state: string;
  path: Path;
  list: 'quick_replies' | 'buttons';
  index: number;
  choice: Record<string, unknown>;
}

/** What a text is, which decides its length limit. */
export type TextKind = 'say' | 'button-say' | 'title' | 'retry' | 'timer-say' | 'meta';

export interface TextSite {
  state?: string;
  path: Path;
  /** A string, or a map from language to string. */
  text: unknown;
  kind: TextKind;
}

/**
 * When a template is rendered: `entry` when its state is entered or left by a tap (sees the
 * variables set so far and the state's own `set`), `exit` after `ask`/`call` succeeded.
 */
export type Phase = 'entry' | 'exit';

export interface StringSite {
  state?: string;
  path: Path;
  source: string;
  phase: Phase;
}

export interface SaveSite {
  name: string;
  path: Path;
  state?: string;
}

export interface DurationSite {
  state: string;
  path: Path;
  text: unknown;
  kind: 'after' | 'timeout';
}

export interface FlowIndex {
  /** State names in the order written. */
  states: string[];
  stateSet: ReadonlySet<string>;
  /** The start state's name (`start:`, else the first state), and whether `start:` was written. */
  start: string | undefined;
  startWritten: boolean;
  targets: TargetSite[];
  /** Targets by state, in the order written. */
  targetsByState: Map<string, TargetSite[]>;
  flowTargets: FlowTargetSite[];
  choices: ChoiceSite[];
  texts: TextSite[];
  templates: StringSite[];
  conditions: StringSite[];
  /** Every place a variable is saved; `vars:` keys have no state. */
  saves: SaveSite[];
  /** Variables saved on entry to each state (its `set` keys). */
  entrySaves: Map<string, string[]>;
  durations: DurationSite[];
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const keysOf = (v: unknown): string[] => (isRec(v) ? Object.keys(v) : []);

/** Collects the facts of one flow. Pure; never throws on odd shapes. */
export function indexFlow(flow: Flow): FlowIndex {
  const statesRec: Rec = isRec(flow.states) ? flow.states : {};
  const states = Object.keys(statesRec);
  const ix: FlowIndex = {
    states,
    stateSet: new Set(states),
    start: typeof flow.start === 'string' ? flow.start : states[0],
    startWritten: typeof flow.start === 'string',
    targets: [],
    targetsByState: new Map(),
    flowTargets: [],
    choices: [],
    texts: [],
    templates: [],
    conditions: [],
    saves: [],
    entrySaves: new Map(),
    durations: [],
  };
  if (flow.title !== undefined) ix.texts.push({ path: ['title'], text: flow.title, kind: 'meta' });
  if (flow.description !== undefined) ix.texts.push({ path: ['description'], text: flow.description, kind: 'meta' });
  for (const name of keysOf(flow.vars)) ix.saves.push({ name, path: ['vars', name] });
  for (const name of states) indexState(ix, name, statesRec[name]);
  return ix;
}

/** Where `indexState` is: the index being built and the state being read. */
interface At {
  ix: FlowIndex;
  name: string;
  targets: TargetSite[];
}

// Module-level helpers (not closures made anew for every state): indexing runs on every state
// of every flow at each validation.
function addTarget(at: At, path: Path, target: unknown, kind: TargetKind, saves: string[]): void {
  if (typeof target !== 'string') return;
  const t: TargetSite = { state: at.name, path, target, kind, saves };
  at.targets.push(t);
  at.ix.targets.push(t);
}

function addFlow(at: At, path: Path, flow: unknown): void {
  if (typeof flow === 'string') at.ix.flowTargets.push({ state: at.name, path, flow });
}

function addText(at: At, path: Path, text: unknown, kind: TextKind, phase: Phase = 'entry'): void {
  at.ix.texts.push({ state: at.name, path, text, kind });
  if (typeof text === 'string') at.ix.templates.push({ state: at.name, path, source: text, phase });
  else if (isRec(text)) {
    for (const lang of Object.keys(text)) {
      const v = text[lang];
      if (typeof v === 'string') at.ix.templates.push({ state: at.name, path: [...path, lang], source: v, phase });
    }
  }
}

function addTemplates(at: At, path: Path, value: unknown): void {
  if (typeof value === 'string') at.ix.templates.push({ state: at.name, path, source: value, phase: 'entry' });
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) addTemplates(at, [...path, i], value[i]);
  else if (isRec(value)) for (const k of Object.keys(value)) addTemplates(at, [...path, k], value[k]);
}

function indexState(ix: FlowIndex, name: string, raw: unknown): void {
  const base = ['states', name] as const;
  const targets: TargetSite[] = [];
  ix.targetsByState.set(name, targets);
  if (!isRec(raw)) return;
  const at: At = { ix, name, targets };

  // Entry: `set`, `image`, `say`.
  const entry = keysOf(raw.set);
  ix.entrySaves.set(name, entry);
  for (const key of entry) ix.saves.push({ name: key, path: [...base, 'set', key], state: name });
  addTemplates(at, [...base, 'set'], raw.set);
  if (raw.image !== undefined) addTemplates(at, [...base, 'image'], raw.image);
  const buttons = Array.isArray(raw.buttons) ? raw.buttons : [];
  if (Array.isArray(raw.say)) {
    const say = raw.say as unknown[];
    for (let i = 0; i < say.length; i++) addText(at, [...base, 'say', i], say[i], buttons.length > 0 && i === say.length - 1 ? 'button-say' : 'say');
  } else if (raw.say !== undefined) addText(at, [...base, 'say'], raw.say, buttons.length > 0 ? 'button-say' : 'say');

  // Choices.
  for (const list of CHOICE_LISTS) {
    const items = raw[list];
    if (!Array.isArray(items)) continue;
    for (let index = 0; index < items.length; index++) {
      const choice: unknown = items[index];
      if (!isRec(choice)) continue;
      const path = [...base, list, index];
      ix.choices.push({ state: name, path, list, index, choice });
      if (choice.title !== undefined) addText(at, [...path, 'title'], choice.title, 'title');
      const saves = keysOf(choice.set);
      for (const key of saves) ix.saves.push({ name: key, path: [...path, 'set', key], state: name });
      addTemplates(at, [...path, 'set'], choice.set);
      if (choice.url !== undefined) addTemplates(at, [...path, 'url'], choice.url);
      addTarget(at, [...path, 'goto'], choice.goto, 'choice', saves);
      addFlow(at, [...path, 'flow'], choice.flow);
    }
  }

  // ask and call: what `next` saves.
  const exitSaves: string[] = [];
  if (isRec(raw.ask)) {
    const ask = raw.ask;
    if (typeof ask.save === 'string') {
      exitSaves.push(ask.save);
      ix.saves.push({ name: ask.save, path: [...base, 'ask', 'save'], state: name });
    }
    if (ask.retry !== undefined) addText(at, [...base, 'ask', 'retry'], ask.retry, 'retry');
    addTarget(at, [...base, 'ask', 'on_fail'], ask.on_fail, 'on_fail', []);
  }
  if (isRec(raw.call)) {
    const call = raw.call;
    for (const key of CALL_TEMPLATES) {
      if (call[key] !== undefined) addTemplates(at, [...base, 'call', key], call[key]);
    }
    if (typeof call.save === 'string') {
      exitSaves.push(call.save);
      ix.saves.push({ name: call.save, path: [...base, 'call', 'save'], state: name });
    }
    if (call.timeout !== undefined) ix.durations.push({ state: name, path: [...base, 'call', 'timeout'], text: call.timeout, kind: 'timeout' });
    addTarget(at, [...base, 'call', 'on_error'], call.on_error, 'on_error', []);
  }

  // next.
  if (typeof raw.next === 'string') addTarget(at, [...base, 'next'], raw.next, 'next', exitSaves);
  else if (Array.isArray(raw.next)) {
    const next = raw.next as unknown[];
    for (let i = 0; i < next.length; i++) {
      const branch = next[i];
      if (!isRec(branch)) continue;
      const path = [...base, 'next', i];
      if (typeof branch.if === 'string') ix.conditions.push({ state: name, path: [...path, 'if'], source: branch.if, phase: 'exit' });
      addTarget(at, [...path, 'goto'], branch.goto, 'next', exitSaves);
      addFlow(at, [...path, 'flow'], branch.flow);
    }
  }

  // Timers.
  if (Array.isArray(raw.after)) {
    const after = raw.after as unknown[];
    for (let i = 0; i < after.length; i++) {
      const timer = after[i];
      if (!isRec(timer)) continue;
      const path = [...base, 'after', i];
      ix.durations.push({ state: name, path: [...path, 'after'], text: timer.after, kind: 'after' });
      if (Array.isArray(timer.say)) {
        const say = timer.say as unknown[];
        for (let j = 0; j < say.length; j++) addText(at, [...path, 'say', j], say[j], 'timer-say');
      } else if (timer.say !== undefined) addText(at, [...path, 'say'], timer.say, 'timer-say');
      addTarget(at, [...path, 'goto'], timer.goto, 'timer', []);
    }
  }
}

const CHOICE_LISTS = ['quick_replies', 'buttons'] as const;
const CALL_TEMPLATES = ['url', 'headers', 'query', 'json', 'form'] as const;

/** True for a plain object (not an array, not null). */
export { isRec as isRecord };

/**
 * Whether a state, as written, waits for the person: quick replies, buttons that lead
 * somewhere (not only web links), or an `ask`.
 */
export function waitsForPerson(state: Record<string, unknown>): boolean {
  return (
    (Array.isArray(state.quick_replies) && state.quick_replies.length > 0) ||
    (Array.isArray(state.buttons) && state.buttons.some((b) => isRec(b) && (b.goto !== undefined || b.flow !== undefined))) ||
    state.ask !== undefined
  );
}
