/**
 * A validated project -> a compiled bot (pure: same project and env, same result).
 * Each flow becomes an xstate machine with its content hash, its templates and conditions
 * compiled once, and its generated payloads; the bot gets its trigger, postback and command
 * indexes. Flow files that did not load (no `flow`) are skipped: compile a validated project.
 */
import { flowHash } from '../language/hash.js';
import type { CommandKey, MessageKey } from '../language/model.js';
import type { Project } from '../language/project.js';
import { compileState } from './compile-state.js';
import { buildMachine } from './machine.js';
import { menuPayload } from './payloads.js';
import { compileText } from './texts.js';
import type { CompiledBot, CompiledFlow, CompiledState, CompiledText } from './types.js';

export type { CompiledBot, CompiledFlow, CompiledState } from './types.js';

/** Options of `compileBot`. */
export interface CompileOptions {
  /** The process environment; only the names `env_allow` lists reach templates and conditions. */
  env: Record<string, string | undefined>;
}

/** Compiles one loaded flow (see `compileBot`). */
export function compileFlow(id: string, flow: NonNullable<Project['flows'][number]['flow']>, hash: string, env: Record<string, string>): CompiledFlow {
  const states = new Map<string, CompiledState>();
  for (const [name, state] of Object.entries(flow.states)) states.set(name, compileState(id, name, state));
  const start = flow.start !== undefined && states.has(flow.start) ? flow.start : [...states.keys()][0]!;
  return {
    id,
    hash,
    flow,
    start,
    title: flow.title === undefined ? undefined : compileText(flow.title),
    states,
    machine: buildMachine(id, flow, start, states, env),
    moved: { ...(flow.moved ?? {}) },
  };
}

/** Compiles every loaded flow of `project` and the bot-wide indexes. */
export function compileBot(project: Project, options: CompileOptions): CompiledBot {
  const settings = project.settings;
  const env: Record<string, string> = {};
  for (const name of settings.env_allow) {
    const value = options.env[name];
    if (value !== undefined) env[name] = value;
  }
  const flows = new Map<string, CompiledFlow>();
  const files = project.flows.filter((f) => f.flow !== undefined).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const file of files) {
    if (flows.has(file.id)) continue;
    flows.set(file.id, compileFlow(file.id, file.flow!, file.hash || flowHash(file.flow!), env));
  }
  const flowIds = [...flows.keys()];

  const keywords = new Map<string, string>();
  const postbacks = new Map<string, string>();
  const allPayloads = new Set<string>();
  for (const id of flowIds) {
    const f = flows.get(id)!;
    for (const k of f.flow.triggers?.keywords ?? []) {
      const key = k.trim().toLowerCase();
      if (!keywords.has(key)) keywords.set(key, id);
    }
    for (const p of f.flow.triggers?.postbacks ?? []) if (!postbacks.has(p)) postbacks.set(p, id);
    for (const s of f.states.values()) for (const p of s.payloads.keys()) allPayloads.add(p);
  }
  if (settings.get_started && flows.has(settings.get_started.flow)) postbacks.set(settings.get_started.payload, settings.get_started.flow);
  for (const entry of settings.persistent_menu) {
    const p = menuPayload(entry);
    if (flows.has(entry.flow) && !postbacks.has(p)) postbacks.set(p, entry.flow);
  }

  const commands = new Map<string, CommandKey>();
  for (const key of ['restart', 'cancel', 'help'] as CommandKey[]) {
    for (const word of settings.commands[key] ?? []) {
      const w = word.trim().toLowerCase();
      if (w && !commands.has(w)) commands.set(w, key);
    }
  }

  const messages = {} as Record<MessageKey, CompiledText>;
  for (const [key, text] of Object.entries(settings.messages) as Array<[MessageKey, Parameters<typeof compileText>[0]]>) messages[key] = compileText(text);

  return { settings, env, flows, flowIds, keywords, postbacks, allPayloads, commands, messages };
}
