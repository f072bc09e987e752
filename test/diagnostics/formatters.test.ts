import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { formatPretty, underline } from '../../src/diagnostics/format-pretty.js';
import { formatJson } from '../../src/diagnostics/format-json.js';
import { escapeData, formatGithub } from '../../src/diagnostics/format-github.js';

const text = 'states:\n  welcome:\n    next: ask_emial\n';
const d: Diagnostic = {
  file: 'flows/onboarding.yaml', line: 3, column: 11, endLine: 3, endColumn: 20, severity: 'error',
  code: 'FS201', rule: 'unknown-state', message: '"ask_emial" is not a state of this flow. Did you mean "ask_email"?', suggestion: 'ask_email',
};
const w: Diagnostic = { ...d, line: 1, column: 1, endColumn: 7, severity: 'warning', code: 'FS210', rule: 'unreachable-state', message: 'never reached' };
delete (w as { suggestion?: string }).suggestion;

describe('pretty', () => {
  it('prints the header, the source line with the span underlined, and the summary', () => {
    expect(formatPretty([d], { files: 2, sourceText: () => text })).toBe(
      [
        'flows/onboarding.yaml:3:11 error unknown-state "ask_emial" is not a state of this flow. Did you mean "ask_email"?',
        '  3 |     next: ask_emial',
        '    |           ^^^^^^^^^',
        '',
        '1 error, 0 warnings in 2 files',
        '',
      ].join('\n'),
    );
  });
  it('says so when there is nothing, and uses colours only when asked', () => {
    expect(formatPretty([], { files: 1 })).toBe('0 errors, 0 warnings in 1 file\n');
    expect(formatPretty([d], { files: 1, sourceText: () => text })).not.toContain('\x1b[');
    expect(formatPretty([d], { files: 1, sourceText: () => text, color: true })).toContain('\x1b[31m');
  });
  it('keeps tabs under the carets, widens the gutter for long line numbers, underlines one caret for an empty span', () => {
    const lines = underline('\tx: y', { line: 1, column: 5, endLine: 1, endColumn: 6 });
    expect(lines).toEqual(['  1 | \tx: y', '    | \t   ^']);
    const long = underline('a\n'.repeat(120), { line: 114, column: 1, endLine: 114, endColumn: 1 });
    expect(long).toEqual(['  114 | a', '      | ^']);
    expect(underline('a', { line: 9, column: 1, endLine: 9, endColumn: 2 })).toEqual([]);
  });
});

describe('json', () => {
  it('has exactly the documented shape, sorted', () => {
    const doc = JSON.parse(formatJson([d, w], 3));
    expect(doc).toEqual({
      files: 3, errors: 1, warnings: 1,
      diagnostics: [
        { file: 'flows/onboarding.yaml', line: 1, column: 1, endLine: 3, endColumn: 7, severity: 'warning', code: 'FS210', rule: 'unreachable-state', message: 'never reached' },
        { file: 'flows/onboarding.yaml', line: 3, column: 11, endLine: 3, endColumn: 20, severity: 'error', code: 'FS201', rule: 'unknown-state', message: d.message, suggestion: 'ask_email' },
      ],
    });
    expect(Object.keys(doc.diagnostics[1])).toEqual(['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'rule', 'message', 'suggestion']);
  });
});

describe('github', () => {
  it('writes one annotation per diagnostic', () => {
    expect(formatGithub([d])).toBe(
      '::error file=flows/onboarding.yaml,line=3,col=11,endLine=3,endColumn=20,title=unknown-state::"ask_emial" is not a state of this flow. Did you mean "ask_email"? (FS201)\n',
    );
    expect(formatGithub([w])).toMatch(/^::warning file=/);
  });
  it('escapes %, CR and LF in messages and also : and , in properties', () => {
    expect(escapeData('100%\r\nok')).toBe('100%25%0D%0Aok');
    expect(formatGithub([{ ...d, file: 'a,b:c.yaml', message: 'x\ny' }])).toContain('file=a%2Cb%3Ac.yaml,');
    expect(formatGithub([{ ...d, message: 'x\ny' }])).toContain('::x%0Ay (FS201)');
  });
});
