import { describe, expect, it } from 'vitest';
import { analyzeCondition } from '../../src/expression/condition.js';

function refs(source: string): Array<[string, string]> {
  return analyzeCondition(source).refs.map((r) => [r.path.join('.'), source.slice(r.start, r.end)]);
}

function problem(source: string): { message: string; text: string } | undefined {
  const { error } = analyzeCondition(source);
  return error && { message: error.message, text: source.slice(error.start, error.end) };
}

describe('analyzeCondition: refs', () => {
  it('reports names with exact offsets', () => {
    expect(analyzeCondition('days > 10 and user.department == "Sales"')).toEqual({
      refs: [{ path: ['days'], start: 0, end: 4 }, { path: ['user', 'department'], start: 14, end: 29 }],
    });
  });

  it('reports names inside lists, functions, brackets and parentheses', () => {
    expect(refs('item in [first, "x"] or length(tags) > max and not (a.b)'))
      .toEqual([['item', 'item'], ['first', 'first'], ['tags', 'tags'], ['max', 'max'], ['a.b', 'a.b']]);
  });

  it('follows literal keys and stops at computed ones', () => {
    expect(refs('ticket["priority"] == 1')).toEqual([['ticket.priority', 'ticket["priority"]']]);
    expect(refs('ticket.lines[0].qty')).toEqual([['ticket.lines.0.qty', 'ticket.lines[0].qty']]);
    expect(refs('a.b[i].c')).toEqual([['a.b', 'a.b'], ['i', 'i']]);
  });

  it('does not report literals, operators or function names', () => {
    expect(refs('length("abc") == 3 and true and not null')).toEqual([]);
  });
});

describe('analyzeCondition: problems', () => {
  const cases: Array<[string, string, string]> = [
    ['a = 1', '=', 'Unknown operator "=": use "==" to compare.'],
    ['a === 1', '===', 'Unknown operator "===": use "==" to compare.'],
    ['a !== 1', '!==', 'Unknown operator "!==": use "!=" to compare.'],
    ['a & b', '&', 'Unknown operator "&": use "and".'],
    ['a | b', '|', 'Unknown operator "|": use "or".'],
    ['a % 2 == 0', '%', 'Unknown operator "%": conditions can add (+), subtract (-), multiply (*) and divide (/).'],
    ['days > 10 and', 'and', 'Expected a value after "and".'],
    ['days > 10 and ', 'and', 'Expected a value after "and".'],
    ['days >', '>', 'Expected a value after ">".'],
    ['not', 'not', 'Expected a value after "not".'],
    ['a or', 'or', 'Expected a value after "or".'],
    ['a b', 'b', 'Expected an operator such as "and", "or" or "==" before "b".'],
    ['name == "Ana', '"', 'This text has no closing quote: add " at its end.'],
    ['(a > 1', '(', 'This "(" is not closed: add ")".'],
    ['a > 1)', ')', 'This ")" has no "(" before it.'],
    ['a[0', '[', 'This "[" is not closed: add "]".'],
    ['x in [1 2]', '2', 'Expected a "," between the items of this list.'],
    ['x in [1,,2]', '[1,,2]', 'This list has an empty item: remove the extra ",".'],
    ['1abc > 2', '1abc', 'A name cannot start with a digit: "1abc".'],
    ['ticket. == 1', '.', 'Expected a name after ".", as in ticket.id.'],
    ['', '', 'This condition is empty: write a test such as days > 10.'],
    ['a ? b : c', 'a ? b : c', '"? :" cannot be used in a condition: write one branch per case, each with its own "if".'],
    ['this.x', 'this.x', '"this" has no meaning in a condition: write the name of a variable.'],
    ['foo(x)', 'foo', 'Unknown function "foo": the functions you can use are length, lower and upper.'],
    ['length(a, b)', 'length(a, b)', '"length" takes exactly one value, as in length(items).'],
    ['not user.department == "Sales"', 'not user.department', '"not" here applies only to "user.department", not to the whole comparison: write "not (user.department == "Sales")", or use "!=".'],
    ['@x', '@', '"@" cannot be used here.'],
  ];
  it.each(cases)('%s -> points at %s', (source, text, message) => {
    expect(problem(source)).toEqual({ message, text });
  });
});
