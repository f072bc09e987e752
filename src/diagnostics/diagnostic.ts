/**
 * A diagnostic is a value, never an exception: loading, validation and compilation collect
 * them, then sort and dedupe them, and only the CLI prints them.
 * Lines and columns are 1-based; `endColumn` is exclusive (the column just after the span).
 */
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  /** Stable code from the catalogue (`src/diagnostics/codes.ts`), e.g. `FS101`. */
  code: string;
  /** Stable rule id, e.g. `unknown-state`. */
  rule: string;
  message: string;
  /** A concrete fix, e.g. `ask_email` for a misspelt target. */
  suggestion?: string;
}

/** A result that may carry a value, always carries its diagnostics. */
export interface Result<T> {
  value?: T;
  diagnostics: Diagnostic[];
}

/** Sorts by file, line, column, then code; drops exact duplicates. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of list) {
    const key = `${d.file}\0${d.line}\0${d.column}\0${d.code}\0${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}

export function countBySeverity(list: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const d of list) (d.severity === 'error' ? errors++ : warnings++);
  return { errors, warnings };
}
