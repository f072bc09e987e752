import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { simpleTemplate } from '../../src/language/rules/analysis.js';
import { analyzeTemplate } from '../../src/template/analyze.js';

describe('simpleTemplate (fast path of template analysis)', () => {
  it('reads plain {{name.path}} tags with their offsets, like analyzeTemplate', () => {
    for (const source of ['Hi {{user.first_name}}!', '{{ a }} and {{b.c.d}}', 'x }} y {{z}}', 'no tags']) {
      expect(simpleTemplate(source)).toEqual(analyzeTemplate(source));
    }
  });

  it('leaves everything else to analyzeTemplate', () => {
    for (const source of ['{{upper x}}', '{{#if x}}y{{/if}}', '{{{x}}}', '\\{{x}}', '{{true}}', '{{this}}', '{{x', '{{~x}}', '{{else}}', '{{items.[0]}}']) {
      expect(simpleTemplate(source)).toBeUndefined();
    }
  });

  it('agrees with analyzeTemplate whenever it answers', () => {
    const part = fc.constantFrom('{{', '}}', 'a', 'b.c', ' ', '.', 'user', '{', '}', 'x_1', '\\', '#', '~', 'true');
    fc.assert(fc.property(fc.array(part, { maxLength: 12 }), (parts) => {
      const source = parts.join('');
      const fast = simpleTemplate(source);
      if (fast !== undefined) expect(fast).toEqual(analyzeTemplate(source));
    }), { numRuns: 1000, seed: 7 });
  });
});
