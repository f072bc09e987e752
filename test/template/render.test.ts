import { describe, expect, it } from 'vitest';
import { buildTemplateData, compileTemplate, type TemplateScope } from '../../src/template/render.js';

function scope(overrides: Partial<TemplateScope> = {}): TemplateScope {
  return {
    user: { first_name: 'Ana', email: 'ana@example.com', locale: 'en_US' },
    vars: {},
    env: { HELPDESK_URL: 'https://helpdesk.example.com' },
    language: 'en',
    ...overrides,
  };
}

describe('compileTemplate', () => {
  it('renders names from user, vars, input, env and error', () => {
    const t = compileTemplate('{{user.first_name}}|{{problem}}|{{input}}|{{env.HELPDESK_URL}}|{{error.status}} {{error.message}}');
    expect(t(scope({ vars: { problem: 'flicker' }, input: 'hello', error: { status: 502, message: 'Bad gateway' } })))
      .toBe('Ana|flicker|hello|https://helpdesk.example.com|502 Bad gateway');
  });

  it('does not escape HTML', () => {
    expect(compileTemplate('<b>&</b> {{x}} {{{x}}}')(scope({ vars: { x: `<i>"Tom" & 'Jerry'</i>` } })))
      .toBe(`<b>&</b> <i>"Tom" & 'Jerry'</i> <i>"Tom" & 'Jerry'</i>`);
  });

  it('inserts what a person typed as data, never as a template', () => {
    const typed = '{{user.email}} {{#each env}}{{@key}}={{this}}{{/each}} {{constructor.constructor "x"}}';
    expect(compileTemplate('You wrote: {{input}}')(scope({ input: typed }))).toBe(`You wrote: ${typed}`);
    expect(compileTemplate('You wrote: {{problem}}')(scope({ vars: { problem: typed } }))).toBe(`You wrote: ${typed}`);
  });

  it('renders lists, objects, numbers, booleans and missing values sensibly', () => {
    const t = compileTemplate('[{{tags}}] [{{ticket}}] [{{n}}] [{{ok}}] [{{missing}}] [{{ticket.missing.deeper}}]');
    expect(t(scope({ vars: { tags: ['a', 2, null], ticket: { id: 'T-1', n: [1] }, n: 1.5, ok: false } })))
      .toBe('[a, 2, ] [{"id":"T-1","n":[1]}] [1.5] [false] [] []');
  });

  it('iterates with each, exposing @index and the outer scope through @root and ../', () => {
    const t = compileTemplate('{{#each items}}{{@index}}:{{name}}@{{@root.user.first_name}}/{{../site}} {{else}}none{{/each}}');
    expect(t(scope({ vars: { items: [{ name: 'a' }, { name: 'b' }], site: 'HQ' } }))).toBe('0:a@Ana/HQ 1:b@Ana/HQ ');
    expect(t(scope({ vars: { items: [] } }))).toBe('none');
  });

  it('reads a variable even when a helper has its name, as long as no argument follows', () => {
    expect(compileTemplate('{{number}} {{date}}')(scope({ vars: { number: 7, date: '2026-12-01' } }))).toBe('7 2026-12-01');
  });

  it('does not let variables shadow user, env, input or error', () => {
    const t = compileTemplate('{{user.first_name}} {{env.HELPDESK_URL}} [{{input}}] [{{error}}]');
    expect(t(scope({ vars: { user: { first_name: 'Eve' }, env: { HELPDESK_URL: 'evil' }, input: 'x', error: 'y' } })))
      .toBe('Ana https://helpdesk.example.com [] []');
  });

  it('compiles each source once', () => {
    expect(compileTemplate('Hello {{user.first_name}}')).toBe(compileTemplate('Hello {{user.first_name}}'));
    expect(compileTemplate('Hello {{user.first_name}}')).not.toBe(compileTemplate('Bye {{user.first_name}}'));
  });

  it('renders a template it cannot compile as its own text, without throwing', () => {
    expect(compileTemplate('Hi {{user.first_name')(scope())).toBe('Hi {{user.first_name');
    expect(compileTemplate('{{#if}}x{{/if}}')(scope())).toBe('{{#if}}x{{/if}}');
    expect(compileTemplate('{{> partial}}')(scope())).toBe('{{> partial}}');
  });

  it('never throws on strange data', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const t = compileTemplate('{{a}}|{{a.self.name}}|{{f}}|{{s}}|{{big}}|{{nan}}|{{#each a}}{{@key}};{{/each}}');
    expect(t(scope({ vars: { a: cyclic, f: () => 'called', s: Symbol('s'), big: 10n, nan: Number.NaN } })))
      .toBe('{"name":"loop"}||||10||name;');
  });

  it('renders a call to an unknown helper (which validation rejects) as nothing', () => {
    expect(compileTemplate('a{{shout name}}b{{user.nickname "x"}}c')(scope({ vars: { name: 'x' } }))).toBe('abc');
  });

  it('renders its own text when a value is called like a helper (which validation rejects)', () => {
    expect(compileTemplate('a{{user.first_name "x"}}b')(scope())).toBe('a{{user.first_name "x"}}b');
  });
});

describe('buildTemplateData', () => {
  it('holds plain data without prototypes', () => {
    const data = buildTemplateData(scope({ vars: { ticket: { id: 1 } }, input: 'hi' }));
    expect(Object.getPrototypeOf(data)).toBeNull();
    expect(Object.getPrototypeOf(data.ticket)).toBeNull();
    expect(Object.keys(data).sort()).toEqual(['env', 'input', 'ticket', 'user']);
  });
  it('leaves out input and error when absent, and forbidden keys always', () => {
    const data = buildTemplateData(scope({ vars: JSON.parse('{"__proto__": {"x": 1}, "constructor": 2, "ok": {"prototype": 3, "y": 4}}') }));
    expect(Object.keys(data).sort()).toEqual(['env', 'ok', 'user']);
    expect(Object.keys(data.ok as object)).toEqual(['y']);
  });
});
