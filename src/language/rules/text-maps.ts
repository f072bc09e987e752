/** Every text map (language -> text) of the project, for the language rules. */
import type { SourceFile, Path } from '../../source/source-file.js';
import type { RuleContext } from './rule.js';
import { isRecord } from './flow-index.js';

export interface TextMapSite {
  source: SourceFile;
  path: Path;
  map: Record<string, unknown>;
  /** `state "x"`, `bot message "fallback"`... for messages. */
  where: string;
}

/** The languages bot.yaml lists, or undefined when it lists none (then no language is checked). */
export function listedLanguages(ctx: RuleContext): string[] | undefined {
  const languages = ctx.project.botFile?.languages;
  return Array.isArray(languages) && languages.length > 0 ? languages : undefined;
}

/** Every text written as a map, in the flows and in bot.yaml. */
export function textMaps(ctx: RuleContext): TextMapSite[] {
  const out: TextMapSite[] = [];
  for (const { file, index } of ctx.flows) {
    for (const t of index.texts) {
      if (isRecord(t.text)) out.push({ source: file.source, path: t.path, map: t.text, where: t.state === undefined ? `the flow's ${String(t.path[0])}` : `state "${t.state}"` });
    }
  }
  const bot = ctx.project.botFile;
  const source = ctx.project.botSource;
  if (bot && source) {
    for (const [key, text] of Object.entries(bot.messages ?? {})) {
      if (isRecord(text)) out.push({ source, path: ['messages', key], map: text, where: `bot message "${key}"` });
    }
    (bot.persistent_menu ?? []).forEach((entry, i) => {
      if (isRecord(entry) && isRecord(entry.title)) out.push({ source, path: ['persistent_menu', i, 'title'], map: entry.title, where: `menu entry ${i + 1}` });
    });
  }
  return out;
}
