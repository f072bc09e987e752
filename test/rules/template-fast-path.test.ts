import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fastTemplate } from '../../src/language/rules/template-fast-path.js';
import { analyzeTemplate } from '../../src/template/analyze.js';

describe('fastTemplate (helper calls and if/unless blocks without Handlebars)', () => {
  it('reads helper calls, subexpressions and if/unless blocks like analyzeTemplate', () => {
    const sources = [
      '{{upper choice}} x{{count}}',
      '{{#if (gt count 3)}}Many{{else}}Few{{/if}} items.',
      '{{# unless ok}}\n  {{default user.first_name "there"}}\n{{/ unless }}',
      '{{join items ", "}} and {{ number total }}',
      '{{#if (and (eq a.b 1) (not c))}}{{lower d}}{{/if}}',
      '{{date when \'short\'}}: {{length list}} {{upper}}',
      '{{#if a}}{{#unless b}}x{{else}}{{c}}{{/unless}}{{/if}}',
      '{{default name "}} {{"}} {{gt -1 2.5}}',
    ];
    for (const source of sources) {
      const fast = fastTemplate(source);
      expect(fast, source).toBeDefined();
      expect(fast).toEqual(analyzeTemplate(source));
    }
    expect(fastTemplate('{{#if (gt count 3)}}Many{{/if}}')!.refs).toEqual([{ path: ['count'], start: 10, end: 15 }]);
  });

  it('leaves everything else to analyzeTemplate', () => {
    const sources = [
      '{{#each items}}{{name}}{{/each}}', '{{#with t}}{{id}}{{/with}}', '{{shout x}}', '{{if x}}', '{{#if}}x{{/if}}',
      '{{#if a b}}x{{/if}}', '{{#if a}}x', '{{#if a}}x{{/unless}}', '{{else}}', '{{#if a}}{{else}}{{else}}{{/if}}',
      '{{#if a}}{{else if b}}{{/if}}', '{{upper x=1}}', '{{upper ../x}}', '{{upper @index}}', '{{upper this}}',
      '{{upper true}}', '{{~upper x}}', '{{upper x~}}', '{{!-- c --}}', '{{> p}}', '{{{x}}}', '\\{{x}}', '{{upper "a\\"b"}}',
      '{{upper x}}}', '{{upper (lower)}}', '{{upper(lower x)}}', '{{a.[0]}}', '{{upper x', '{{ else }}', '{{&x}}', '{{a-b}}',
    ];
    for (const source of sources) expect(fastTemplate(source), source).toBeUndefined();
  });

  it('agrees with analyzeTemplate whenever it answers (generated templates)', () => {
    const part = fc.constantFrom(
      '{{', '}}', '{{#if ', '{{#unless ', '{{/if}}', '{{/unless}}', '{{else}}', '{{#each ', '{{/each}}', 'upper ', 'gt ', 'default ',
      'shout ', 'if ', 'a', 'b.c', ' ', '\n', '(', ')', '"s"', "'t'", '1', '-2', '3.5', 'true', 'this', '.', '~', '#', '/', '=', '@x',
      '{', '}', 'text ', 'x_1', 'else',
    );
    let answered = 0;
    fc.assert(fc.property(fc.array(part, { maxLength: 16 }), (parts) => {
      const source = parts.join('');
      const fast = fastTemplate(source);
      if (fast === undefined) return;
      answered++;
      expect(fast).toEqual(analyzeTemplate(source));
    }), { numRuns: 4000, seed: 11 });
    // The property must not hold only because the fast path never answers.
    expect(answered).toBeGreaterThan(100);
  });
});
