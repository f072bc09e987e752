/**
 * The machine format of `flow validate --format json`: one JSON document
 * `{"files", "errors", "warnings", "diagnostics": [...]}` with the diagnostics sorted by
 * file, line and column, each with exactly the keys of the spec in a fixed order.
 */
import { countBySeverity, sortDiagnostics, type Diagnostic } from './diagnostic.js';

export interface JsonReport {
  files: number;
  errors: number;
  warnings: number;
  diagnostics: Diagnostic[];
}

/** The report as a value (diagnostics sorted, keys in the documented order). */
export function jsonReport(diagnostics: readonly Diagnostic[], files: number): JsonReport {
  const sorted = sortDiagnostics(diagnostics).map((d) => {
    const out: Diagnostic = {
      file: d.file,
      line: d.line,
      column: d.column,
      endLine: d.endLine,
      endColumn: d.endColumn,
      severity: d.severity,
      code: d.code,
      rule: d.rule,
      message: d.message,
    };
    if (d.suggestion !== undefined) out.suggestion = d.suggestion;
    return out;
  });
  return { files, ...countBySeverity(sorted), diagnostics: sorted };
}

/** The report as text: indented JSON followed by a newline. */
export function formatJson(diagnostics: readonly Diagnostic[], files: number): string {
  return JSON.stringify(jsonReport(diagnostics, files), null, 2) + '\n';
}
