/**
 * One flow state -> its run-time data: compiled texts, choices with their payloads, the
 * `ask` rules (with its pattern compiled), the `call` templates and the timers in firing order.
 */
import { parseDuration } from '../language/duration.js';
import type { State } from '../language/model.js';
import { compileTemplate } from '../template/render.js';
import { choicePayload } from './payloads.js';
import { compileText, compileTexts, compileValue } from './texts.js';
import type { CompiledAsk, CompiledCall, CompiledChoice, CompiledState, CompiledTimer, Renderer } from './types.js';

/** `call.timeout` when the flow does not give one. */
export const DEFAULT_CALL_TIMEOUT_MS = 10_000;
/** `ask.attempts` when the flow does not give one. */
export const DEFAULT_ATTEMPTS = 3;

function compilePattern(source: string | undefined): RegExp | undefined {
  if (source === undefined) return undefined;
  // The whole answer must match: `pattern: "[0-9]{6}"` accepts "123456", not "x123456y".
  for (const flags of ['u', '']) {
    try {
      return new RegExp(`^(?:${source})$`, flags);
    } catch {
      /* try without the unicode flag, then give up */
    }
  }
  return /^(?!)$/; // an invalid pattern (validation reports it) accepts nothing
}

function compileAsk(ask: NonNullable<State['ask']>): CompiledAsk {
  return {
    save: ask.save,
    type: ask.type ?? (ask.pattern !== undefined ? 'pattern' : 'text'),
    pattern: compilePattern(ask.pattern),
    min: ask.min,
    max: ask.max,
    minLength: ask.min_length,
    maxLength: ask.max_length,
    retry: ask.retry === undefined ? undefined : compileText(ask.retry),
    attempts: ask.attempts !== undefined && ask.attempts >= 1 ? Math.floor(ask.attempts) : DEFAULT_ATTEMPTS,
    onFail: ask.on_fail,
  };
}

function pairs(map: Record<string, string> | undefined): Array<[string, Renderer]> {
  return Object.entries(map ?? {}).map(([k, v]) => [k, compileTemplate(String(v))]);
}

function compileCall(call: NonNullable<State['call']>): CompiledCall {
  return {
    method: call.method ?? 'GET',
    url: compileTemplate(call.url),
    headers: pairs(call.headers),
    query: pairs(call.query),
    json: call.json === undefined ? undefined : compileValue(call.json),
    form: call.form === undefined ? undefined : pairs(call.form),
    timeoutMs: (call.timeout !== undefined ? parseDuration(call.timeout) : undefined) ?? DEFAULT_CALL_TIMEOUT_MS,
    save: call.save,
    onError: call.on_error,
  };
}

/** Compiles one state of flow `flowId`. */
export function compileState(flowId: string, name: string, state: State): CompiledState {
  const choices: CompiledChoice[] = [];
  const payloads = new Map<string, number>();
  const add = (kind: CompiledChoice['kind'], c: NonNullable<State['buttons']>[number]) => {
    const index = choices.length;
    const choice: CompiledChoice = { index, kind, title: compileText(c.title), goto: c.goto, flow: c.flow, url: c.url };
    if (c.set) choice.set = Object.entries(c.set).map(([k, v]) => [k, compileValue(v)]);
    if (c.url === undefined || c.goto !== undefined || c.flow !== undefined) {
      choice.payload = c.payload ?? choicePayload(flowId, name, index);
      if (!payloads.has(choice.payload)) payloads.set(choice.payload, index);
    }
    choices.push(choice);
  };
  for (const c of state.quick_replies ?? []) add('quick_reply', c);
  for (const c of state.buttons ?? []) add('button', c);

  const timers: CompiledTimer[] = (state.after ?? [])
    .map((t, index) => ({ index, ms: parseDuration(t.after) ?? 0, say: compileTexts(t.say), goto: t.goto }))
    .sort((a, b) => a.ms - b.ms || a.index - b.index);

  const end = state.end === true;
  const ask = state.ask ? compileAsk(state.ask) : undefined;
  const call = state.call ? compileCall(state.call) : undefined;
  return {
    name,
    say: compileTexts(state.say),
    image: state.image,
    choices,
    payloads,
    ask,
    call,
    set: state.set ? Object.entries(state.set).map(([k, v]) => [k, compileValue(v)]) : undefined,
    timers,
    end,
    waits: !end && (payloads.size > 0 || ask !== undefined || call !== undefined),
  };
}
