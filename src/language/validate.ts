/**
 * `flow validate`'s core: load a bot folder (YAML + schema, `load.ts`), then run every
 * semantic rule (`rules/index.ts`) on the flows that passed the schema and on the bot
 * settings. Returns diagnostics as values, sorted and deduplicated; never throws because a
 * flow is wrong.
 */
import { sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { loadProjectDir, loadProjectFromTexts, type LoadInput } from './load.js';
import type { Project } from './project.js';
import { RULES } from './rules/index.js';
import { RuleContext, runRule } from './rules/rule.js';

/** Runs the semantic rules only (no YAML or schema checks), in the order of `RULES`, unsorted. */
export function validateProject(project: Project): Diagnostic[] {
  const ctx = new RuleContext(project);
  const out: Diagnostic[] = [];
  for (const rule of RULES) out.push(...runRule(rule, ctx));
  return out;
}

/** Loads a folder given as texts (pure, no disk) and validates it: YAML, schema and semantic diagnostics, sorted. */
export function checkProjectTexts(dir: string, files: readonly LoadInput[]): { project: Project; diagnostics: Diagnostic[] } {
  const loaded = loadProjectFromTexts(dir, files);
  return { project: loaded.project, diagnostics: sortDiagnostics([...loaded.diagnostics, ...validateProject(loaded.project)]) };
}

/** Reads a bot folder from disk and validates it (see `checkProjectTexts`). Throws only when the folder cannot be listed. */
export function checkProjectDir(dir: string): { project: Project; diagnostics: Diagnostic[] } {
  const loaded = loadProjectDir(dir);
  return { project: loaded.project, diagnostics: sortDiagnostics([...loaded.diagnostics, ...validateProject(loaded.project)]) };
}
