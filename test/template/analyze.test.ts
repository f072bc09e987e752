import { describe, expect, it } from 'vitest';
import { analyzeTemplate, type TemplateAnalysis } from '../../src/template/analyze.js';

/** Refs as [dotted path, the text they cover], which checks the offsets too. */
function refs(source: string): Array<[string, string]> {
  return analyzeTemplate(source).refs.map((r) => [r.path.join('.'), source.slice(r.start, r.end)]);
}

function problem(source: string): { message: string; text: string; start: number } | undefined {
  const { error } = analyzeTemplate(source);
  return error && { message: error.message, text: source.slice(error.start, error.end), start: error.start };
}

describe('analyzeTemplate: refs', () => {
  it('reports a path with the offsets of the path itself', () => {
    const analysis = analyzeTemplate('Ticket {{ticket.id}} is open.');
    expect(analysis).toEqual<TemplateAnalysis>({ refs: [{ path: ['ticket', 'id'], start: 9, end: 18 }], helpers: [] });
  });

  it('counts offsets across lines, including \\r\\n line ends', () => {
    const source = 'Hello\r\n{{user.first_name}},\nyou wrote {{ problem }}';
    expect(analyzeTemplate(source).refs).toEqual([
      { path: ['user', 'first_name'], start: 9, end: 24 },
      { path: ['problem'], start: 41, end: 48 },
    ]);
  });

  it('reports helper arguments, sub-expressions and options, not helper names', () => {
    expect(refs('{{upper user.name}} {{#if (and (gt days 10) (eq user.department "Sales"))}}x{{/if}} {{date start style=fmt}}'))
      .toEqual([['user.name', 'user.name'], ['days', 'days'], ['user.department', 'user.department'], ['start', 'start'], ['fmt', 'fmt']]);
  });

  it('reports the value of #each and #with, and inside them only what reaches the top', () => {
    const source = '{{#each items as |item i|}}{{item.name}} {{name}} {{this}} {{@index}} {{i}} {{@root.site}} {{../owner.name}}{{else}}{{empty_text}}{{/each}}';
    expect(refs(source)).toEqual([['items', 'items'], ['site', '@root.site'], ['owner.name', '../owner.name'], ['empty_text', 'empty_text']]);
    expect(refs('{{#with ticket}}{{id}} {{#each tags}}{{../../x}}{{../y}}{{/each}}{{/with}}')).toEqual([['ticket', 'ticket'], ['x', '../../x']]);
  });

  it('treats #if and #unless as keeping the scope', () => {
    expect(refs('{{#if approved}}{{name}}{{else}}{{reason}}{{/if}}{{#unless a}}{{b}}{{/unless}}'))
      .toEqual([['approved', 'approved'], ['name', 'name'], ['reason', 'reason'], ['a', 'a'], ['b', 'b']]);
  });

  it('reports this.x and [literal] segments at the top level, and skips data names', () => {
    expect(refs('{{this.problem}} {{a.[0]}} {{[first name]}} {{this}} {{@index}} {{@root}} {{"text"}} {{42}}'))
      .toEqual([['problem', 'this.problem'], ['a.0', 'a.[0]'], ['first name', '[first name]']]);
  });

  it('treats a helper name without arguments as a value', () => {
    expect(refs('{{number}} {{date}}')).toEqual([['number', 'number'], ['date', 'date']]);
  });
});

describe('analyzeTemplate: helpers', () => {
  it('lists only unknown helpers, with the offsets of their names', () => {
    const source = '{{shout name}} {{upper name}} {{#ticket}}{{id}}{{/ticket}} {{eq (lookup this "a") 1}} {{user.name "x"}}';
    const { helpers } = analyzeTemplate(source);
    expect(helpers.map((h) => [h.name, source.slice(h.start, h.end)])).toEqual([
      ['shout', 'shout'], ['ticket', 'ticket'], ['lookup', 'lookup'], ['user.name', 'user.name'],
    ]);
    expect(helpers[0]).toEqual({ name: 'shout', start: 2, end: 7 });
  });

  it('knows every documented helper', () => {
    const source = '{{eq a 1}}{{ne a 1}}{{gt a 1}}{{gte a 1}}{{lt a 1}}{{lte a 1}}{{and a 1}}{{or a 1}}{{not a}}{{default a 1}}' +
      '{{upper a}}{{lower a}}{{capitalize a}}{{number a 1}}{{date a "long"}}{{join a ","}}{{length a}}' +
      '{{#if a}}{{/if}}{{#unless a}}{{/unless}}{{#each a}}{{/each}}{{#with a}}{{/with}}';
    expect(analyzeTemplate(source)).toEqual({ refs: expect.any(Array), helpers: [] });
  });
});

