import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { BOT_YAML, HELPDESK_FLOW, memoryIo, tempProject } from './helpers.js';

describe('flow (arguments and exit codes)', () => {
  const cwd = tempProject({ 'flows/helpdesk.yaml': HELPDESK_FLOW, 'flows/bot.yaml': BOT_YAML });

  it('prints help and version with exit 0', async () => {
    const io = memoryIo(cwd);
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out()).toContain('validate');
    expect(io.out()).toContain('Exit codes');
    const v = memoryIo(cwd);
    expect(await main(['--version'], v)).toBe(0);
    expect(v.out()).toMatch(/^\d+\.\d+\.\d+/);
    const h = memoryIo(cwd);
    expect(await main(['validate', '--help'], h)).toBe(0);
    expect(h.out()).toContain('--max-warnings');
  });

  it('exits 2 with a suggestion on an unknown command, option or value', async () => {
    const a = memoryIo(cwd);
    expect(await main(['valdate'], a)).toBe(2);
    expect(a.err()).toContain('Did you mean "validate"?');
    const b = memoryIo(cwd);
    expect(await main(['validate', '--formt', 'json'], b)).toBe(2);
    expect(b.err()).toContain('Did you mean --format?');
    const c = memoryIo(cwd);
    expect(await main(['validate', '--format', 'xml'], c)).toBe(2);
    expect(c.err()).toContain('pretty, json, github');
    const d = memoryIo(cwd);
    expect(await main(['validate', 'no-such-folder'], d)).toBe(2);
    expect(d.err()).toContain('"no-such-folder" does not exist');
    const e = memoryIo(cwd);
    expect(await main([], e)).toBe(2);
    const f = memoryIo(cwd);
    expect(await main(['graph', 'helpdsk'], f)).toBe(2);
    expect(f.err()).toContain('Did you mean "helpdesk"?');
  });

  it('validates a clean folder with exit 0 and the summary line', async () => {
    const io = memoryIo(cwd);
    expect(await main(['validate'], io)).toBe(0);
    expect(io.out()).toContain('0 errors, 0 warnings in 2 files');
  });
});

describe('flow validate on a folder with flow tests', () => {
  const cwd = tempProject({
    'flows/helpdesk.yaml': HELPDESK_FLOW,
    'flows/bot.yaml': BOT_YAML,
    'flows/tests/helpdesk.test.yaml': 'flow: helpdesk\ntests:\n  - name: x\n    stepz: []\n',
  });

  it('checks the shape of the test files too, and never reads them as flows', async () => {
    const io = memoryIo(cwd);
    expect(await main(['validate', 'flows'], io)).toBe(1);
    expect(io.out()).toContain('flows/tests/helpdesk.test.yaml:4:5 error test-unknown-key Unknown key "stepz"');
    expect(io.out()).toContain('1 error, 0 warnings in 3 files');
    const tests = memoryIo(cwd);
    expect(await main(['validate', 'flows/tests'], tests)).toBe(1);
    expect(tests.out()).toContain('1 error, 0 warnings in 1 file');
  });
});

describe('flow validate on a broken flow', () => {
  const broken = HELPDESK_FLOW.replace('next: create', 'next: craete');
  const cwd = tempProject({ 'flows/helpdesk.yaml': broken, 'flows/other.yaml': 'states:\n  a:\n    say: hi\n    end: true\n', 'flows/bot.yaml': BOT_YAML });

  it('prints the error with the line underlined and exits 1', async () => {
    const io = memoryIo(cwd);
    expect(await main(['validate', 'flows'], io)).toBe(1);
    expect(io.out()).toMatch(/^flows\/helpdesk\.yaml:\d+:\d+ error /m);
    expect(io.out()).toContain('| next: craete'.replace('| ', '|     '));
    expect(io.out()).toMatch(/\^{6}/);
    expect(io.out()).toMatch(/1 error, \d+ warnings? in 3 files/);
  });

  it('gives the documented JSON document with paths relative to the working directory', async () => {
    const io = memoryIo(cwd);
    expect(await main(['validate', '--format', 'json'], io)).toBe(1);
    const doc = JSON.parse(io.out());
    expect(doc.files).toBe(3);
    expect(doc.errors).toBe(1);
    const error = doc.diagnostics.find((d: { severity: string }) => d.severity === 'error');
    expect(error).toMatchObject({ file: 'flows/helpdesk.yaml', severity: 'error' });
    expect(Object.keys(error).slice(0, 9)).toEqual(['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'rule', 'message']);
  });

  it('reports only the given file, and writes GitHub annotations', async () => {
    const io = memoryIo(cwd);
    expect(await main(['validate', 'flows/other.yaml'], io)).toBe(0);
    expect(io.out()).toContain('in 1 file');
    const gh = memoryIo(cwd);
    expect(await main(['validate', '--format', 'github', 'flows/helpdesk.yaml'], gh)).toBe(1);
    expect(gh.out()).toMatch(/^::error file=flows\/helpdesk\.yaml,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[a-z-]+::/);
  });

  it('fails on warnings over --max-warnings', async () => {
    const cwd2 = tempProject({ 'flows/a.yaml': 'states:\n  a:\n    say: hi\n    end: true\n  lost:\n    say: never\n    end: true\n' });
    const ok = memoryIo(cwd2);
    expect(await main(['validate'], ok)).toBe(0);
    expect(ok.out()).toMatch(/0 errors, [1-9]\d* warnings?/);
    const strict = memoryIo(cwd2);
    expect(await main(['validate', '--max-warnings', '0'], strict)).toBe(1);
    expect(strict.out()).toContain('Too many warnings');
    const bad = memoryIo(cwd2);
    expect(await main(['validate', '--max-warnings', 'x'], bad)).toBe(2);
  });
});

describe('flow graph', () => {
  const cwd = tempProject({ 'flows/helpdesk.yaml': HELPDESK_FLOW, 'flows/bot.yaml': BOT_YAML });
  it('prints Mermaid by default and DOT on request, by id or by file', async () => {
    const io = memoryIo(cwd);
    expect(await main(['graph', 'helpdesk'], io)).toBe(0);
    expect(io.out()).toMatch(/^flowchart TD\n/);
    expect(io.out()).toContain('s_welcome -->|"Ticket"| s_describe');
    const dot = memoryIo(cwd);
    expect(await main(['graph', 'flows/helpdesk.yaml', '--format', 'dot'], dot)).toBe(0);
    expect(dot.out()).toMatch(/^digraph "helpdesk" \{/);
    const bad = memoryIo(cwd);
    expect(await main(['graph', 'helpdesk', '--highlight', 'nope'], bad)).toBe(2);
  });
});
