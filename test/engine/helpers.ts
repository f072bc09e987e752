/** Test helpers: a bot from YAML texts, and a chat that steps the engine with a fake clock. */
import { loadProjectFromTexts } from '../../src/language/load.js';
import { compileBot, createEngine, type CompiledBot, type Engine } from '../../src/engine/index.js';
import type { Conversation, InboundEvent, OutMessage, Profile, StepOutput } from '../../src/engine/types.js';

/** Compiles a bot from `{ 'name.yaml': text }`; fails the test on a load error. */
export function botFrom(files: Record<string, string>, env: Record<string, string> = {}): CompiledBot {
  const { project, diagnostics } = loadProjectFromTexts(
    '/bot',
    Object.entries(files).map(([path, text]) => ({ path: `/bot/${path}`, text })),
  );
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`).join('\n'));
  return compileBot(project, { env });
}

/** The texts of messages (buttons and quick replies left out). */
export function texts(messages: OutMessage[]): string[] {
  return messages.map((m) => (m.kind === 'image' ? `[image ${m.url}]` : m.text));
}

/** Titles of the quick replies or buttons of the last message. */
export function choicesOf(messages: OutMessage[]): string[] {
  const last = messages[messages.length - 1];
  if (!last || last.kind === 'image') return [];
  return [...(last.kind === 'buttons' ? last.buttons.map((b) => b.title) : []), ...(last.quick_replies ?? []).map((q) => q.title)];
}

/** A conversation with one person, a simulated clock and a JSON round trip between steps. */
export class Chat {
  conversation: Conversation | undefined;
  now = 1_700_000_000_000;
  last!: StepOutput;
  private n = 0;
  readonly engine: Engine;
  constructor(
    bot: CompiledBot | Engine,
    public profile: Profile = { id: 'u1', first_name: 'Ana', locale: 'en_GB' },
  ) {
    this.engine = 'step' in bot ? bot : createEngine(bot);
  }
  send(event: InboundEvent, advanceMs = 1000): StepOutput {
    this.now += advanceMs;
    this.n += 1;
    const stored = this.conversation === undefined ? undefined : (JSON.parse(JSON.stringify(this.conversation)) as Conversation);
    this.last = this.engine.step({ conversation: stored, event, profile: this.profile, now: this.now, eventId: `m${this.n}` });
    this.conversation = this.last.conversation;
    return this.last;
  }
  text(text: string, advanceMs?: number): StepOutput {
    return this.send({ kind: 'text', text }, advanceMs);
  }
  /** Taps the quick reply or button titled `title` in the last messages. */
  tap(title: string): StepOutput {
    for (const m of [...this.last.messages].reverse()) {
      if (m.kind === 'image') continue;
      const q = m.quick_replies?.find((x) => x.title === title);
      if (q) return this.send({ kind: 'quick_reply', payload: q.payload, title });
      const b = m.kind === 'buttons' ? m.buttons.find((x) => x.title === title) : undefined;
      if (b && b.type === 'postback') return this.send({ kind: 'postback', payload: b.payload, title });
    }
    throw new Error(`no choice "${title}" in the last messages: ${JSON.stringify(this.last.messages)}`);
  }
  /** Fires the pending timer that comes first, after advancing the clock to it. */
  fireNextTimer(): StepOutput {
    const t = [...this.last.timers].sort((a, b) => a.at - b.at)[0];
    if (!t) throw new Error('no timer pending');
    return this.send({ kind: 'timer', timerId: t.id }, Math.max(0, t.at - this.now));
  }
  get state(): string | undefined {
    return this.conversation?.status === 'active' ? this.conversation.state : undefined;
  }
}
