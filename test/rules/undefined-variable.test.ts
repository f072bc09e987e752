import { describe, expect, it } from 'vitest';
import { check, yaml } from './helpers.js';

describe('undefined-variable', () => {
  it('accepts variables saved by ask, call, set, choice set and vars, and the built-in names', () => {
    expect(check('undefined-variable', yaml`
      vars: { v: 1 }
      states:
        a:
          say: "{{v}} {{user.first_name}} {{input}}"
          quick_replies: [{ title: X, set: { c: 1 }, goto: b }]
        b:
          set: { s: 1 }
          say: Name?
          ask: { save: name }
          next: c
        c:
          call: { url: "https://x.example.com/{{name}}", on_error: failed, save: ticket }
          next: [{ if: c == 1 and s == 1, goto: d }, { goto: d }]
        d: { say: "{{ticket.id}} {{name}}", end: true }
        failed: { say: "{{error.status}}", end: true }
    `)).toEqual([]);
  });

  it('reports a variable saved nowhere, with a suggestion from the flow', () => {
    const d = check('undefined-variable', yaml`
      states:
        a: { say: Problem?, ask: { save: problem }, next: b }
        b: { say: "You wrote {{probelm}}", end: true }
    `);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ line: 3, column: 26, suggestion: 'problem' });
    expect(d[0]!.message).toContain('Variables of this flow: "problem"');
  });

  it('reports a variable in a condition', () => {
    const d = check('undefined-variable', yaml`
      states:
        a: { say: A, next: [{ if: days > 3, goto: b }, { goto: b }] }
        b: { say: B, end: true }
    `);
    expect(d.map((x) => x.message.split('"')[1])).toEqual(['days']);
  });

  it('reports "error" outside the states after an on_error', () => {
    const d = check('undefined-variable', yaml`
      states:
        a: { say: "{{error.message}}", end: true }
    `);
    expect(d[0]!.message).toContain('"error" is only set after a call fails');
  });

  it('suggests the whole corrected name when the root is a typo of a saved one', () => {
    const d = check('undefined-variable', yaml`
      states:
        a: { call: { url: "https://x.example.com/t", save: ticket }, next: b }
        b: { say: "Ticket {{tiket.id}}", end: true }
    `);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ suggestion: 'ticket.id' });
    expect(d[0]!.message).toContain('Did you mean "ticket"?');
  });

  it('explains that the profile is "user" when a flow writes profile.*, person.* and the like', () => {
    const d = check('undefined-variable', yaml`
      states:
        a: { say: "Hi {{profile.first_name}}, {{Person}} ({{employee.email}})", end: true }
    `);
    expect(d.map((x) => x.suggestion)).toEqual(['user.first_name', 'user.name', 'user.email']);
    expect(d[0]!.message).toBe('"profile" is not a name Flowstate knows. The person\'s profile is "user": write {{user.first_name}}. Its fields: "department", "email", "first_name", "id", "last_name", "locale", "name" and "title".');
    expect(d[0]).toMatchObject({ line: 2, column: 19 });
  });

  it('explains that answers are read by their own name when a flow writes answers.days', () => {
    const d = check('undefined-variable', yaml`
      states:
        a: { say: Days?, ask: { save: days }, next: b }
        b: { say: "{{answers.days}} or {{vars.dayz}}? {{answers.nothing_like_it}}", end: true }
    `);
    expect(d.map((x) => x.suggestion)).toEqual(['days', 'days', undefined]);
    expect(d[0]!.message).toBe('Saved answers and variables are read by their own name, without "answers.": write {{days}}.');
    expect(d[2]!.message).toContain('The variable "answers" is used here but saved nowhere in this flow.');
  });

  it('writes the corrected name bare in a condition', () => {
    const d = check('undefined-variable', yaml`
      states:
        a: { say: Days?, ask: { save: days }, next: b }
        b: { say: B, next: [{ if: answers.days > 3 and profile.department == "IT", goto: c }, { goto: c }] }
        c: { say: C, end: true }
    `);
    expect(d.map((x) => x.message)).toEqual([
      'Saved answers and variables are read by their own name, without "answers.": write days.',
      expect.stringContaining('The person\'s profile is "user": write user.department.'),
    ]);
  });

  it('leaves a saved variable called like an alias alone', () => {
    expect(check('undefined-variable', yaml`
      states:
        a: { say: Who?, ask: { save: contact }, next: b }
        b: { say: "{{contact}}", end: true }
    `)).toEqual([]);
  });
});
