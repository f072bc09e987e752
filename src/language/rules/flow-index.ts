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

function indexState(ix: FlowIndex, name: string, raw: unknown): void {
  const base = ['states', name] as const;
  const targets: TargetSite[] = [];
  ix.targetsByState.set(name, targets);
  if (!isRec(raw)) return;
  const addTarget = (path: Path, target: unknown, kind: TargetKind, saves: string[]) => {
    if (typeof target !== 'string') return;
    const t: TargetSite = { state: name, path, target, kind, saves };
    targets.push(t);
    ix.targets.push(t);
  };
  const addFlow = (path: Path, flow: unknown) => {
    if (typeof flow === 'string') ix.flowTargets.push({ state: name, path, flow });
  };
  const addText = (path: Path, text: unknown, kind: TextKind, phase: Phase = 'entry') => {
    ix.texts.push({ state: name, path, text, kind });
    if (typeof text === 'string') ix.templates.push({ state: name, path, source: text, phase });
    else if (isRec(text)) {
      for (const [lang, v] of Object.entries(text)) {
        if (typeof v === 'string') ix.templates.push({ state: name, path: [...path, lang], source: v, phase });
      }
    }
  };
  const addTemplates = (path: Path, value: unknown) => {
    if (typeof value === 'string') ix.templates.push({ state: name, path, source: value, phase: 'entry' });
    else if (Array.isArray(value)) value.forEach((v, i) => addTemplates([...path, i], v));
    else if (isRec(value)) for (const [k, v] of Object.entries(value)) addTemplates([...path, k], v);
  };

  // Entry: `set`, `image`, `say`.
  const entry = keysOf(raw.set);
  ix.entrySaves.set(name, entry);
  for (const key of entry) ix.saves.push({ name: key, path: [...base, 'set', key], state: name });
  addTemplates([...base, 'set'], raw.set);
  if (raw.image !== undefined) addTemplates([...base, 'image'], raw.image);
  const buttons = Array.isArray(raw.buttons) ? raw.buttons : [];
  if (Array.isArray(raw.say)) {
    raw.say.forEach((t, i) => addText([...base, 'say', i], t, buttons.length > 0 && i === (raw.say as unknown[]).length - 1 ? 'button-say' : 'say'));
  } else if (raw.say !== undefined) addText([...base, 'say'], raw.say, buttons.length > 0 ? 'button-say' : 'say');

  // Choices.
  for (const list of ['quick_replies', 'buttons'] as const) {
    const items = raw[list];
    if (!Array.isArray(items)) continue;
    items.forEach((choice, index) => {
      if (!isRec(choice)) return;
      const path = [...base, list, index];
      ix.choices.push({ state: name, path, list, index, choice });
      if (choice.title !== undefined) addText([...path, 'title'], choice.title, 'title');
      const saves = keysOf(choice.set);
      for (const key of saves) ix.saves.push({ name: key, path: [...path, 'set', key], state: name });
      addTemplates([...path, 'set'], choice.set);
      if (choice.url !== undefined) addTemplates([...path, 'url'], choice.url);
      addTarget([...path, 'goto'], choice.goto, 'choice', saves);
      addFlow([...path, 'flow'], choice.flow);
    });
  }

  // ask and call: what `next` saves.
  const exitSaves: string[] = [];
  if (isRec(raw.ask)) {
    const ask = raw.ask;
    if (typeof ask.save === 'string') {
      exitSaves.push(ask.save);
      ix.saves.push({ name: ask.save, path: [...base, 'ask', 'save'], state: name });
    }
    if (ask.retry !== undefined) addText([...base, 'ask', 'retry'], ask.retry, 'retry');
    addTarget([...base, 'ask', 'on_fail'], ask.on_fail, 'on_fail', []);
  }
  if (isRec(raw.call)) {
    const call = raw.call;
    for (const key of ['url', 'headers', 'query', 'json', 'form'] as const) {
      if (call[key] !== undefined) addTemplates([...base, 'call', key], call[key]);
    }
    if (typeof call.save === 'string') {
      exitSaves.push(call.save);
      ix.saves.push({ name: call.save, path: [...base, 'call', 'save'], state: name });
    }
    if (call.timeout !== undefined) ix.durations.push({ state: name, path: [...base, 'call', 'timeout'], text: call.timeout, kind: 'timeout' });
    addTarget([...base, 'call', 'on_error'], call.on_error, 'on_error', []);
  }

  // next.
  if (typeof raw.next === 'string') addTarget([...base, 'next'], raw.next, 'next', exitSaves);
  else if (Array.isArray(raw.next)) {
    raw.next.forEach((branch, i) => {
      if (!isRec(branch)) return;
      const path = [...base, 'next', i];
      if (typeof branch.if === 'string') ix.conditions.push({ state: name, path: [...path, 'if'], source: branch.if, phase: 'exit' });
      addTarget([...path, 'goto'], branch.goto, 'next', exitSaves);
      addFlow([...path, 'flow'], branch.flow);
    });
  }

  // Timers.
  if (Array.isArray(raw.after)) {
    raw.after.forEach((timer, i) => {
      if (!isRec(timer)) return;
      const path = [...base, 'after', i];
      ix.durations.push({ state: name, path: [...path, 'after'], text: timer.after, kind: 'after' });
      if (Array.isArray(timer.say)) timer.say.forEach((t, j) => addText([...path, 'say', j], t, 'timer-say'));
      else if (timer.say !== undefined) addText([...path, 'say'], timer.say, 'timer-say');
      addTarget([...path, 'goto'], timer.goto, 'timer', []);
    });
  }
}

/** True for a plain object (not an array, not null). */
export { isRec as isRecord };
