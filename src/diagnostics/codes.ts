/**
 * The catalogue of every diagnostic the validator can report: one entry per code, with its
 * rule id, severity and a one-line summary. `docs/diagnostics.md` documents each code with a
 * wrong example, the message and the fix; `test/diagnostics/catalogue.test.ts` keeps the two
 * in step. Codes are stable: never reuse or renumber one.
 *
 * Ranges: FS0xx YAML, FS1xx file shape (schema), FS2xx states and targets, FS3xx questions
 * (`ask`), FS4xx platform limits and payloads, FS5xx templates, conditions and variables,
 * FS6xx bot settings and cross-file checks, FS7xx flow tests.
 */
import type { Severity } from './diagnostic.js';

export interface CodeInfo {
  code: string;
  rule: string;
  severity: Severity;
  summary: string;
}

const list = [
  // YAML
  { code: 'FS001', rule: 'yaml-syntax', severity: 'error', summary: 'The file is not valid YAML.' },
  { code: 'FS002', rule: 'yaml-duplicate-key', severity: 'error', summary: 'A key appears twice in the same map.' },
  { code: 'FS003', rule: 'yaml-tab-indent', severity: 'error', summary: 'A tab is used for indentation.' },
  { code: 'FS004', rule: 'yaml-multiple-documents', severity: 'error', summary: 'The file holds several YAML documents (`---`).' },
  { code: 'FS005', rule: 'yaml-anchor', severity: 'error', summary: 'Anchors (`&name`) are not allowed.' },
  { code: 'FS006', rule: 'yaml-alias', severity: 'error', summary: 'Aliases (`*name`) are not allowed.' },
  { code: 'FS007', rule: 'yaml-merge-key', severity: 'error', summary: 'Merge keys (`<<`) are not allowed.' },
  { code: 'FS008', rule: 'yaml-empty-file', severity: 'error', summary: 'The file is empty.' },
  { code: 'FS009', rule: 'file-unreadable', severity: 'error', summary: 'The file could not be read.' },
  // --- FS1xx: file shape (schema validation, src/language/schema*.ts) ---
  // --- end FS1xx ---
  // --- FS2xx-FS6xx: semantic rules (src/language/rules/) ---
  // --- end FS2xx-FS6xx ---
  // --- FS7xx: flow test files ---
  // --- end FS7xx ---
] as const satisfies readonly CodeInfo[];

const byCodeMap = new Map<string, CodeInfo>(list.map((c) => [c.code, c]));
const byRuleMap = new Map<string, CodeInfo>(list.map((c) => [c.rule, c]));

/** Every code, sorted. */
export function allCodes(): CodeInfo[] {
  return [...list].sort((a, b) => (a.code < b.code ? -1 : 1));
}

export function codeInfo(code: string): CodeInfo | undefined {
  return byCodeMap.get(code);
}

export function codeForRule(rule: string): CodeInfo {
  const info = byRuleMap.get(rule);
  if (!info) throw new Error(`unknown diagnostic rule ${rule}`);
  return info;
}
