import { describe, expect, it } from 'vitest';
import { BUILTIN_HELPERS, FLOW_HELPERS, HELPER_NAMES, intlLanguage, parseDateInput } from '../../src/template/helpers.js';
import { compileTemplate, type TemplateScope } from '../../src/template/render.js';

function render(source: string, vars: Record<string, unknown> = {}, language = 'en'): string {
  const scope: TemplateScope = { user: { first_name: 'Ana' }, vars, env: {}, language };
  return compileTemplate(source)(scope);
}

describe('helper lists', () => {
  it('lists the built-ins, the flow helpers, and both sorted', () => {
    expect(BUILTIN_HELPERS).toEqual(['if', 'unless', 'each', 'with']);
    expect(FLOW_HELPERS).toEqual([
      'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'and', 'or', 'not', 'default',
      'upper', 'lower', 'capitalize', 'number', 'date', 'join', 'length',
    ]);
    expect(HELPER_NAMES).toEqual([...BUILTIN_HELPERS, ...FLOW_HELPERS].sort());
    expect(Object.isFrozen(HELPER_NAMES)).toBe(true);
  });
});

describe('comparison helpers', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['{{eq a b}}', { a: 10, b: '10' }, 'true'],
    ['{{eq a b}}', { a: 'Sales', b: 'sales' }, 'false'],
    ['{{eq a "x"}}', {}, 'false'],
    ['{{eq a b}}', {}, 'true'],
    ['{{ne a "x"}}', { a: 'y' }, 'true'],
    ['{{ne a 3}}', { a: '3' }, 'false'],
    ['{{gt a 9}}', { a: '10' }, 'true'],
    ['{{gt a 10}}', { a: 10 }, 'false'],
    ['{{gte a 10}}', { a: 10 }, 'true'],
    ['{{lt a b}}', { a: '2026-01-05', b: '2026-02-01' }, 'true'],
    ['{{lt a 3}}', {}, 'false'],
    ['{{lte a 3}}', { a: 3 }, 'true'],
    ['{{lte a 3}}', { a: 4 }, 'false'],
  ];
  it.each(cases)('%s with %j renders %s', (source, vars, expected) => {
    expect(render(source, vars)).toBe(expected);
  });

  it('works as the test of an #if block', () => {
    expect(render('{{#if (gt days 10)}}long{{else}}short{{/if}}', { days: 12 })).toBe('long');
    expect(render('{{#unless (eq item "laptop")}}other{{/unless}}', { item: 'phone' })).toBe('other');
  });
});

describe('logic helpers', () => {
  it('and is true only when every value is', () => {
    expect(render('{{and a b c}}', { a: 1, b: 'x', c: true })).toBe('true');
    expect(render('{{and a b}}', { a: 1, b: [] })).toBe('false');
  });
  it('or is true when any value is', () => {
    expect(render('{{or a b}}', { a: '', b: 'x' })).toBe('true');
    expect(render('{{or a b}}', { a: 0 })).toBe('false');
  });
  it('not negates', () => {
    expect(render('{{not approved}}', { approved: false })).toBe('true');
    expect(render('{{not approved}}', { approved: 'yes' })).toBe('false');
  });
  it('default replaces a missing or empty value only', () => {
    expect(render('{{default nick "friend"}}')).toBe('friend');
    expect(render('{{default nick "friend"}}', { nick: '' })).toBe('friend');
    expect(render('{{default nick "friend"}}', { nick: 0 })).toBe('0');
    expect(render('Hi {{default user.nickname user.first_name}}')).toBe('Hi Ana');
  });
});

