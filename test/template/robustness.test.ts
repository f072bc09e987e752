import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeTemplate } from '../../src/template/analyze.js';
import { compileTemplate } from '../../src/template/render.js';

const templateish = fc.stringMatching(/^[{}#/a-z. "()=|@^>!~\\-]{0,30}$/);

describe('templates on arbitrary text', () => {
  it('shows any typed text unchanged', () => {
    const t = compileTemplate('{{input}}');
    fc.assert(fc.property(fc.string(), (input) => t({ user: {}, vars: {}, env: {}, language: 'en', input }) === input), { numRuns: 200 });
  });

  it('analysis never throws and keeps offsets inside the source', () => {
    fc.assert(fc.property(templateish, (source) => {
      const { refs, helpers, error } = analyzeTemplate(source);
      for (const span of [...refs, ...helpers, ...(error ? [error] : [])]) {
        expect(span.start).toBeGreaterThanOrEqual(0);
        expect(span.end).toBeGreaterThanOrEqual(span.start);
        expect(span.end).toBeLessThanOrEqual(source.length);
      }
    }), { numRuns: 300 });
  });

  it('rendering never throws', () => {
    fc.assert(fc.property(templateish, (source) => {
      expect(typeof compileTemplate(source)({ user: {}, vars: { a: [1], b: { c: 'd' } }, env: {}, language: 'fr' })).toBe('string');
    }), { numRuns: 200 });
  });
});
