/**
 * Loading a bot folder: `bot.yaml` (optional settings) and every other top-level `.yaml` /
 * `.yml` file as a flow. Loading never throws because a file is wrong: YAML and schema
 * problems come back as diagnostics, and a broken file still appears in the project (without
 * its `flow`) so later checks can point into it.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeForRule } from '../diagnostics/codes.js';
import { parseSource } from '../source/parse-yaml.js';
import type { SourceFile } from '../source/source-file.js';
import { flowHash } from './hash.js';
import type { BotFile, Flow } from './model.js';
import type { FlowFile, Project } from './project.js';
import { checkSchema, type SchemaKind } from './schema.js';
import { resolveSettings } from './settings.js';

/** One file's path and text, as read from disk (or given by an editor or a test). */
export interface LoadInput {
  path: string;
  text: string;
}

/** The name of the settings file in a bot folder. */
export const BOT_FILE_NAME = 'bot.yaml';

/** True for a file name loading treats as YAML (`.yaml` or `.yml`, any case). */
export function isYamlFile(name: string): boolean {
  return /\.ya?ml$/i.test(name);
}

/** A flow test file (`*.test.yaml`): never a flow, even when it sits beside the flows. */
export function isTestFileName(name: string): boolean {
  return /\.test\.ya?ml$/i.test(name);
}

/** Parses one YAML text and checks it against the schema of `kind`. */
function loadText(path: string, text: string, kind: SchemaKind): { source: SourceFile; ok: boolean; diagnostics: Diagnostic[] } {
  const parsed = parseSource(path, text);
  // A YAML problem (such as a merge key "<<") is not reported a second time as a schema one.
  const yamlAt = new Set(parsed.diagnostics.map((d) => `${d.line}:${d.column}`));
  const schema = checkSchema(kind, parsed.file).filter((d) => !yamlAt.has(`${d.line}:${d.column}`));
  const yamlErrors = parsed.diagnostics.some((d) => d.severity === 'error');
  return { source: parsed.file, ok: !yamlErrors && schema.length === 0 && parsed.file.data !== undefined, diagnostics: [...parsed.diagnostics, ...schema] };
}

/** The flow id of a file: its `id:` when it is a valid id text, else the file name without extension. */
function flowIdOf(path: string, data: unknown): string {
  const id = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>).id : undefined;
  return typeof id === 'string' && id !== '' ? id : basename(path, extname(path));
}

/**
 * Builds a project from file texts, without touching the disk (pure): `bot.yaml` (by base
 * name) is the settings file, every other `.yaml`/`.yml` file is a flow; other files are
 * ignored. `flow` is set on a FlowFile only when its YAML is clean and it matches the
 * schema; `botFile` likewise. Settings always have every default applied. Flows come back
 * sorted by path; diagnostics are YAML and schema problems, in file order.
 */
export function loadProjectFromTexts(dir: string, files: readonly LoadInput[]): { project: Project; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const flows: FlowFile[] = [];
  let botSource: SourceFile | undefined;
  let botFile: BotFile | undefined;
  for (const input of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const name = basename(input.path);
    if (!isYamlFile(name) || isTestFileName(name)) continue;
    if (name === BOT_FILE_NAME) {
      const loaded = loadText(input.path, input.text, 'bot');
      diagnostics.push(...loaded.diagnostics);
      botSource = loaded.source;
      if (loaded.ok) botFile = loaded.source.data as BotFile;
      continue;
    }
    const loaded = loadText(input.path, input.text, 'flow');
    diagnostics.push(...loaded.diagnostics);
    const data = loaded.source.data;
    const file = withLazyHash({ id: flowIdOf(input.path, data), path: input.path, source: loaded.source }, data, input.text);
    if (loaded.ok) file.flow = data as Flow;
    flows.push(file);
  }
  const settings = resolveSettings(botFile, flows.map((f) => f.id));
  const project: Project = { dir, settings, flows };
  if (botSource) project.botSource = botSource;
  if (botFile) project.botFile = botFile;
  return { project, diagnostics };
}

/**
 * Gives a flow file its `hash` (see `FlowFile.hash`), computed when first read and then kept:
 * the flow's content hash (`flowHash`) when the file could be read as data, else the sha256 of
 * its text. Validation never reads it, so `flow validate` does not pay for hashing; compiling
 * reads it once. Loaded data is never changed afterwards, so the value does not depend on when
 * it is read. Assigning `hash` replaces it.
 */
function withLazyHash(file: Omit<FlowFile, 'hash'>, data: unknown, text: string): FlowFile {
  const set = (value: string): string => {
    Object.defineProperty(file, 'hash', { value, writable: true, enumerable: true, configurable: true });
    return value;
  };
  Object.defineProperty(file, 'hash', {
    get: () => set(data !== undefined ? flowHash(data as Flow) : createHash('sha256').update(text).digest('hex')),
    set,
    enumerable: true,
    configurable: true,
  });
  return file as FlowFile;
}

function unreadable(path: string, err: unknown): Diagnostic {
  const info = codeForRule('file-unreadable');
  const reason = err && typeof err === 'object' && 'code' in err ? String((err as { code: unknown }).code) : String(err);
  const why = reason === 'ENOENT' ? 'it does not exist' : reason === 'EACCES' || reason === 'EPERM' ? 'permission denied' : reason === 'EISDIR' ? 'it is a folder' : reason;
  return {
    file: path, line: 1, column: 1, endLine: 1, endColumn: 1, severity: info.severity, code: info.code, rule: info.rule,
    message: `This file could not be read (${why}). Check that it exists and that you may read it.`,
  };
}

/**
 * Reads a bot folder's top-level `*.yaml`/`*.yml` files (not `tests/` nor any other
 * subfolder) and loads them with `loadProjectFromTexts`. A file that cannot be read gives an
 * FS009 diagnostic and is left out. Throws only when the folder itself cannot be listed.
 */
export function loadProjectDir(dir: string): { project: Project; diagnostics: Diagnostic[] } {
  const inputs: LoadInput[] = [];
  const problems: Diagnostic[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() || !isYamlFile(entry.name)) continue;
    const path = join(dir, entry.name);
    try {
      inputs.push({ path, text: readFileSync(path, 'utf8') });
    } catch (err) {
      problems.push(unreadable(path, err));
    }
  }
  const loaded = loadProjectFromTexts(dir, inputs);
  return { project: loaded.project, diagnostics: [...problems, ...loaded.diagnostics] };
}

/**
 * Reads, parses and schema-checks one YAML file (used for flow test files). `source` and
 * `data` are missing when the file cannot be read (an FS009 diagnostic); `data` is set only
 * when the YAML is clean and matches the schema.
 */
export function loadYamlFile(path: string, kind: SchemaKind): { source?: SourceFile; data?: unknown; diagnostics: Diagnostic[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { diagnostics: [unreadable(path, err)] };
  }
  const loaded = loadText(path, text, kind);
  return loaded.ok ? { source: loaded.source, data: loaded.source.data, diagnostics: loaded.diagnostics } : { source: loaded.source, diagnostics: loaded.diagnostics };
}
