import { describe, expect, it } from 'vitest';
import { check } from './helpers.js';

const body = 'states:\n  a: { say: A, end: true }\n';

describe('invalid-name (a flow id taken from the file name)', () => {
  it('accepts file names of the form of a flow id', () => {
    expect(check('invalid-name', { 'it-helpdesk.yaml': body, 'leave_request.yml': body, 'bot.yaml': 'default_flow: it-helpdesk\n' })).toEqual([]);
  });

  it('reports a file name that is not a flow id, with the file to rename and the id to add', () => {
    const d = check('invalid-name', { 'Leave Request.yaml': body, 'bot.yaml': 'default_flow: main\n', 'main.yaml': body });
    expect(d.map((x) => `${x.file}:${x.line}:${x.column} ${x.code}`)).toEqual(['flows/Leave Request.yaml:1:1 FS108']);
    expect(d[0]!.message).toContain('its file name "Leave Request.yaml" gives its id, "Leave Request"');
    expect(d[0]!.message).toContain('Rename the file (for example leave-request.yaml), or add the line "id: leave-request"');
    expect(d[0]!.suggestion).toBe('leave-request');
  });

  it('reports a name that starts with a digit, and suggests one that starts with a letter', () => {
    const d = check('invalid-name', { '2fa.yaml': body, 'bot.yaml': 'default_flow: main\n', 'main.yaml': body });
    expect(d).toHaveLength(1);
    expect(d[0]!.suggestion).toBe('flow-2fa');
  });

  it('leaves a file with its own valid id: alone, whatever its name', () => {
    expect(check('invalid-name', { 'Leave Request.yaml': `id: leave-request\n${body}`, 'bot.yaml': 'default_flow: leave-request\n' })).toEqual([]);
  });
});
