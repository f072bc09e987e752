import { afterEach, describe, expect, it } from 'vitest';
import { analyzeCondition, compileCondition } from '../../src/expression/condition.js';

const names = (target: object) => Object.getOwnPropertyNames(target).sort();
const before = { object: names(Object.prototype), array: names(Array.prototype), string: names(String.prototype) };

afterEach(() => {
  expect(names(Object.prototype)).toEqual(before.object);
  expect(names(Array.prototype)).toEqual(before.array);
  expect(names(String.prototype)).toEqual(before.string);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

const scope = { user: { name: 'Ana' }, tags: ['a'], text: 'abc', n: 1 };

const PAYLOADS = [
  'user.constructor',
  'user.constructor.constructor',
  'user["constructor"]["constructor"]',
  'user.__proto__',
  'user["__proto__"].polluted',
  'tags.constructor.prototype',
  'text.constructor.fromCharCode',
  'constructor',
  '__proto__',
  'user.hasOwnProperty',
  'user.toString',
  'tags.push',
  'text.length.constructor',
];

describe('conditions cannot reach prototypes or functions', () => {
  it.each(PAYLOADS)('%s reads nothing', (payload) => {
    expect(compileCondition(`${payload} == null`)(scope)).toBe(true);
    expect(compileCondition(payload)(scope)).toBe(false);
  });

  it.each(['user.constructor', 'user.__proto__', 'tags.constructor.prototype', 'user["constructor"]', 'constructor'])(
    '%s is an analysis error',
    (payload) => {
      expect(analyzeCondition(payload).error?.message).toMatch(/cannot be read in a condition/);
    },
  );

  it('calls nothing but the documented functions', () => {
    expect(analyzeCondition('user.toString()').error?.message).toMatch(/^Unknown function "user.toString"/);
    expect(analyzeCondition('constructor.constructor("return process")()').error?.message).toMatch(/^Unknown function/);
    expect(() => compileCondition('tags.push("x")')).toThrow(/Unknown function/);
    expect(scope.tags).toEqual(['a']);
  });

  it('reads only own properties, also from data with a __proto__ key', () => {
    const data = JSON.parse('{"__proto__": {"polluted": true}, "ok": true}');
    expect(compileCondition('polluted')(data)).toBe(false);
    expect(compileCondition('ok')(data)).toBe(true);
    const inherited = Object.create({ secret: 'x' }) as Record<string, unknown>;
    expect(compileCondition('secret == "x"')({ o: inherited, ...inherited })).toBe(false);
    expect(compileCondition('o.secret == "x"')({ o: inherited })).toBe(false);
  });

  it('does not see process.env', () => {
    process.env.FLOWSTATE_CONDITION_SECRET = 'x';
    expect(compileCondition('process.env.FLOWSTATE_CONDITION_SECRET == "x"')(scope)).toBe(false);
    expect(compileCondition('env.FLOWSTATE_CONDITION_SECRET == "x"')({ env: {} })).toBe(false);
  });
});