describe('text helpers', () => {
  it('upper, lower and capitalize', () => {
    expect(render('{{upper name}}', { name: 'Zoë' })).toBe('ZOË');
    expect(render('{{lower name}}', { name: 'ÉCOLE' })).toBe('école');
    expect(render('{{capitalize name}}', { name: 'élodie martin' })).toBe('Élodie martin');
    expect(render('{{capitalize name}}', {})).toBe('');
  });
  it('follow the person\'s language (Turkish dotted i)', () => {
    expect(render('{{upper name}}', { name: 'istanbul' }, 'tr')).toBe('İSTANBUL');
    expect(render('{{upper name}}', { name: 'istanbul' }, 'en')).toBe('ISTANBUL');
  });
  it('join and length', () => {
    expect(render('{{join tags " / "}}', { tags: ['a', 'b', 3] })).toBe('a / b / 3');
    expect(render('{{join tags}}', { tags: ['a', 'b'] })).toBe('a, b');
    expect(render('{{join tags ", "}}', { tags: 'solo' })).toBe('solo');
    expect(render('{{length tags}}', { tags: ['a', 'b'] })).toBe('2');
    expect(render('{{length word}}', { word: 'née😀' })).toBe('4');
    expect(render('{{length nothing}}')).toBe('0');
    expect(render('{{#if (gt (length tags) 1)}}many{{/if}}', { tags: [1, 2] })).toBe('many');
  });
});

describe('number', () => {
  it('formats in English and French', () => {
    expect(render('{{number n 2}}', { n: 1234.5 }, 'en')).toBe('1,234.50');
    expect(render('{{number n 2}}', { n: 1234.5 }, 'fr')).toMatch(/^1\s234,50$/u);
    expect(render('{{number n 0}}', { n: '2.6' }, 'fr')).toBe('3');
    expect(render('{{number n}}', { n: 0.5 }, 'fr')).toBe('0,5');
  });
  it('accepts a locale such as fr_FR and falls back to English for nonsense', () => {
    expect(render('{{number n 1}}', { n: 1.25 }, 'fr_FR')).toBe('1,3');
    expect(render('{{number n 1}}', { n: 1.25 }, 'not a language!')).toBe('1.3');
    expect(intlLanguage('pt_BR')).toBe('pt-BR');
    expect(intlLanguage('')).toBe('en');
  });
  it('shows text that is not a number unchanged', () => {
    expect(render('{{number n 2}}', { n: 'soon' })).toBe('soon');
  });
});

describe('date', () => {
  const d = { d: '2026-12-01' };
  it('formats each style in English', () => {
    expect(render('{{date d "short"}}', d, 'en')).toBe('12/1/2026');
    expect(render('{{date d "long"}}', d, 'en')).toBe('December 1, 2026');
    expect(render('{{date d "weekday"}}', d, 'en')).toBe('Tuesday, December 1, 2026');
    expect(render('{{date d}}', d, 'en')).toBe('December 1, 2026');
  });
  it('formats each style in French', () => {
    expect(render('{{date d "short"}}', d, 'fr')).toBe('01/12/2026');
    expect(render('{{date d "long"}}', d, 'fr')).toBe('1 décembre 2026');
    expect(render('{{date d "weekday"}}', d, 'fr')).toBe('mardi 1 décembre 2026');
  });
  it('reads epoch milliseconds, in UTC', () => {
    const ms = Date.UTC(2026, 0, 31, 23, 30);
    expect(render('{{date t "long"}}', { t: ms }, 'en')).toBe('January 31, 2026');
    expect(render('{{date t "long"}}', { t: String(ms) }, 'en')).toBe('January 31, 2026');
  });
  it('shows what is not a date unchanged', () => {
    expect(render('{{date d "long"}}', { d: 'tomorrow' })).toBe('tomorrow');
    expect(render('{{date d "long"}}', { d: '2026-02-30' })).toBe('2026-02-30');
    expect(render('{{date d "long"}}', {})).toBe('');
  });
  it('parses ISO dates and date-times', () => {
    expect(parseDateInput('2026-12-01')).toBe(Date.UTC(2026, 11, 1));
    // A date-time stands for its calendar date as written, whatever its offset.
    expect(parseDateInput('2026-12-01T10:00:00Z')).toBe(Date.UTC(2026, 11, 1));
    expect(parseDateInput('2026-12-01T23:30:00-05:00')).toBe(Date.UTC(2026, 11, 1));
    expect(parseDateInput('2026-12-01Tnonsense')).toBeUndefined();
    expect(parseDateInput('2026-13-01')).toBeUndefined();
    expect(parseDateInput({})).toBeUndefined();
  });
});
