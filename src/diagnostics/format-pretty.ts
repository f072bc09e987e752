/**
 * The human format of `flow validate`: one header line per diagnostic
 * (`file:line:col severity rule-id message`), the source line with the span underlined,
 * and a summary line `N errors, M warnings in K files`.
 */
import { countBySeverity, type Diagnostic } from './diagnostic.js';

export interface PrettyOptions {
  /** Number of files checked, for the summary line. */
  files: number;
  /** ANSI colours (only on a terminal, and never when NO_COLOR is set). Default false. */
  color?: boolean;
  /** The text of a file as named in the diagnostics, to show the offending line; undefined hides it. */
  sourceText?: (file: string) => string | undefined;
}

const ANSI = { red: '\x1b[31m', yellow: '\x1b[33m', bold: '\x1b[1m', dim: '\x1b[2m', reset: '\x1b[0m' } as const;

function paint(on: boolean, codes: string, text: string): string {
  return on ? `${codes}${text}${ANSI.reset}` : text;
}

/** `1 error`, `2 errors`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The summary line, e.g. `2 errors, 1 warning in 3 files`. */
export function summaryLine(diagnostics: readonly Diagnostic[], files: number): string {
  const { errors, warnings } = countBySeverity(diagnostics);
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files, 'file')}`;
}

/**
 * The source line of a diagnostic with its span underlined by carets, e.g.
 * ```
 *   14 |     next: ask_emial
 *      |           ^^^^^^^^^
 * ```
 * A span over several lines is underlined to the end of its first line. Tabs in the line are
 * kept under the carets so they stay aligned. Returns [] when the line does not exist.
 */
export function underline(text: string, d: Pick<Diagnostic, 'line' | 'column' | 'endLine' | 'endColumn'>, color = false, caretColor: string = ANSI.red): string[] {
  const lines = text.split(/\r?\n/);
  const line = lines[d.line - 1];
  if (line === undefined) return [];
  const start = Math.max(0, Math.min(d.column - 1, line.length));
  const end = d.endLine > d.line ? line.length : Math.min(Math.max(d.endColumn - 1, start), line.length);
  const width = Math.max(1, end - start);
  const number = String(d.line);
  const gutter = `  ${number} | `;
  const blank = `  ${' '.repeat(number.length)} | `;
  const lead = line.slice(0, start).replace(/[^\t]/g, ' ');
  return [`${paint(color, ANSI.dim, gutter)}${line}`, `${paint(color, ANSI.dim, blank)}${lead}${paint(color, caretColor, '^'.repeat(width))}`];
}

/** The whole pretty report, ending with a newline. */
export function formatPretty(diagnostics: readonly Diagnostic[], options: PrettyOptions): string {
  const color = options.color ?? false;
  const out: string[] = [];
  for (const d of diagnostics) {
    const sevColor = d.severity === 'error' ? ANSI.red : ANSI.yellow;
    out.push(`${paint(color, ANSI.bold, `${d.file}:${d.line}:${d.column}`)} ${paint(color, sevColor + ANSI.bold, d.severity)} ${paint(color, ANSI.dim, d.rule)} ${d.message}`);
    const text = options.sourceText?.(d.file);
    if (text !== undefined) out.push(...underline(text, d, color, sevColor));
  }
  if (diagnostics.length > 0) out.push('');
  out.push(summaryLine(diagnostics, options.files));
  return out.join('\n') + '\n';
}
