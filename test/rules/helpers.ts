/**
 * Test helpers for the semantic rules: load a small folder from texts (the real loader, so
 * snippets are also checked against the schema), run every rule, and keep one rule's
 * diagnostics.
 */
import { expect } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { loadProjectFromTexts } from '../../src/language/load.js';
import { validateProject } from '../../src/language/validate.js';

/** A flow text (saved as flows/main.yaml) or a map from file name to text. */
export type Files = string | Record<string, string>;

/** Strips the common indentation of a template literal, so snippets can be indented in tests. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/**
 * The diagnostics of `rule` for the given files. Fails the test when loading reports a YAML
 * or schema problem: a rule only ever sees schema-valid flows, so a snippet must be one.
 */
export function check(rule: string, files: Files): Diagnostic[] {
  const map = typeof files === 'string' ? { 'main.yaml': files } : files;
  const loaded = loadProjectFromTexts('flows', Object.entries(map).map(([name, text]) => ({ path: `flows/${name}`, text })));
  expect(loaded.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([]);
  return validateProject(loaded.project).filter((d) => d.rule === rule);
}

/** `line:column` of each diagnostic, for compact assertions. */
export function at(list: readonly Diagnostic[]): string[] {
  return list.map((d) => `${d.line}:${d.column}`);
}
