/**
 * The compiled form of a bot: every flow turned into an xstate machine plus the data the
 * engine needs at run time (pre-compiled templates and conditions, generated payloads, the
 * trigger and command indexes). Built once by `compileBot`, then shared read-only by every
 * step of every conversation.
 */
import type { AnyStateMachine } from 'xstate';
import type { BotSettings, CommandKey, Flow, InputType, MessageKey } from '../language/model.js';
import type { CompiledTemplate, TemplateScope } from '../template/render.js';

/** What a template sees: the person, the saved variables, the last typed text, the allowed env. */
export type RenderScope = TemplateScope;

/** A template compiled once; rendering never throws (a template that fails renders as its source). */
export type Renderer = CompiledTemplate;

/** A text a person reads, compiled per language (`Text` of the model). */
export interface CompiledText {
  /** Language code -> renderer; a plain string is stored under `*`. */
  byLanguage: ReadonlyMap<string, Renderer>;
  /** Every literal variant, for matching typed text against a title. */
  literals: readonly string[];
}

/** A quick reply or button of a state, with its payload (explicit or generated). */
export interface CompiledChoice {
  index: number;
  kind: 'quick_reply' | 'button';
  title: CompiledText;
  /** Absent for `url` buttons. */
  payload?: string;
  url?: string;
  goto?: string;
  flow?: string;
  /** The choice's `set`, values compiled as templates. */
  set?: Array<[string, CompiledValue]>;
}

export interface CompiledAsk {
  save: string;
  type: InputType;
  pattern?: RegExp;
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
  retry?: CompiledText;
  /** Invalid answers allowed (default 3). */
  attempts: number;
  onFail?: string;
}

/** A `call` with every field kept as a template (rendered at entry). */
export interface CompiledCall {
  method: string;
  url: Renderer;
  headers: Array<[string, Renderer]>;
  query: Array<[string, Renderer]>;
  /** The `json` body with every string compiled. */
  json?: CompiledValue;
  form?: Array<[string, Renderer]>;
  timeoutMs: number;
  save?: string;
  onError?: string;
}

/** A JSON value whose strings are templates. */
export type CompiledValue =
  | { t: 'str'; r: Renderer }
  | { t: 'lit'; v: unknown }
  | { t: 'arr'; items: CompiledValue[] }
  | { t: 'obj'; entries: Array<[string, CompiledValue]> };

export interface CompiledTimer {
  /** Position in the state's `after` list (as written). */
  index: number;
  ms: number;
  say: CompiledText[];
  goto?: string;
}

export interface CompiledState {
  name: string;
  say: CompiledText[];
  image?: string;
  /** Quick replies first, then buttons, in the order written. */
  choices: CompiledChoice[];
  /** Payload -> index in `choices`. */
  payloads: ReadonlyMap<string, number>;
  ask?: CompiledAsk;
  call?: CompiledCall;
  set?: Array<[string, CompiledValue]>;
  /** Sorted by (ms, index): the order they fire in. */
  timers: CompiledTimer[];
  end: boolean;
  /** True when the state waits for the person (choices with payloads, or `ask`) or for a call. */
  waits: boolean;
}

export interface CompiledFlow {
  id: string;
  /** Content hash of the flow (its version). */
  hash: string;
  flow: Flow;
  start: string;
  title?: CompiledText;
  states: ReadonlyMap<string, CompiledState>;
  /** The flow as an xstate machine (see `src/compile/machine.ts` for its events and actions). */
  machine: AnyStateMachine;
  /** The flow's `moved:` map (old state -> new state). */
  moved: Readonly<Record<string, string>>;
}

/** The whole bot, compiled. Read-only and shared by every conversation. */
export interface CompiledBot {
  settings: BotSettings;
  /** Only the variables `env_allow` lists. */
  env: Readonly<Record<string, string>>;
  flows: ReadonlyMap<string, CompiledFlow>;
  /** Flow ids in sort order. */
  flowIds: readonly string[];
  /** Lower-cased keyword -> flow id (the first id in sort order wins). */
  keywords: ReadonlyMap<string, string>;
  /** Postback payload -> flow id (triggers.postbacks, get_started, persistent_menu). */
  postbacks: ReadonlyMap<string, string>;
  /** Every payload any state of any loaded flow offers (to recognise stale taps). */
  allPayloads: ReadonlySet<string>;
  /** Lower-cased command word -> command (payloads: see `commandPayload`). */
  commands: ReadonlyMap<string, CommandKey>;
  messages: Readonly<Record<MessageKey, CompiledText>>;
}
