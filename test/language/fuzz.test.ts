/**
 * Fuzzing `checkProjectTexts`: random edits of real flows (delete, duplicate or re-indent a
 * line, swap characters, insert YAML tokens) must never make it throw. Whatever the text,
 * the answer is a list of diagnostics, each with a position inside the file.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkProjectTexts } from '../../src/language/validate.js';

const root = new URL('../../', import.meta.url).pathname;

/** The example flows of flows/ (with bot.yaml), else the golden ok/ corpus. */
function corpus(): { path: string; text: string }[] {
  const read = (dir: string) => readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => ({ path: f, text: readFileSync(join(dir, f), 'utf8') }));
  const flows = join(root, 'flows');
  const files = existsSync(flows) ? read(flows) : [];
  return files.length > 0 ? files : read(join(root, 'test/golden/ok/helpdesk'));
}

const TOKENS = [
  ':', '- ', '{', '}', '[', ']', '"', "'", '|', '>', '#', '&a ', '*a', '<<: ', '---\n', '\t', '{{', '}}', '{{#if x}}',
  '{{/each}}', '{{uppr x}}', '{{user.nope}}', '{{env.SECRET}}', 'goto: nowhere', 'flow: nope', 'next: [{ if: "a >", goto: x }]',
  'ask: { save: x, type: pattern, pattern: "(" }', 'after: 0s', 'end: true', 'null', '~', '12', 'true', '\u{1F600}', '\n', '  ',
];

type Edit = (lines: string[]) => string[];
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.nat().map((i): Edit => (l) => l.filter((_, j) => j !== i % Math.max(1, l.length))),
  fc.nat().map((i): Edit => (l) => { const k = i % Math.max(1, l.length); return [...l.slice(0, k + 1), l[k] ?? '', ...l.slice(k + 1)]; }),
  fc.tuple(fc.nat(), fc.nat()).map(([i, c]): Edit => (l) => {
    const k = i % Math.max(1, l.length);
    const s = l[k] ?? '';
    if (s.length < 2) return l;
    const p = c % (s.length - 1);
    const copy = [...l];
    copy[k] = s.slice(0, p) + s[p + 1] + s[p] + s.slice(p + 2);
    return copy;
  }),
  fc.tuple(fc.nat(), fc.integer({ min: -4, max: 4 })).map(([i, d]): Edit => (l) => {
    const k = i % Math.max(1, l.length);
    const copy = [...l];
    const s = copy[k] ?? '';
    copy[k] = d >= 0 ? ' '.repeat(d) + s : s.replace(new RegExp(`^ {0,${-d}}`), '');
    return copy;
  }),
  fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...TOKENS)).map(([i, c, t]): Edit => (l) => {
    const k = i % Math.max(1, l.length);
    const copy = [...l];
    const s = copy[k] ?? '';
    const p = c % (s.length + 1);
    copy[k] = s.slice(0, p) + t + s.slice(p);
    return copy;
  }),
);

describe('checkProjectTexts under random edits', () => {
  const files = corpus();

  it('has a corpus to edit', () => expect(files.length).toBeGreaterThan(0));

  it('never throws, and every diagnostic points inside its file', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(edit, { minLength: 1, maxLength: 4 }), (which, edits) => {
        const target = which % files.length;
        const changed = files.map((f, i) => (i === target ? { path: f.path, text: edits.reduce((l, e) => e(l), f.text.split('\n')).join('\n') } : f));
        const { diagnostics } = checkProjectTexts('flows', changed);
        for (const d of diagnostics) {
          const text = changed.find((f) => f.path === d.file)?.text;
          expect(text, `diagnostic for an unknown file ${d.file}`).toBeDefined();
          const lines = text!.split('\n').length;
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.line).toBeLessThanOrEqual(lines);
          expect(d.column).toBeGreaterThanOrEqual(1);
          expect(d.message.length).toBeGreaterThan(10);
        }
      }),
      { numRuns: 200, seed: 20260101 },
    );
  });

  it('does not throw on an alias whose anchor is missing (a fuzz finding)', () => {
    expect(() => checkProjectTexts('flows', [{ path: 'a.yaml', text: 'states:\n  a: { say: *nope, end: true }\n' }])).not.toThrow();
  });
});
