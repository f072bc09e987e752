/**
 * Flow test files (`flows/tests/<name>.test.yaml`): loaded through the language's loader
 * (which checks them against `schemas/flow-test.schema.json`) and turned into plain steps,
 * each remembering its line so a failure can say where it is.
 */
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { isTestFileName, loadYamlFile } from '../language/load.js';
import type { SourceFile } from '../source/source-file.js';
import type { Profile } from '../engine/types.js';

/** An answer for `call` steps, matched by method and URL (and query when the mock gives one). */
export interface Mock {
  /** Default GET. */
  method?: string;
  url: string;
  /** Default 200. */
  status?: number;
  json?: unknown;
  /** Instead of a response, the call fails. */
  error?: 'timeout' | 'network';
}

export type Step =
  | { kind: 'bot'; text: string; quickReplies?: string[]; buttons?: string[]; line: number }
  | { kind: 'image'; url: string; line: number }
  | { kind: 'user'; text: string; line: number }
  | { kind: 'tap'; title: string; line: number }
  | { kind: 'wait'; duration: string; line: number }
  | { kind: 'ended'; ended: boolean; line: number }
  | { kind: 'state'; state: string; line: number }
  | { kind: 'vars'; vars: Record<string, unknown>; line: number };

export interface TestCase {
  name: string;
  line: number;
  user: Partial<Profile>;
  env: Record<string, string>;
  /** The test's own mocks first, then the file's. */
  mocks: Mock[];
  vars: Record<string, unknown>;
  steps: Step[];
}

export interface TestFile {
  path: string;
  /** The flow under test. */
  flow: string;
  tests: TestCase[];
  source: SourceFile;
}

interface RawTest {
  name: string;
  user?: Partial<Profile>;
  env?: Record<string, string>;
  mocks?: Mock[];
  vars?: Record<string, unknown>;
  steps: Array<Record<string, unknown>>;
}

interface RawFile {
  flow: string;
  user?: Partial<Profile>;
  env?: Record<string, string>;
  mocks?: Mock[];
  tests: RawTest[];
}

/** A `user:` value is always text, even when YAML reads it as a number or a boolean. */
export function userText(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

function toStep(raw: Record<string, unknown>, line: number): Step {
  if (raw.bot !== undefined) {
    const step: Step = { kind: 'bot', text: String(raw.bot), line };
    if (Array.isArray(raw.quick_replies)) step.quickReplies = raw.quick_replies.map(String);
    if (Array.isArray(raw.buttons)) step.buttons = raw.buttons.map(String);
    return step;
  }
  if (raw.image !== undefined) return { kind: 'image', url: String(raw.image), line };
  if (raw.user !== undefined) return { kind: 'user', text: userText(raw.user), line };
  if (raw.tap !== undefined) return { kind: 'tap', title: String(raw.tap), line };
  if (raw.wait !== undefined) return { kind: 'wait', duration: String(raw.wait), line };
  if (raw.ended !== undefined) return { kind: 'ended', ended: raw.ended === true, line };
  if (raw.state !== undefined) return { kind: 'state', state: String(raw.state), line };
  return { kind: 'vars', vars: (raw.vars ?? {}) as Record<string, unknown>, line };
}

/** Builds the test file from data that passed the schema. */
export function testFileFromData(path: string, data: unknown, source: SourceFile): TestFile {
  const raw = data as RawFile;
  const tests = raw.tests.map((t, i): TestCase => ({
    name: t.name,
    line: source.spanOf(['tests', i], 'key').line,
    user: { ...(t.user ?? raw.user ?? {}) },
    env: { ...(raw.env ?? {}), ...(t.env ?? {}) },
    mocks: [...(t.mocks ?? []), ...(raw.mocks ?? [])],
    vars: { ...(t.vars ?? {}) },
    steps: t.steps.map((s, j) => toStep(s, source.spanOf(['tests', i, 'steps', j], 'key').line)),
  }));
  return { path, flow: raw.flow, tests, source };
}

/** Loads a test file; `file` is absent when it has errors (the diagnostics say which). */
export function loadTestFile(path: string): { file?: TestFile; source?: SourceFile; diagnostics: Diagnostic[] } {
  const loaded = loadYamlFile(path, 'flow-test');
  const hasErrors = loaded.diagnostics.some((d) => d.severity === 'error');
  if (hasErrors || !loaded.source || loaded.data === undefined) return { ...(loaded.source ? { source: loaded.source } : {}), diagnostics: loaded.diagnostics };
  return { file: testFileFromData(path, loaded.data, loaded.source), source: loaded.source, diagnostics: loaded.diagnostics };
}

/** The flow test files of a folder: its own `*.test.yaml` and those of its `tests/` folder, sorted. */
export function findTestFiles(dir: string): string[] {
  const list = (d: string): string[] => {
    try {
      return readdirSync(d).filter(isTestFileName).sort().map((n) => join(d, n));
    } catch {
      return [];
    }
  };
  return [...list(dir), ...list(join(dir, 'tests'))];
}

/** The bot folder of a test file: the parent of its `tests/` folder, else its own folder. */
export function projectDirOf(testFile: string): string {
  const dir = dirname(testFile);
  return basename(dir) === 'tests' ? dirname(dir) : dir;
}
