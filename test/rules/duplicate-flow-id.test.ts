import { describe, expect, it } from 'vitest';
import { check } from './helpers.js';

const body = 'states:\n  a: { say: A, end: true }\n';

describe('duplicate-flow-id', () => {
  it('accepts distinct ids', () => {
    expect(check('duplicate-flow-id', { 'a.yaml': body, 'b.yaml': body, 'bot.yaml': 'default_flow: a\n' })).toEqual([]);
  });

  it('reports the second file, pointing back at the first', () => {
    const d = check('duplicate-flow-id', { 'a.yaml': body, 'b.yaml': `id: a\n${body}`, 'bot.yaml': 'default_flow: a\n' });
    expect(d.map((x) => `${x.file}:${x.line}:${x.column}`)).toEqual(['flows/b.yaml:1:5']);
    expect(d[0]!.message).toContain('already used by flows/a.yaml:1');
  });
});

describe('duplicate-flow-id in a folder given by its absolute path', () => {
  it('names the other file from the folder, not by its absolute path', async () => {
    const { loadProjectFromTexts } = await import('../../src/language/load.js');
    const { validateProject } = await import('../../src/language/validate.js');
    const dir = '/home/ana/bots/flows';
    const { project } = loadProjectFromTexts(dir, [
      { path: `${dir}/a.yaml`, text: body },
      { path: `${dir}/b.yaml`, text: `id: a\n${body}` },
      { path: `${dir}/bot.yaml`, text: 'default_flow: a\n' },
    ]);
    const d = validateProject(project).filter((x) => x.rule === 'duplicate-flow-id');
    expect(d[0]!.message).toContain('already used by flows/a.yaml:1.');
    expect(d[0]!.message).not.toContain('/home/ana');
  });
});
