/**
 * `flow validate [paths...]`: checks flows (schema and every semantic rule) and `bot.yaml`,
 * and prints the diagnostics as pretty text, JSON or GitHub annotations.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { sortDiagnostics, countBySeverity, type Diagnostic } from '../diagnostics/diagnostic.js';
import { formatPretty } from '../diagnostics/format-pretty.js';
import { formatJson } from '../diagnostics/format-json.js';
import { formatGithub } from '../diagnostics/format-github.js';
import { checkProjectDir } from '../language/validate.js';
import { BOT_FILE_NAME, isTestFileName, isYamlFile, loadYamlFile } from '../language/load.js';
import type { Project } from '../language/project.js';
import { findTestFiles } from '../testing/test-file.js';
import type { Command } from './command.js';
import { choiceOption, countOption, parseCommandArgs } from './args.js';
import { EXIT, UsageError, useColor, type CliIo } from './io.js';
import { displayPath, resolveTargets } from './paths.js';

const FORMATS = ['pretty', 'json', 'github'] as const;
type Format = (typeof FORMATS)[number];

/** The diagnostics of some paths, with file names relative to `cwd`, and the texts to quote. */
export interface CheckedPaths {
  diagnostics: Diagnostic[];
  files: number;
  /** Source text by displayed file name. */
  texts: Map<string, string>;
}

function isTestFile(path: string): boolean {
  return isTestFileName(basename(path));
}


/**
 * Checks folders and files as `flow validate` does: a folder means every flow in it and its
 * `bot.yaml`; a file means that file, with `bot.yaml` and the other flows of its folder read
 * for cross-references; a `*.test.yaml` file is checked as a flow test file.
 */
export function checkPaths(command: string, cwd: string, paths: readonly string[]): CheckedPaths {
  const targets = resolveTargets(command, cwd, paths);
  const projects = new Map<string, { project: Project; diagnostics: Diagnostic[] }>();
  const checkDir = (dir: string) => {
    let entry = projects.get(dir);
    if (!entry) projects.set(dir, (entry = checkProjectDir(dir)));
    return entry;
  };
  const collected: Diagnostic[] = [];
  const absTexts = new Map<string, string>();
  const counted = new Set<string>();
  const remember = (project: Project) => {
    for (const f of project.flows) absTexts.set(resolve(f.path), f.source.text);
    if (project.botSource) absTexts.set(resolve(project.botSource.path), project.botSource.text);
  };
  const checkTestFile = (path: string): void => {
    if (counted.has(path)) return;
    const loaded = loadYamlFile(path, 'flow-test');
    if (loaded.source) absTexts.set(path, loaded.source.text);
    collected.push(...loaded.diagnostics);
    counted.add(path);
  };
  for (const target of targets) {
    if (target.kind === 'dir') {
      const { project, diagnostics } = checkDir(target.path);
      remember(project);
      collected.push(...diagnostics);
      for (const f of project.flows) counted.add(resolve(f.path));
      if (project.botSource) counted.add(resolve(project.botSource.path));
      // The folder's flow test files are checked too (their shape; `flow test` runs them).
      for (const file of findTestFiles(target.path)) checkTestFile(file);
      continue;
    }
    if (isTestFile(target.path)) {
      checkTestFile(target.path);
      continue;
    }
    if (!isYamlFile(target.path)) {
      throw new UsageError(`"${target.given}" is not a flow file: flows are .yaml or .yml files (or give a folder of flows).`);
    }
    const { project, diagnostics } = checkDir(dirname(target.path));
    remember(project);
    // The file's own diagnostics (the folder's paths are absolute, as `target.path`). A file
    // that could not be read is not among the flows, but has its FS009 diagnostic.
    const own = diagnostics.filter((d) => resolve(d.file) === target.path);
    const known = basename(target.path) === BOT_FILE_NAME || own.length > 0 || project.flows.some((f) => resolve(f.path) === target.path);
    if (!known) throw new UsageError(`"${target.given}" was not read as a flow of its folder ${displayPath(cwd, dirname(target.path))}.`);
    collected.push(...own);
    counted.add(target.path);
  }
  const texts = new Map<string, string>();
  const shown = collected.map((d) => {
    const abs = resolve(d.file);
    const file = displayPath(cwd, abs);
    const text = absTexts.get(abs);
    if (text !== undefined) texts.set(file, text);
    else if (!texts.has(file)) {
      try {
        texts.set(file, readFileSync(abs, 'utf8'));
      } catch {
        // The diagnostic itself says the file cannot be read; there is no line to show.
      }
    }
    return { ...d, file };
  });
  return { diagnostics: sortDiagnostics(shown), files: counted.size, texts };
}

/** Writes diagnostics in a format (`flow validate`). */
export function printDiagnostics(io: CliIo, checked: CheckedPaths, format: Format): void {
  if (format === 'json') io.stdout.write(formatJson(checked.diagnostics, checked.files));
  else if (format === 'github') io.stdout.write(formatGithub(checked.diagnostics));
  else io.stdout.write(formatPretty(checked.diagnostics, { files: checked.files, color: useColor(io), sourceText: (f) => checked.texts.get(f) }));
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check flows and bot.yaml (schema and every rule); default path flows/',
  help: [
    'Usage: flow validate [options] [paths...]',
    '',
    'Checks flows (schema and every semantic rule) and bot.yaml. A folder means every flow in',
    'it and its bot.yaml; a file means that file (bot.yaml and the other flows of its folder',
    'are read for cross-references). Default path: flows/',
    '',
    'Options:',
    '  --format pretty|json|github  output format (default pretty)',
    '  --max-warnings N             fail (exit 1) when there are more than N warnings',
    '  -h, --help                   show this help',
    '',
    'Exit codes: 0 no errors, 1 errors (or too many warnings), 2 bad usage, 3 internal failure.',
    '',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('validate', args, {
      format: { type: 'string' },
      'max-warnings': { type: 'string' },
    });
    const format = choiceOption('validate', 'format', values.format, FORMATS, 'pretty');
    const maxWarnings = countOption('validate', 'max-warnings', values['max-warnings']);
    const checked = checkPaths('validate', io.cwd, positionals);
    printDiagnostics(io, checked, format);
    const { errors, warnings } = countBySeverity(checked.diagnostics);
    if (errors > 0) return EXIT.problems;
    if (maxWarnings !== undefined && warnings > maxWarnings) {
      if (format === 'pretty') io.stdout.write(`Too many warnings: ${warnings}, more than --max-warnings ${maxWarnings}.\n`);
      return EXIT.problems;
    }
    return EXIT.ok;
  },
};
