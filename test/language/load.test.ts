import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProjectDir, loadProjectFromTexts, loadYamlFile } from '../../src/language/load.js';
import { flowHash } from '../../src/language/hash.js';
import type { Flow } from '../../src/language/model.js';

const MENU = 'title: Menu\nstates:\n  start:\n    say: Hi\n    end: true\n';

describe('loadProjectFromTexts', () => {
  it('reads bot.yaml as settings and every other YAML file as a flow', () => {
    const { project, diagnostics } = loadProjectFromTexts('flows', [
      { path: 'flows/menu.yaml', text: MENU },
      { path: 'flows/bot.yaml', text: 'default_flow: menu\nlanguages: [en, fr]\n' },
      { path: 'flows/helpdesk.yml', text: 'id: it-helpdesk\nstates:\n  a: { end: true }\n' },
      { path: 'flows/notes.txt', text: 'not yaml: [' },
    ]);
    expect(diagnostics).toEqual([]);
    expect(project.dir).toBe('flows');
    expect(project.flows.map((f) => [f.id, f.path])).toEqual([
      ['it-helpdesk', 'flows/helpdesk.yml'],
      ['menu', 'flows/menu.yaml'],
    ]);
    expect(project.flows[1]!.flow).toEqual({ title: 'Menu', states: { start: { say: 'Hi', end: true } } });
    expect(project.flows[1]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(project.botFile).toEqual({ default_flow: 'menu', languages: ['en', 'fr'] });
    expect(project.botSource?.path).toBe('flows/bot.yaml');
    expect(project.settings.default_flow).toBe('menu');
    expect(project.settings.languages).toEqual(['en', 'fr']);
  });

  it('applies the defaults without bot.yaml, the only flow becoming the default flow', () => {
    const { project } = loadProjectFromTexts('flows', [{ path: 'flows/menu.yaml', text: MENU }]);
    expect(project.botSource).toBeUndefined();
    expect(project.botFile).toBeUndefined();
    expect(project.settings.default_flow).toBe('menu');
    expect(project.settings.session_timeout).toBe('30m');
  });

  it('keeps a file with YAML problems, without its flow, and reports them', () => {
    const { project, diagnostics } = loadProjectFromTexts('flows', [{ path: 'flows/dup.yaml', text: 'states:\n  a: { end: true }\nstates: {}\n' }]);
    expect(diagnostics.map((d) => [d.code, d.file, d.line, d.column])).toEqual([['FS002', 'flows/dup.yaml', 3, 1]]);
    expect(project.flows).toHaveLength(1);
    expect(project.flows[0]!.id).toBe('dup');
    expect(project.flows[0]!.flow).toBeUndefined();
    expect(project.flows[0]!.source.text).toContain('states');
    expect(project.flows[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps a flow that fails the schema without its flow, with its id from id:', () => {
    const { project, diagnostics } = loadProjectFromTexts('flows', [{ path: 'flows/x.yaml', text: 'id: other\nstates:\n  a:\n    sya: Hi\n' }]);
    expect(diagnostics.map((d) => d.code)).toEqual(['FS101']);
    expect(project.flows[0]!.id).toBe('other');
    expect(project.flows[0]!.flow).toBeUndefined();
  });

  it('an anchor is a YAML error: the flow is not set', () => {
    const { project, diagnostics } = loadProjectFromTexts('flows', [{ path: 'f.yaml', text: 'states:\n  a: &x { end: true }\n' }]);
    expect(diagnostics.map((d) => d.code)).toEqual(['FS005']);
    expect(project.flows[0]!.flow).toBeUndefined();
  });

  it('reports a merge key once, as a YAML problem, not also as an unknown key', () => {
    const { diagnostics } = loadProjectFromTexts('flows', [{ path: 'f.yaml', text: 'states:\n  a:\n    <<: { end: true }\n    end: true\n' }]);
    expect(diagnostics.map((d) => d.code)).toEqual(['FS007']);
  });

  it('falls back to default settings when bot.yaml is broken, and reports it', () => {
    const { project, diagnostics } = loadProjectFromTexts('flows', [
      { path: 'flows/bot.yaml', text: 'session_timeout: 10 minutes\n' },
      { path: 'flows/a.yaml', text: MENU },
      { path: 'flows/b.yaml', text: MENU },
    ]);
    expect(diagnostics.map((d) => [d.code, d.file])).toEqual([['FS109', 'flows/bot.yaml']]);
    expect(project.botSource).toBeDefined();
    expect(project.botFile).toBeUndefined();
    expect(project.settings.session_timeout).toBe('30m');
    expect(project.settings.default_flow).toBeUndefined();
  });

  it('hashes the content, not the formatting', () => {
    const a = loadProjectFromTexts('f', [{ path: 'a.yaml', text: MENU }]).project.flows[0]!;
    const b = loadProjectFromTexts('f', [{ path: 'a.yaml', text: '# a comment\nstates:\n  start: { end: true, say: "Hi" }\ntitle: Menu\n' }]).project.flows[0]!;
    const c = loadProjectFromTexts('f', [{ path: 'a.yaml', text: MENU.replace('Hi', 'Hello') }]).project.flows[0]!;
    expect(a.hash).toBe(b.hash);
    expect(a.hash).toBe(flowHash(a.flow as Flow));
    expect(c.hash).not.toBe(a.hash);
  });
});

describe('loading from disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowstate-load-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the top-level YAML files only, and reports unreadable ones', () => {
    writeFileSync(join(dir, 'menu.yaml'), MENU);
    writeFileSync(join(dir, 'bot.yaml'), 'default_flow: menu\n');
    writeFileSync(join(dir, 'README.md'), '# notes\n');
    mkdirSync(join(dir, 'tests'));
    writeFileSync(join(dir, 'tests', 'menu.test.yaml'), 'flow: menu\ntests: []\n');
    symlinkSync(join(dir, 'missing-target.yaml'), join(dir, 'dangling.yaml'));
    const { project, diagnostics } = loadProjectDir(dir);
    expect(project.flows.map((f) => f.id)).toEqual(['menu']);
    expect(project.settings.default_flow).toBe('menu');
    expect(diagnostics.map((d) => [d.code, d.rule, d.file])).toEqual([['FS009', 'file-unreadable', join(dir, 'dangling.yaml')]]);
    expect(diagnostics[0]!.message).toBe('This file could not be read (it does not exist). Check that it exists and that you may read it.');
  });

  it('loads a flow test file with its data, or its diagnostics', () => {
    const good = join(dir, 'tests', 'good.test.yaml');
    writeFileSync(good, 'flow: menu\ntests:\n  - name: hi\n    steps:\n      - bot: Hi\n      - ended: true\n');
    const ok = loadYamlFile(good, 'flow-test');
    expect(ok.diagnostics).toEqual([]);
    expect(ok.data).toEqual({ flow: 'menu', tests: [{ name: 'hi', steps: [{ bot: 'Hi' }, { ended: true }] }] });
    expect(ok.source?.path).toBe(good);

    const bad = loadYamlFile(join(dir, 'tests', 'menu.test.yaml'), 'flow-test');
    expect(bad.data).toBeUndefined();
    expect(bad.source).toBeDefined();
    expect(bad.diagnostics.map((d) => d.code)).toEqual(['FS706']);

    const missing = loadYamlFile(join(dir, 'tests', 'nope.test.yaml'), 'flow-test');
    expect(missing).toEqual({ diagnostics: [expect.objectContaining({ code: 'FS009' })] });
  });
});
