import { describe, expect, it } from 'vitest';
import { check } from './helpers.js';

const flow = 'triggers: { keywords: [helpdesk, Help] }\nstates:\n  a: { say: A, end: true }\n';

describe('keyword-is-command', () => {
  it('warns at a keyword that is a default command word', () => {
    const d = check('keyword-is-command', flow);
    expect(d.map((x) => `${x.line}:${x.column}`)).toEqual(['1:34']);
    expect(d[0]!.message).toContain('global command "help"');
  });

  it('follows the commands of bot.yaml', () => {
    expect(check('keyword-is-command', { 'main.yaml': flow, 'bot.yaml': 'commands: { help: [aide] }\n' })).toEqual([]);
  });
});
