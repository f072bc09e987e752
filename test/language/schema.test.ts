import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { parseSource } from '../../src/source/parse-yaml.js';
import { checkSchema, schemaFor, type SchemaKind } from '../../src/language/schema.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

function check(kind: SchemaKind, text: string): Diagnostic[] {
  const { file, diagnostics } = parseSource('f.yaml', text);
  expect(diagnostics).toEqual([]);
  return checkSchema(kind, file);
}

/** The only diagnostic of a snippet (fails when there is not exactly one: no cascades). */
function one(kind: SchemaKind, text: string): Diagnostic {
  const list = check(kind, text);
  expect(list.map((d) => d.message)).toHaveLength(1);
  return list[0]!;
}

const at = (d: Diagnostic): string => `${d.line}:${d.column}-${d.endLine}:${d.endColumn}`;

describe('schemas', () => {
  it.each(['flow', 'bot', 'flow-test'] as const)('%s: every property has a description, and every object forbids unknown keys', (kind) => {
    const problems: string[] = [];
    const walk = (node: unknown, where: string, isProperty: boolean): void => {
      if (!node || typeof node !== 'object') return;
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${where}/${i}`, false));
      const s = node as Record<string, unknown>;
      if (isProperty && typeof s.description !== 'string') problems.push(`${where}: no description`);
      if (s.properties && s.additionalProperties !== false && !/dependentSchemas|\/if$/.test(where)) problems.push(`${where}: additionalProperties is not false`);
      for (const [k, v] of Object.entries(s)) {
        if (k === 'properties' && v && typeof v === 'object') {
          for (const [name, sub] of Object.entries(v as object)) if (sub !== false) walk(sub, `${where}/properties/${name}`, !where.includes('dependentSchemas') && !where.includes('/if'));
        } else walk(v, `${where}/${k}`, false);
      }
    };
    const schema = schemaFor(kind);
    walk(schema, '#', false);
    // A property that only refers to a definition takes the definition's description.
    const defs = (schema.$defs ?? {}) as Record<string, Record<string, unknown>>;
    const unresolved = problems.filter((p) => {
      const m = /^(.*): no description$/.exec(p);
      if (!m) return true;
      let node: unknown = schema;
      for (const part of m[1]!.slice(2).split('/')) node = (node as Record<string, unknown>)[part];
      const ref = (node as Record<string, unknown>).$ref;
      return !(typeof ref === 'string' && typeof defs[ref.replace('#/$defs/', '')]?.description === 'string');
    });
    expect(unresolved).toEqual([]);
    expect(schema.$id).toMatch(/^https:\/\/.+\.schema\.json$/);
    expect(typeof schema.title).toBe('string');
  });

  it('accepts the full example flow, bot.yaml and flow test', () => {
    expect(check('flow', fixture('helpdesk.yaml'))).toEqual([]);
    expect(check('bot', fixture('bot.yaml'))).toEqual([]);
    expect(check('flow-test', fixture('helpdesk.test.yaml'))).toEqual([]);
  });

  it('keeps yes, no, on and off as ordinary words where a text is expected (YAML 1.2)', () => {
    expect(check('flow', 'title: yes\ntriggers:\n  keywords: [on, off, no, y]\nstates:\n  a:\n    say: no\n    end: true\n')).toEqual([]);
  });

  it('accepts an empty bot.yaml map', () => {
    expect(check('bot', '{}\n')).toEqual([]);
  });
});

describe('unknown keys (FS101)', () => {
  it('points at the key, suggests the closest and lists the allowed keys, sorted', () => {
    const d = one('flow', 'states:\n  a:\n    sya: Hi\n    end: true\n');
    expect([d.code, d.rule, at(d)]).toEqual(['FS101', 'unknown-key', '3:5-3:8']);
    expect(d.suggestion).toBe('say');
    expect(d.message).toBe(
      'Unknown key "sya" in state "a". Did you mean "say"? The keys allowed here are: "after", "ask", "buttons", "call", "end", "image", "next", "quick_replies", "say", "set".',
    );
  });

  it('names the top of the file and gives no suggestion when nothing is close', () => {
    const d = one('flow', 'colour: blue\nstates:\n  a: { end: true }\n');
    expect(at(d)).toBe('1:1-1:7');
    expect(d.message).toContain('Unknown key "colour" in this flow file.');
    expect(d.message).not.toContain('Did you mean');
    expect(d.suggestion).toBeUndefined();
  });

  it('says a misspelt required key once, not also as missing', () => {
    const d = one('flow', 'states:\n  a:\n    ask: { sav: x }\n    next: a\n');
    expect(d.message).toContain('Did you mean "save"?');
    const branch = one('flow', 'states:\n  a:\n    next:\n      - got: a\n');
    expect(branch.message).toContain('Unknown key "got" in branch 1 of state "a". Did you mean "goto"?');
  });

  it('knows the keys of bot.yaml and of flow test files', () => {
    const bot = one('bot', 'default_flwo: menu\n');
    expect([bot.code, bot.suggestion]).toEqual(['FS101', 'default_flow']);
    const msg = one('bot', 'messages:\n  fallbak: Eh?\n');
    expect([msg.code, msg.suggestion, at(msg)]).toEqual(['FS101', 'fallback', '2:3-2:10']);
    const test = one('flow-test', 'flow: a\ntests:\n  - name: t\n    steps:\n      - bot: Hi\n        quick_reply: [A]\n');
    expect([test.code, test.rule, test.suggestion]).toEqual(['FS701', 'test-unknown-key', 'quick_replies']);
    expect(test.message).toContain('in step 1 of test "t"');
  });
});

describe('wrong types (FS102)', () => {
  it('points at the value and says what is expected', () => {
    const d = one('flow', 'states:\n  a:\n    say: Hi\n    end: yes\n');
    expect([d.code, at(d)]).toEqual(['FS102', '4:10-4:13']);
    expect(d.message).toBe('"end" of state "a" should be true or false, but it is a text. Write true or false (yes, no, on and off are ordinary words in flow files).');
  });

  it('explains `next` that is neither a state name nor a list, once', () => {
    const d = one('flow', 'states:\n  a:\n    next: { goto: b }\n  b: { end: true }\n');
    expect([d.code, at(d)]).toEqual(['FS102', '3:11-3:22']);
    expect(d.message).toBe('"next" of state "a" should be a text or a list, but it is a map of keys and values.');
  });

  it('suggests quotes for a number where a text is expected', () => {
    const d = one('flow', 'states:\n  a:\n    say: 42\n    end: true\n');
    expect(d.message).toBe(
      '"say" of state "a" should be a text, a map from language to text (such as { en: Hello, fr: Bonjour }) or a list of those, but it is a whole number. If you mean the text, put it in quotes: "42".',
    );
  });

  it('says how to write a duration given as a number', () => {
    const d = one('bot', 'session_timeout: 30\n');
    expect(d.message).toContain('A duration is a whole number followed by s, m, h or d');
  });

  it('suggests a list where a list is expected', () => {
    const d = one('flow', 'triggers:\n  keywords: help\nstates:\n  a: { end: true }\n');
    expect(d.message).toContain('Write a list: [help]');
  });

  it('points an empty value at its key', () => {
    const d = one('flow', 'states:\n  a:\n    say:\n    end: true\n');
    expect([d.code, at(d)]).toEqual(['FS102', '3:5-3:8']);
    expect(d.message).toBe('"say" of state "a" is empty: write a text, a map from language to text (such as { en: Hello, fr: Bonjour }) or a list of those after the colon, or remove the key.');
  });

  it('reports an empty state at its name', () => {
    const d = one('flow', 'states:\n  a:\n  b: { end: true }\n');
    expect([d.code, at(d)]).toEqual(['FS102', '2:3-2:4']);
    expect(d.message).toBe('State "a" is empty: give it "say" and then "quick_replies", "buttons", "ask", "next" or "end: true".');
  });

  it('reports a file that is not a map', () => {
    const d = one('flow', '- a\n- b\n');
    expect([d.code, d.line, d.column]).toEqual(['FS102', 1, 1]);
    expect(d.message).toBe('This flow file should be a map of keys and values, but it is a list.');
  });

  it('uses FS702 in flow tests, where user may be a number or true/false but not a list', () => {
    expect(check('flow-test', 'flow: a\ntests:\n  - name: t\n    steps:\n      - user: 48\n      - user: yes\n      - user: true\n')).toEqual([]);
    const d = one('flow-test', 'flow: a\ntests:\n  - name: t\n    steps:\n      - user: [a]\n');
    expect([d.code, at(d)]).toEqual(['FS702', '5:15-5:18']);
  });
});

describe('missing keys (FS103)', () => {
  it('points at the parent key and says what the key is for', () => {
    const d = one('flow', 'states:\n  a:\n    ask:\n      type: email\n    next: a\n');
    expect([d.code, d.rule, at(d)]).toEqual(['FS103', 'missing-key', '3:5-3:8']);
    expect(d.message).toBe('"ask" of state "a" is missing "save" (the variable that stores the answer, for example email; show it later with {{email}}): add "save:".');
  });

  it('reports a file without states at its first line', () => {
    const d = one('flow', 'title: Hello\n');
    expect([d.code, at(d)]).toEqual(['FS103', '1:1-1:13']);
    expect(d.message).toContain('This flow file is missing "states"');
  });

  it('requires a pattern for type: pattern', () => {
    const d = one('flow', 'states:\n  a:\n    ask: { save: code, type: pattern }\n    next: a\n');
    expect(d.message).toContain('is missing "pattern"');
  });

  it('explains a choice that leads nowhere once, listing the ways', () => {
    const q = one('flow', 'states:\n  a:\n    quick_replies:\n      - title: Go\n')!;
    expect([q.code, at(q)]).toEqual(['FS103', '4:9-4:18']);
    expect(q.message).toBe('Quick reply 1 of state "a" needs one of "goto" (a state of this flow) or "flow" (another flow to start).');
    const b = one('flow', 'states:\n  a:\n    buttons:\n      - title: Go\n');
    expect(b.message).toBe('Button 1 of state "a" needs one of "goto" (a state of this flow), "flow" (another flow to start) or "url" (a web page to open).');
  });

  it('requires say or goto on a timer', () => {
    const d = one('flow', 'states:\n  a:\n    ask: { save: x }\n    next: a\n    after:\n      - after: 5m\n');
    expect(d.message).toBe('Timer 1 of state "a" needs one of "say" (a reminder) or "goto" (a state of this flow).');
  });

  it('lists the actions of an empty test step, and requires bot with quick_replies', () => {
    const d = one('flow-test', 'flow: a\ntests:\n  - name: t\n    steps:\n      - {}\n');
    expect(d.code).toBe('FS703');
    expect(d.message).toBe('Step 1 of test "t" needs one of "bot", "image", "user", "tap", "wait", "ended", "state" or "vars".');
    const q = one('flow-test', 'flow: a\ntests:\n  - name: t\n    steps:\n      - user: hi\n        quick_replies: [A]\n');
    expect([q.code, at(q)]).toEqual(['FS703', '6:9-6:22']);
    expect(q.message).toContain('"quick_replies" only works together with "bot"');
  });

  it('requires flow and tests in a test file', () => {
    const list = check('flow-test', 'user: { first_name: Ana }\n');
    expect(list.map((d) => d.code)).toEqual(['FS703', 'FS703']);
  });
});

describe('values (FS104)', () => {
  it('lists the allowed values of an enum and suggests the closest', () => {
    const d = one('flow', 'states:\n  a:\n    ask: { save: x, type: emial }\n    next: a\n');
    expect([d.code, at(d), d.suggestion]).toEqual(['FS104', '3:27-3:32', 'email']);
    expect(d.message).toBe('"emial" is not allowed for "type" of "ask" of state "a". Did you mean "email"? Use one of: text, number, integer, email, phone, date, yes_no, url, pattern.');
  });

  it('checks ranges', () => {
    const d = one('flow', 'states:\n  a:\n    ask: { save: x, attempts: 0 }\n    next: a\n');
    expect(d.message).toBe('"attempts" of "ask" of state "a" is 0, but it must be at least 1.');
    expect(one('flow-test', 'flow: a\nmocks: [{ url: u, status: 700 }]\ntests: [{ name: t, steps: [{ ended: true }] }]\n').code).toBe('FS704');
  });

  it('checks call_allow hosts', () => {
    const d = one('bot', 'call_allow: ["https://helpdesk.example.com/api"]\n');
    expect([d.code, d.rule]).toEqual(['FS104', 'invalid-value']);
    expect(d.message).toContain('no https://');
  });
});

describe('limits, empty values, duplicates', () => {
  it('points at the first quick reply over 13 (FS105)', () => {
    const items = Array.from({ length: 14 }, (_, i) => `      - { title: "R${i}", goto: a }`).join('\n');
    const d = one('flow', `states:\n  a:\n    quick_replies:\n${items}\n`);
    expect([d.code, d.rule, d.line]).toEqual(['FS105', 'too-many-items', 17]);
    expect(d.message).toBe('"quick_replies" of state "a" has 14 items, but at most 13 are allowed (a platform limit): remove 1, or split them over two states.');
  });

  it('points at the fourth button', () => {
    const d = one('flow', 'states:\n  a:\n    buttons:\n      - { title: A, goto: a }\n      - { title: B, goto: a }\n      - { title: C, goto: a }\n      - { title: D, goto: a }\n');
    expect([d.code, at(d)]).toEqual(['FS105', '7:9-7:30']);
  });

  it('reports empty lists, maps and texts (FS106)', () => {
    expect(one('flow', 'states:\n  a:\n    quick_replies: []\n').code).toBe('FS106');
    expect(one('flow', 'states: {}\n').message).toBe('"states" is empty: add at least one entry, or remove the key.');
    expect(one('flow', 'states:\n  a:\n    say: {}\n    end: true\n').code).toBe('FS106');
    expect(one('flow-test', 'flow: a\ntests: []\n').code).toBe('FS706');
  });

  it('reports a repeated keyword at the second one (FS110)', () => {
    const d = one('flow', 'triggers:\n  keywords: [help, Hi, help]\nstates:\n  a: { end: true }\n');
    expect([d.code, at(d)]).toEqual(['FS110', '2:24-2:28']);
    expect(d.message).toBe('"help" appears twice in "keywords" of "triggers" (items 1 and 3): remove one.');
  });
});

describe('conflicting keys (FS107)', () => {
  it('reports a button with both url and goto once, at the second key', () => {
    const d = one('flow', 'states:\n  a:\n    buttons:\n      - title: Go\n        url: https://example.com\n        goto: a\n');
    expect([d.code, d.rule, at(d)]).toEqual(['FS107', 'conflicting-keys', '6:9-6:13']);
    expect(d.message).toBe('Button 1 of state "a" has both "url" and "goto", but takes only one of "goto", "flow" or "url": keep one and remove the other.');
  });

  it('reports payload on a url button', () => {
    const d = one('flow', 'states:\n  a:\n    buttons:\n      - title: Go\n        url: https://example.com\n        payload: X\n');
    expect([d.code, at(d)]).toEqual(['FS107', '6:9-6:16']);
    expect(d.message).toBe('"payload" cannot be used together with "url" in button 1 of state "a": remove one of them.');
  });

  it('reports json with form, and a test step doing two things', () => {
    expect(one('flow', 'states:\n  a:\n    call: { url: u, json: {}, form: {} }\n    next: a\n').code).toBe('FS107');
    const d = one('flow-test', 'flow: a\ntests:\n  - name: t\n    steps:\n      - { bot: Hi, tap: Go }\n');
    expect(d.code).toBe('FS705');
    expect(d.message).toContain('has both "bot" and "tap"');
  });
});

describe('names and durations (FS108, FS109)', () => {
  it('checks state names at the key', () => {
    const d = one('flow', 'states:\n  ask email:\n    end: true\n');
    expect([d.code, d.rule, at(d)]).toEqual(['FS108', 'invalid-name', '2:3-2:12']);
    expect(d.message).toContain('"ask email" is not a valid name here (in "states"). A state name starts with a letter');
  });

  it('checks flow ids, variable names and language codes', () => {
    expect(one('flow', 'id: IT Helpdesk\nstates:\n  a: { end: true }\n').code).toBe('FS108');
    expect(one('flow', 'states:\n  a:\n    set: { my-var: 1 }\n    end: true\n').message).toContain('A variable name');
    const lang = one('flow', 'states:\n  a:\n    say: { English: Hi }\n    end: true\n');
    expect([lang.code, at(lang)]).toEqual(['FS108', '3:12-3:19']);
  });

  it('checks durations at the value', () => {
    const d = one('flow', 'states:\n  a:\n    call: { url: u, timeout: 10 sec }\n    next: a\n');
    expect([d.code, d.rule, at(d)]).toEqual(['FS109', 'invalid-duration', '3:30-3:36']);
    expect(d.message).toBe('"10 sec" is not valid for "timeout" of "call" of state "a". A duration is a whole number followed by s, m, h or d, without spaces, for example 10s, 30m, 1h30m or 2d.');
    expect(one('flow-test', 'flow: a\ntests:\n  - name: t\n    steps:\n      - wait: 10 minutes\n').code).toBe('FS704');
  });
});

it('gives nothing for a file whose YAML is broken (its YAML diagnostics say it)', () => {
  const { file } = parseSource('f.yaml', 'a: 1\na: 2\n');
  expect(checkSchema('flow', file)).toEqual([]);
});
