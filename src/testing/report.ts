/**
 * The text `flow test` prints: each test with ✓ or ✗ (and, for a failure, the step, its
 * line, and what was expected against what happened), then per flow the states and
 * transitions no test reached, then a summary line.
 */
import type { Project } from '../language/project.js';
import { describeTransition, type Coverage } from './coverage.js';
import type { FileResult } from './run-files.js';

export interface ReportOptions {
  /** Shows a path the way the person typed it (relative to the working directory). */
  display: (path: string) => string;
  color?: boolean;
}

const GREEN = '\x1b[32m';
const RED = '\x1b[31m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/** The results of the test files, one block per file. */
export function formatResults(results: readonly FileResult[], options: ReportOptions): string {
  const c = (code: string, text: string) => (options.color ? `${code}${text}${RESET}` : text);
  const out: string[] = [];
  for (const r of results) {
    out.push(`${options.display(r.file.path)} ${c(DIM, `(flow ${r.file.flow})`)}`);
    if (r.problem) out.push(`  ${c(RED, '✗')} ${r.problem}`);
    for (const t of r.results) {
      if (t.passed) {
        out.push(`  ${c(GREEN, '✓')} ${t.name}`);
        continue;
      }
      const f = t.failure!;
      const where = f.step > 0 ? `step ${f.step}, line ${f.line}` : `after the last step, line ${f.line}`;
      out.push(`  ${c(RED, '✗')} ${t.name}`);
      out.push(`      ${c(DIM, `${options.display(r.file.path)}:${f.line}`)} (${where})`);
      out.push(`      ${f.message}`);
    }
  }
  return out.length ? out.join('\n') + '\n' : '';
}

/** Per flow of the project: what no test reached, or that everything was. */
export function formatCoverage(project: Project, coverage: Coverage): string {
  const out: string[] = [];
  for (const file of [...project.flows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    if (!file.flow) continue;
    const states = coverage.statesNotReached(file.id, file.flow);
    const moves = coverage.transitionsNotReached(file.id, file.flow);
    if (!coverage.touched(file.id)) {
      out.push(`  ${file.id}: no passing test reaches this flow`);
      continue;
    }
    if (states.length === 0 && moves.length === 0) {
      out.push(`  ${file.id}: every state and transition reached`);
      continue;
    }
    out.push(`  ${file.id}:`);
    if (states.length) out.push(`    states not reached: ${states.join(', ')}`);
    if (moves.length) out.push(`    transitions not reached: ${moves.map(describeTransition).join('; ')}`);
  }
  return out.length ? `Coverage\n${out.join('\n')}\n` : '';
}

/** `5 tests: 4 passed, 1 failed` (and files that could not run). */
export function formatSummary(results: readonly FileResult[]): string {
  const all = results.flatMap((r) => r.results);
  const failed = all.filter((t) => !t.passed).length;
  const broken = results.filter((r) => r.problem).length;
  const tests = `${all.length} test${all.length === 1 ? '' : 's'}: ${all.length - failed} passed, ${failed} failed`;
  return `${tests}${broken ? `; ${broken} file${broken === 1 ? '' : 's'} could not run` : ''}\n`;
}
