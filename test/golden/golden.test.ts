/**
 * Golden diagnostics (house style 9, actionlint's testdata): every case under `err/` must
 * produce exactly the diagnostics of its `.out` file, every case under `ok/` (and the
 * example flows in `flows/`) must produce none. `UPDATE_GOLDEN=1 npx vitest run test/golden`
 * rewrites the `.out` files; review the diff before committing. Format: see README.md.
 */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { checkProjectTexts } from '../../src/language/validate.js';

const here = new URL('.', import.meta.url).pathname;
const update = process.env.UPDATE_GOLDEN === '1';

/** A case: one `.yaml` file, or a folder of them (bot.yaml and several flows). */
function cases(dir: string): { name: string; files: { path: string; text: string }[] }[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.yaml') || statSync(join(dir, n)).isDirectory())
    .sort()
    .map((n) => {
      const full = join(dir, n);
      if (!statSync(full).isDirectory()) return { name: n.replace(/\.yaml$/, ''), files: [{ path: n, text: readFileSync(full, 'utf8') }] };
      const files = readdirSync(full).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => ({ path: f, text: readFileSync(join(full, f), 'utf8') }));
      return { name: n, files };
    });
}

/** One line per diagnostic: `file:line:column severity code rule message`. */
export function formatGolden(list: readonly Diagnostic[]): string {
  return list.map((d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.rule} ${d.message}${d.suggestion === undefined ? '' : ` [suggestion: ${d.suggestion}]`}`).join('\n') + (list.length ? '\n' : '');
}

describe('golden: wrong flows', () => {
  const list = cases(join(here, 'err'));
  it('has at least 40 cases', () => expect(list.length).toBeGreaterThanOrEqual(40));
  for (const c of list) {
    it(c.name, () => {
      const actual = formatGolden(checkProjectTexts('.', c.files).diagnostics);
      expect(actual, 'a wrong case must produce diagnostics').not.toBe('');
      const outPath = join(here, 'err', `${c.name}.out`);
      if (update || !existsSync(outPath)) writeFileSync(outPath, actual);
      expect(actual).toBe(readFileSync(outPath, 'utf8'));
    });
  }
});

describe('golden: flows that must produce nothing', () => {
  const examples = join(here, '..', '..', 'flows');
  const corpora = [join(here, 'ok'), ...(existsSync(examples) ? [examples] : [])];
  for (const dir of corpora) {
    const label = relative(join(here, '..', '..'), dir);
    const all = cases(dir);
    // flows/ is one bot folder; ok/ holds one case per file or folder.
    const groups = dir === examples ? [{ name: 'flows', files: all.filter((c) => c.files.length === 1).flatMap((c) => c.files) }] : all;
    for (const c of groups) {
      it(`${label}: ${c.name}`, () => {
        expect(formatGolden(checkProjectTexts('.', c.files).diagnostics)).toBe('');
      });
    }
  }
});
