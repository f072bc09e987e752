import { describe, expect, it } from 'vitest';
import { compileCondition, ConditionSyntaxError, CONDITION_FUNCTIONS } from '../../src/expression/condition.js';

const scope: Record<string, unknown> = {
  days: 12,
  count: '10',
  approved: false,
  item: 'phone',
  items: ['laptop', 'phone'],
  tags: [],
  name: 'Ana Lima',
  user: { department: 'Sales', first_name: 'Ana' },
  ticket: { id: 'T-1', priority: 'urgent', lines: [{ qty: 2 }] },
  start: '2026-12-01',
  nothing: null,
};

function check(source: string): boolean {
  return compileCondition(source)(scope);
}

describe('compileCondition: operators', () => {
  const cases: Array<[string, boolean]> = [
    ['days > 10 and user.department == "Sales"', true],
    ['days > 10 && user.department == "Marketing"', false],
    ['approved or days > 10', true],
    ['approved || days > 20', false],
    ['not approved', true],
    ['!approved', true],
    ['not (days > 10)', false],
    ['count == 10', true],
    ['count != 10', false],
    ['count == "10"', true],
    ['user.department == "sales"', false],
    ['days >= 12', true],
    ['days < 12', false],
    ['days <= 12', true],
    ['count > 9', true],
    ['start < "2027-01-01"', true],
    ['item in ["laptop", "phone"]', true],
    ['item in ["tablet"]', false],
    ['"laptop" in items', true],
    ['"Lima" in name', true],
    ['"lima" in name', false],
    ['"priority" in ticket', true],
    ['days in 12', false],
    ['days + 1 == 13', true],
    ['days - 2 == count', true],
    ['days * 2 == 24', true],
    ['days / 4 == 3', true],
    ['-days < 0', true],
    ['"a" + "b" == "ab"', true],
    ['days / 0 == null', true],
    ['ticket["priority"] == "urgent"', true],
    ['ticket.lines[0].qty == 2', true],
    ['ticket.lines[0]["qty"] > 1', true],
    ['items[1] == "phone"', true],
    ['true', true],
    ['false or null', false],
    ['tags', false],
    ['items', true],
    ['nothing == null', true],
    ['missing == null', true],
    ['[1, 2] == [1, 2]', true],
    ['days > 10 and (approved or item == "phone")', true],
    ['1 + 2 * 3 == 7', true],
  ];
  it.each(cases)('%s is %s', (source, expected) => {
    expect(check(source)).toBe(expected);
  });
});

describe('compileCondition: functions', () => {
  it('offers length, lower and upper', () => {
    expect(CONDITION_FUNCTIONS).toEqual(['length', 'lower', 'upper']);
    expect(check('length(items) == 2')).toBe(true);
    expect(check('length(name) == 8')).toBe(true);
    expect(check('length(ticket) == 3')).toBe(true);
    expect(check('length(missing) == 0')).toBe(true);
    expect(check('lower(user.department) == "sales"')).toBe(true);
    expect(check('upper(item) == "PHONE"')).toBe(true);
  });
});

describe('compileCondition: missing and strange values', () => {
  it('treats missing names as undefined and never throws', () => {
    expect(check('missing')).toBe(false);
    expect(check('missing.deeper.still > 3')).toBe(false);
    expect(check('missing < 3 or missing > 3 or missing == 3')).toBe(false);
    expect(check('not missing')).toBe(true);
    expect(check('days > "abc"')).toBe(false);
    expect(check('missing + 1 == null')).toBe(true);
    expect(check('items[days] == null')).toBe(true);
  });

  it('evaluates against any scope without throwing', () => {
    const condition = compileCondition('a.b > 1 and a.c[0] == "x"');
    expect(condition({})).toBe(false);
    expect(condition({ a: null })).toBe(false);
    expect(condition({ a: 5 })).toBe(false);
    expect(condition({ a: { b: 2, c: ['x'] } })).toBe(true);
    expect(condition(undefined as unknown as Record<string, unknown>)).toBe(false);
  });
});

describe('compileCondition: syntax errors', () => {
  it('throws a ConditionSyntaxError with offsets', () => {
    expect(() => compileCondition('days >')).toThrow(ConditionSyntaxError);
    try {
      compileCondition('a = 1');
      expect.unreachable('a = 1 must not compile');
    } catch (error) {
      expect(error).toBeInstanceOf(ConditionSyntaxError);
      expect({ ...(error as ConditionSyntaxError), message: (error as Error).message })
        .toMatchObject({ message: 'Unknown operator "=": use "==" to compare.', start: 2, end: 3 });
    }
  });

  it('refuses unknown functions and operators', () => {
    expect(() => compileCondition('eval("1")')).toThrow('Unknown function "eval"');
    expect(() => compileCondition('a.toString()')).toThrow('Unknown function "a.toString"');
    expect(() => compileCondition('a === 1')).toThrow('use "=="');
    expect(() => compileCondition('a ? b : c')).toThrow('"? :" cannot be used');
  });
});
