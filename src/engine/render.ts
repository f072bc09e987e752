/**
 * What a state says: on entry (`image` first, then every `say` message, the choices with the
 * last one) and "the current prompt again" (the last `say` message with its choices; `set`,
 * `call` and `image` are not repeated).
 */
import type { CompiledFlow, CompiledState } from '../compile/types.js';
import { remember, textOf, type StepCtx } from './context.js';
import type { OutButton, OutMessage } from './types.js';

type Quick = { title: string; payload: string };

/** The state's choices as sent: quick replies and buttons, titles in the person's language. */
function renderChoices(ctx: StepCtx, state: CompiledState, vars: Record<string, unknown>): { quick: Quick[]; buttons: OutButton[] } {
  const quick: Quick[] = [];
  const buttons: OutButton[] = [];
  for (const c of state.choices) {
    const title = textOf(ctx, c.title, vars);
    if (c.kind === 'quick_reply') quick.push({ title, payload: c.payload! });
    else if (c.payload !== undefined) buttons.push({ type: 'postback', title, payload: c.payload });
    else buttons.push({ type: 'web_url', title, url: c.url ?? '' });
  }
  remember(ctx, [...state.payloads.keys()]);
  return { quick, buttons };
}

function withChoices(text: string, quick: Quick[], buttons: OutButton[]): OutMessage {
  if (buttons.length > 0) return quick.length > 0 ? { kind: 'buttons', text, buttons, quick_replies: quick } : { kind: 'buttons', text, buttons };
  return quick.length > 0 ? { kind: 'text', text, quick_replies: quick } : { kind: 'text', text };
}

/**
 * Pushes `texts`, the last one carrying the state's choices. Without texts, the choices go
 * on the last message of this step when it carries none (e.g. "Sorry, I didn't get that."),
 * else on a "…" message.
 */
export function pushWithChoices(ctx: StepCtx, texts: string[], state: CompiledState | undefined, vars: Record<string, unknown>): void {
  const choices = state && state.choices.length > 0 && !state.end ? renderChoices(ctx, state, vars) : undefined;
  if (!choices) {
    for (const t of texts) ctx.messages.push({ kind: 'text', text: t });
    return;
  }
  if (texts.length > 0) {
    for (const t of texts.slice(0, -1)) ctx.messages.push({ kind: 'text', text: t });
    ctx.messages.push(withChoices(texts[texts.length - 1]!, choices.quick, choices.buttons));
    return;
  }
  const last = ctx.messages[ctx.messages.length - 1];
  if (last && last.kind === 'text' && !last.quick_replies) {
    ctx.messages[ctx.messages.length - 1] = withChoices(last.text, choices.quick, choices.buttons);
  } else {
    ctx.messages.push(withChoices('…', choices.quick, choices.buttons));
  }
}

/** The messages of entering `state` with `vars`. */
export function renderEntry(ctx: StepCtx, state: CompiledState, vars: Record<string, unknown>): void {
  if (state.image) ctx.messages.push({ kind: 'image', url: state.image });
  pushWithChoices(ctx, state.say.map((t) => textOf(ctx, t, vars)), state.waits ? state : undefined, vars);
}

/** "The current prompt again": the current state's last `say` message with its choices. */
export function renderPrompt(ctx: StepCtx, flow: CompiledFlow | undefined): void {
  const state = flow && ctx.conv.state !== undefined ? flow.states.get(ctx.conv.state) : undefined;
  if (!state || !state.waits || ctx.conv.status !== 'active') return;
  const last = state.say[state.say.length - 1];
  pushWithChoices(ctx, last ? [textOf(ctx, last, ctx.conv.vars)] : [], state, ctx.conv.vars);
}
