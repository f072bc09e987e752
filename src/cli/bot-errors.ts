/**
 * Errors that stop `flow chat`, `flow test` and `flow graph` before they start, printed the
 * way `flow validate` prints them: file names as the person typed them, sorted, each with the
 * offending line of its own file quoted.
 */
import { sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { formatPretty } from '../diagnostics/format-pretty.js';
import type { Project } from '../language/project.js';
import { useColor, type CliIo, type CliOutput } from './io.js';
import { displayPath } from './paths.js';

/** The texts of a bot's files (its flows and `bot.yaml`), by path, to quote the lines. */
export function projectTexts(project: Project): Map<string, string> {
  const texts = new Map<string, string>();
  for (const f of project.flows) texts.set(f.path, f.source.text);
  if (project.botSource) texts.set(project.botSource.path, project.botSource.text);
  return texts;
}

/** The number of files of a bot (its flows and `bot.yaml`), for the summary line. */
export function projectFileCount(project: Project): number {
  return project.flows.length + (project.botSource ? 1 : 0);
}

/**
 * Writes the errors among `diagnostics` to `out` (default stdout) in the pretty format;
 * `texts` holds the files' texts by path (as in the diagnostics), `files` is how many files
 * were checked.
 */
export function printErrors(io: CliIo, diagnostics: readonly Diagnostic[], texts: ReadonlyMap<string, string>, files: number, out: CliOutput = io.stdout): void {
  const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => ({ ...d, file: displayPath(io.cwd, d.file) }));
  const byShown = new Map([...texts].map(([path, text]) => [displayPath(io.cwd, path), text]));
  out.write(formatPretty(sortDiagnostics(errors), { files, color: useColor(io, out), sourceText: (f) => byShown.get(f) }));
}
