/**
 * GitHub Actions workflow commands for `flow validate --format github`: one line per
 * diagnostic, `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=RULE::message`,
 * which GitHub shows as annotations on the pull request's diff.
 */
import type { Diagnostic } from './diagnostic.js';

/** Escapes a command's message the way GitHub's toolkit does (`%`, CR, LF). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value (`%`, CR, LF, `:` and `,`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One annotation line (no trailing newline). */
export function githubAnnotation(d: Diagnostic): string {
  const props = [
    `file=${escapeProperty(d.file)}`,
    `line=${d.line}`,
    `col=${d.column}`,
    `endLine=${d.endLine}`,
    `endColumn=${d.endColumn}`,
    `title=${escapeProperty(d.rule)}`,
  ].join(',');
  return `::${d.severity} ${props}::${escapeData(`${d.message} (${d.code})`)}`;
}

/** Every annotation, each on its own line, ending with a newline (empty when there are none). */
export function formatGithub(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => githubAnnotation(d) + '\n').join('');
}
