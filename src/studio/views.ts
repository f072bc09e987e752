/**
 * The JSON the studio's browser code reads: the flows list, the diagnostics of the last
 * load, and a person's conversation with the diagram of its flow (current state highlighted).
 * Pure functions of the served version, the last load and the stored conversation.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { describeState, type StateDescription } from '../engine/index.js';
import type { Conversation } from '../engine/types.js';
import { flowToMermaid } from '../graph/index.js';
import type { Text } from '../language/model.js';
import type { LoadOutcome, ServedVersion } from './bot-source.js';
import { flowStart, noStartReason } from './flow-start.js';

export interface FlowItem {
  id: string;
  title: string;
  description?: string;
  states: number;
  /** The flow file, relative to the folder above the flows folder (`flows/it-helpdesk.yaml`). */
  file: string;
  /** How Start begins it, or why it cannot be started on its own. */
  start: { ok: true; how: string } | { ok: false; reason: string };
}

export interface DiagnosticItem extends Diagnostic {
  /** The source line the diagnostic points at, when the file can be read. */
  source?: string;
}

export interface LoadView {
  ok: boolean;
  errors: number;
  warnings: number;
  diagnostics: DiagnosticItem[];
}

export interface StateView {
  generation: number;
  conversation: StateDescription & { userId?: string; lastState?: string };
  diagram?: { flowId: string; title: string; mermaid: string; highlight?: string };
}

/** A text in the bot's default language (or its first language). */
export function plainText(text: Text | undefined, language: string): string | undefined {
  if (text === undefined) return undefined;
  if (typeof text === 'string') return text;
  return text[language] ?? Object.values(text)[0];
}

/** `file` as an author reads it: relative to the folder that holds the flows folder. */
export function displayFile(flowsDir: string, file: string): string {
  return (isAbsolute(file) ? relative(dirname(flowsDir), file) : file).split('\\').join('/');
}

/** The flows being served, in id order. */
export function flowItems(version: ServedVersion, flowsDir: string): FlowItem[] {
  const bot = version.engine.bot;
  const language = bot.settings.default_language;
  return version.project.flows
    .filter((f) => bot.flows.has(f.id))
    .map((f) => {
      const start = flowStart(bot, f.id);
      const item: FlowItem = {
        id: f.id,
        title: plainText(f.flow?.title, language) ?? f.id,
        states: Object.keys(f.flow?.states ?? {}).length,
        file: displayFile(flowsDir, f.path),
        start: start ? { ok: true, how: start.how } : { ok: false, reason: noStartReason(f.id) },
      };
      const description = plainText(f.flow?.description, language);
      if (description !== undefined) item.description = description;
      return item;
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The last load's diagnostics, with file names an author recognises and the line they point at. */
export function loadView(outcome: LoadOutcome, flowsDir: string, read: (file: string) => string | undefined = readText): LoadView {
  const texts = new Map<string, string[] | undefined>();
  const diagnostics = outcome.diagnostics.map((d) => {
    if (!texts.has(d.file)) texts.set(d.file, read(d.file)?.split(/\r?\n/));
    const item: DiagnosticItem = { ...d, file: displayFile(flowsDir, d.file) };
    const line = texts.get(d.file)?.[d.line - 1];
    if (line !== undefined) item.source = line;
    return item;
  });
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return { ok: outcome.ok, errors, warnings: diagnostics.length - errors, diagnostics };
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * A person's conversation and the diagram to show: the conversation's flow, else `flowHint`
 * (the flow picked in the studio), else the default flow, else the first one.
 */
export function stateView(version: ServedVersion, conversation: Conversation | undefined, flowHint?: string): StateView {
  const bot = version.engine.bot;
  const described = describeState(bot, conversation);
  const view: StateView = { generation: version.generation, conversation: { ...described } };
  if (conversation) {
    view.conversation.userId = conversation.userId;
    if (conversation.state !== undefined) view.conversation.lastState = conversation.state;
    if (described.status === 'ended' && conversation.flowId !== undefined) view.conversation.flowId = conversation.flowId;
  }
  const candidates = [conversation?.flowId, flowHint, bot.settings.default_flow, bot.flowIds[0]];
  const flowId = candidates.find((id): id is string => id !== undefined && bot.flows.has(id));
  if (flowId === undefined) return view;
  const flow = bot.flows.get(flowId)!;
  const inIt = conversation?.flowId === flowId;
  const highlight = inIt && described.state !== undefined && flow.states.has(described.state) ? described.state : undefined;
  view.diagram = {
    flowId,
    title: plainText(flow.flow.title, bot.settings.default_language) ?? flowId,
    mermaid: flowToMermaid(flowId, flow.flow, highlight !== undefined ? { highlight } : {}),
  };
  if (highlight !== undefined) view.diagram.highlight = highlight;
  return view;
}
