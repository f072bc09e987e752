/**
 * Keeps the catalogue of codes (src/diagnostics/codes.ts), the docs (docs/diagnostics.md)
 * and the semantic rules (src/language/rules/index.ts) in step (house style 4).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allCodes, codeInfo } from '../../src/diagnostics/codes.js';
import { RULES } from '../../src/language/rules/index.js';

const docs = readFileSync(new URL('../../docs/diagnostics.md', import.meta.url), 'utf8');
const sections = [...docs.matchAll(/^## (FS\d{3}) (\S+)\s*$/gm)].map((m) => ({ code: m[1]!, rule: m[2]! }));

describe('diagnostic catalogue', () => {
  it('documents every code of the catalogue, under its rule id', () => {
    const documented = new Map(sections.map((s) => [s.code, s.rule]));
    const missing = allCodes().filter((c) => documented.get(c.code) !== c.rule).map((c) => `## ${c.code} ${c.rule}`);
    expect(missing, 'add these sections to docs/diagnostics.md').toEqual([]);
  });

  it('documents no code that the catalogue lacks, and each code once', () => {
    expect(sections.filter((s) => codeInfo(s.code) === undefined).map((s) => s.code)).toEqual([]);
    expect(sections.length).toBe(new Set(sections.map((s) => s.code)).size);
  });

  it('gives each documented code an example and the fix', () => {
    for (const { code } of sections) {
      const body = docs.slice(docs.indexOf(`## ${code} `)).split(/^## /m)[1]!;
      expect(body, code).toMatch(/^Message:$/m);
      expect(body, code).toMatch(/^Fix: \S/m);
      expect(body, code).toContain(code);
    }
  });

  it('has a catalogue entry for every semantic rule, and a rule for every FS2xx-FS6xx code', () => {
    const codes = allCodes();
    const ruleIds = RULES.map((r) => r.id);
    expect(ruleIds.filter((id) => !codes.some((c) => c.rule === id))).toEqual([]);
    expect(new Set(ruleIds).size).toBe(ruleIds.length);
    const semantic = codes.filter((c) => /^FS[2-6]/.test(c.code)).map((c) => c.rule);
    expect(semantic.filter((rule) => !ruleIds.includes(rule))).toEqual([]);
  });

  it('keeps codes unique and in the form FSnnn', () => {
    const codes = allCodes();
    expect(new Set(codes.map((c) => c.code)).size).toBe(codes.length);
    expect(new Set(codes.map((c) => c.rule)).size).toBe(codes.length);
    for (const c of codes) expect(c.code).toMatch(/^FS\d{3}$/);
  });
});
