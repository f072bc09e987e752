import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { parseSource } from '../../src/source/parse-yaml.js';
import type { Span } from '../../src/source/source-file.js';

const fmt = (s: Span): string => `${s.line}:${s.column}-${s.endLine}:${s.endColumn}`;
const at = (list: Diagnostic[]): string[] => list.map((d) => `${d.code} ${d.rule} ${fmt(d)}`);

const TEXT = [
  'states:', // 1
  '  welcome:', // 2
  '    say: Hi {{user.first_name}}!', // 3
  '    next: "go \\"{{x}}\\" now"', // 4
  "    image: 'it''s {{y}}'", // 5
  '    quick_replies:', // 6
  '      - title: Go', // 7
  '        goto: b', // 8
  '  b:', // 9
  '    say: |', // 10
  '      Line one', // 11
  '      Hello {{name}}', // 12
  '    end: true', // 13
  '  c:', // 14
  '    say: >', // 15
  '      Folded text', // 16
  '      and {{more}}', // 17
  '    end:', // 18
  '',
].join('\n');

describe('SourceFile positions', () => {
  const { file, diagnostics } = parseSource('f.yaml', TEXT);
  const data = file.data as { states: Record<string, Record<string, string>> };
  const inString = (path: string[], needle: string): string => {
    const value = String(path.reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], data));
    const start = value.indexOf(needle);
    expect(start).toBeGreaterThanOrEqual(0);
    return fmt(file.stringSpan(path, start, start + needle.length));
  };

  it('parses without problems', () => {
    expect(diagnostics).toEqual([]);
    expect(file.has(['states', 'welcome', 'say'])).toBe(true);
    expect(file.has(['states', 'welcome', 'ask'])).toBe(false);
  });

  it('points at keys and values', () => {
    expect(fmt(file.spanOf(['states', 'welcome', 'say'], 'key'))).toBe('3:5-3:8');
    expect(fmt(file.spanOf(['states', 'welcome', 'say']))).toBe('3:10-3:33');
    expect(fmt(file.spanOf(['states', 'welcome', 'next']))).toBe('4:11-4:29');
    expect(fmt(file.spanOf(['states', 'welcome', 'quick_replies', 0, 'goto']))).toBe('8:15-8:16');
    expect(fmt(file.spanOf(['states', 'welcome', 'quick_replies', '0', 'goto']))).toBe('8:15-8:16');
  });

  it('points at the first line of a list item for its key', () => {
    expect(fmt(file.spanOf(['states', 'welcome', 'quick_replies', 0], 'key'))).toBe('7:9-7:18');
  });

  it('keeps a block scalar on its own lines', () => {
    expect(fmt(file.spanOf(['states', 'b', 'say']))).toBe('10:10-12:21');
  });

  it('points a missing key at its parent key, and the file at its first line', () => {
    expect(fmt(file.spanOf(['states', 'welcome', 'ask', 'save']))).toBe('2:3-2:10');
    expect(fmt(file.spanOf([], 'key'))).toBe('1:1-1:8');
    expect(fmt(file.spanOf(['nothing']))).toBe('1:1-1:8');
  });

  it('points an empty value at its key', () => {
    expect(fmt(file.spanOf(['states', 'c', 'end']))).toBe('18:5-18:8');
    expect(fmt(file.spanOf(['states', 'c', 'end'], 'key'))).toBe('18:5-18:8');
  });

  it('maps offsets inside plain, double-quoted, single-quoted and block scalars', () => {
    expect(inString(['states', 'welcome', 'say'], '{{user.first_name}}')).toBe('3:13-3:32');
    expect(inString(['states', 'welcome', 'next'], '{{x}}')).toBe('4:17-4:22');
    expect(inString(['states', 'welcome', 'next'], 'now')).toBe('4:25-4:28');
    expect(inString(['states', 'welcome', 'image'], '{{y}}')).toBe('5:19-5:24');
    expect(inString(['states', 'b', 'say'], '{{name}}')).toBe('12:13-12:21');
    expect(inString(['states', 'c', 'say'], '{{more}}')).toBe('17:11-17:19');
  });

  it('reads YAML 1.2: yes, no, on and off stay strings', () => {
    const { file: f } = parseSource('f.yaml', 'a: yes\nb: no\nc: on\nd: off\ne: true\n');
    expect(f.data).toEqual({ a: 'yes', b: 'no', c: 'on', d: 'off', e: true });
  });
});

describe('YAML problems, each at its place', () => {
  it.each([
    ['a duplicate key, at the second one', 'states:\n  a: { end: true }\n  a: { end: true }\n', ['FS002 yaml-duplicate-key 3:3-3:4']],
    ['a tab used for indentation', 'states:\n\ta: 1\n', ['FS003 yaml-tab-indent 2:1-2:2']],
    ['a tab after spaces', 'states:\n  a:\n  \tsay: hi\n', ['FS003 yaml-tab-indent 3:3-3:4']],
    ['a second document', 'states: {}\n---\nstates: {}\n', ['FS004 yaml-multiple-documents 2:1-2:4']],
    ['an anchor', 'vars: &v\n  a: 1\nstates: {}\n', ['FS005 yaml-anchor 1:7-1:9']],
    ['an anchor and its alias', 'vars:\n  a: &x 1\n  b: *x\n', ['FS005 yaml-anchor 2:6-2:8', 'FS006 yaml-alias 3:6-3:8']],
    ['a merge key', 'states:\n  a:\n    <<: { end: true }\n', ['FS007 yaml-merge-key 3:5-3:7']],
    ['a comment-only file', '# nothing yet\n', ['FS008 yaml-empty-file 1:1-1:2']],
    ['a bare document start', '---\n', ['FS008 yaml-empty-file 1:1-1:2']],
  ])('reports %s', (_name, text, expected) => {
    expect(at(parseSource('f.yaml', text).diagnostics)).toEqual(expected);
  });

  it('reports a syntax error with a plain-words hint', () => {
    const list = parseSource('f.yaml', 'states:\n  a:\n    say: Hi\n   next: b\n').diagnostics;
    expect(list.length).toBeGreaterThan(0);
    expect(list[0]!.code).toBe('FS001');
    expect(list[0]!.line).toBe(4);
    expect(list[0]!.message).toContain('indentation');
  });

  it('reports an unquoted ": " inside a value (a common mistake in test regexes)', () => {
    const list = parseSource('f.yaml', 'steps:\n  - bot: /You wrote: hi/\n').diagnostics;
    expect(list.map((d) => [d.code, d.line])).toEqual([['FS001', 2]]);
    expect(list[0]!.message).toContain('needs quotes');
  });

  it('keeps the data of a file with an anchor (for schema checks) but not of one with a duplicate key', () => {
    expect(parseSource('f.yaml', 'a: &x 1\n').file.data).toEqual({ a: 1 });
    expect(parseSource('f.yaml', 'a: 1\na: 2\n').file.data).toBeUndefined();
  });
});