describe('analyzeTemplate: problems', () => {
  const cases: Array<[string, string, string]> = [
    ['Hi {{user.first_name', '{{', 'This template has an opening "{{" without its closing "}}".'],
    ['Hi {{user.first_name}', '{{', 'This template has an opening "{{" without its closing "}}".'],
    ['a {{#if x}}b', '{{#if x}}', 'The block "{{#if}}" is never closed: add "{{/if}}" where it should end.'],
    ['{{#if x}}b{{/each}}', '{{/each}}', '"{{/each}}" closes the block "{{#if}}": write "{{/if}}" here, or check which block you meant to close.'],
    ['{{/if}}', '{{/if}}', 'This closing "{{/if}}" has no opening "{{#if ...}}" before it.'],
    ['{{else}}', '{{else}}', '"{{else}}" is outside any block: use it between "{{#if ...}}" and "{{/if}}".'],
    ['{{#if a}}{{else}}{{else}}{{/if}}', '{{else}}', 'This block already has an "{{else}}": a block has at most one (write "{{else if ...}}" to test more cases).'],
    ['{{foo "bar}}', '"', 'This quoted text has no closing quote: add the matching " at its end.'],
    ['{{ }}', '}}', 'This "{{ }}" is empty: put a name inside, such as "{{user.first_name}}".'],
    ['{{foo bar=}}', '}}', 'Expected a value after "=", as in name="value".'],
    ['{{eq (lower a "b"}}', '}}', 'A "(" is not closed: add ")" before "}}".'],
    ['{{a)}}', ')', 'This ")" has no "(" before it: remove it, or add the missing "(".'],
    ['{{a == b}}', '=', '"=" cannot be used here: to compare two values write "{{#if (eq a b)}}...{{/if}}"; "=" only joins an option to its value, as in name=value.'],
    ['{{a}}}', '}}}', '"{{" must be closed with "}}": there is one "}" too many here.'],
    ['{{{a}}', '}}', '"{{{" must be closed with "}}}" (three braces).'],
    ['{{!-- note', '{{!--', 'This comment "{{!--" is never closed: end it with "--}}".'],
    ['{{#each items as |x}}{{/each}}', '}}', 'The names after "as |" need a closing "|", as in "{{#each items as |item|}}".'],
    ['{{> footer}}', '{{> footer}}', 'Partials ("{{> name}}") are not available in flows: write the text here instead.'],
    ['{{#eq a b}}yes{{/eq}}', 'eq', 'The helper "eq" cannot open a block. To show text only when it holds, write "{{#if (eq ...)}}...{{/if}}".'],
    ['{{if a "x"}}', 'if', '"if" works only as a block: write "{{#if ...}}...{{/if}}".'],
    ['{{#each}}{{/each}}', 'each', '"{{#each}}" needs exactly one value, as in "{{#each items}}".'],
  ];
  it.each(cases)('%s -> points at %s', (source, text, message) => {
    expect(problem(source)).toEqual({ message, text, start: expect.any(Number) });
  });

  it('gives the exact offsets of a problem on a later line', () => {
    expect(analyzeTemplate('line one\nline two {{ticket.id')).toEqual({
      refs: [], helpers: [], error: { message: 'This template has an opening "{{" without its closing "}}".', start: 18, end: 20 },
    });
  });

  it('finds nothing wrong in plain text or escaped braces', () => {
    expect(analyzeTemplate('Just text, {not a template}, \\{{literal}}.')).toEqual({ refs: [], helpers: [] });
  });
});
