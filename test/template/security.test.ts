import { afterEach, describe, expect, it } from 'vitest';
import { analyzeTemplate } from '../../src/template/analyze.js';
import { compileTemplate, type TemplateScope } from '../../src/template/render.js';

const SECRET = 'process-env-secret-value';
process.env.FLOWSTATE_TEST_SECRET = SECRET;

function scope(overrides: Partial<TemplateScope> = {}): TemplateScope {
  return { user: { first_name: 'Ana' }, vars: { items: ['a', 'b'], ticket: { id: 'T-1' } }, env: {}, language: 'en', ...overrides };
}

const prototypeNames = (target: object) => Object.getOwnPropertyNames(target).sort();
const before = {
  object: prototypeNames(Object.prototype),
  array: prototypeNames(Array.prototype),
  string: prototypeNames(String.prototype),
  fn: prototypeNames(Function.prototype),
};

afterEach(() => {
  expect(prototypeNames(Object.prototype)).toEqual(before.object);
  expect(prototypeNames(Array.prototype)).toEqual(before.array);
  expect(prototypeNames(String.prototype)).toEqual(before.string);
  expect(prototypeNames(Function.prototype)).toEqual(before.fn);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(String.prototype.split).toBe(splitBefore);
});
const splitBefore = String.prototype.split;

/** Known Handlebars prototype-pollution and code-execution payloads (CVE-2019-19919, CVE-2021-23369 and friends). */
const PAYLOADS = [
  '{{#with "s" as |string|}}{{#with "e"}}{{#with split as |conslist|}}{{this.pop}}{{this.push (lookup string.sub "constructor")}}{{this.pop}}{{#with string.split as |codelist|}}{{this.pop}}{{this.push "return process.env.FLOWSTATE_TEST_SECRET;"}}{{this.pop}}{{#each conslist}}{{#with (string.sub.apply 0 codelist)}}{{this}}{{/with}}{{/each}}{{/with}}{{/with}}{{/with}}{{/with}}',
  '{{#with this as |obj|}}{{#with (obj.constructor.keys "1") as |arr|}}{{arr.pop}}{{#blockHelperMissing obj.constructor}}{{/blockHelperMissing}}{{/with}}{{/with}}',
  '{{constructor.constructor "return process.env.FLOWSTATE_TEST_SECRET"}}',
  '{{#with constructor}}{{#with constructor}}{{this "return process"}}{{/with}}{{/with}}',
  '{{constructor.constructor}}',
  '{{__proto__}}{{__proto__.polluted}}{{this.__proto__}}',
  '{{#with __proto__}}{{__defineGetter__ "polluted" "x"}}{{/with}}',
  '{{lookup this "constructor"}}{{lookup (lookup this "constructor") "prototype"}}',
  '{{#each this}}{{@key}}{{/each}}{{#with items.constructor}}{{prototype}}{{/with}}',
  '{{items.constructor.prototype.polluted}}{{ticket.__proto__.polluted}}{{user.constructor.name}}',
  '{{#with (lookup this "__proto__") as |proto|}}{{proto.toString}}{{/with}}',
  '{{helperMissing "x"}}{{blockHelperMissing "x"}}{{log "x"}}',
  '{{#with "x" as |s|}}{{s.constructor.fromCharCode 65}}{{s.length}}{{/with}}',
];

describe('prototype-pollution payloads', () => {
  it.each(PAYLOADS)('renders %s harmlessly', (payload) => {
    const output = compileTemplate(payload)(scope());
    expect(output).not.toContain(SECRET);
    expect(output).not.toMatch(/function|native code|\[object/);
  });

  it.each(PAYLOADS)('is flagged by analysis: %s', (payload) => {
    const analysis = analyzeTemplate(payload);
    const flagged = analysis.error !== undefined || analysis.helpers.length > 0 ||
      analysis.refs.some((ref) => ['constructor', '__proto__', 'prototype'].some((k) => ref.path.includes(k)));
    expect(flagged).toBe(true);
  });

  it('the same payloads typed by a person are shown as text', () => {
    for (const payload of PAYLOADS) {
      expect(compileTemplate('{{input}}')(scope({ input: payload }))).toBe(payload);
    }
  });

  it('data with a __proto__ key from a JSON response pollutes nothing', () => {
    const ticket = JSON.parse('{"__proto__": {"polluted": "yes"}, "id": "T-9"}');
    const output = compileTemplate('{{ticket.id}}{{ticket.polluted}}{{polluted}}')(scope({ vars: { ticket } }));
    expect(output).toBe('T-9');
  });

  it('reaches no environment variable outside env', () => {
    const output = compileTemplate('{{env.FLOWSTATE_TEST_SECRET}}{{process.env.FLOWSTATE_TEST_SECRET}}{{@root.process}}')(scope({ env: { HELPDESK_URL: 'x' } }));
    expect(output).toBe('');
  });
});
