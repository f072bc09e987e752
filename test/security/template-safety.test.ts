/**
 * Templates and conditions, end to end through the real loader, compiler and engine: known
 * Handlebars prototype-pollution and code-execution payloads written in a flow (in `say`,
 * `set`, `call` and conditions), the same payloads typed by a person, `__proto__` keys in
 * flows and in call answers, and names such as `constructor` used as states. Nothing reaches
 * a prototype, a constructor, the process environment beyond `env_allow`, or a file; what a
 * person types is echoed as typed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { compileBot, createEngine, drive, type Engine, type HttpPort } from '../../src/engine/index.js';
import type { CallRequest, Conversation, OutMessage } from '../../src/engine/types.js';
import { loadProjectFromTexts } from '../../src/language/load.js';

const SECRET = 'app-secret-must-not-leak';
const TOKEN = 'access-token-must-not-leak';
process.env.FLOWSTATE_SECURITY_TEST_SECRET = SECRET;
const ENV = { APP_SECRET: SECRET, ACCESS_TOKEN: TOKEN, FLOWSTATE_SECURITY_TEST_SECRET: SECRET, HELPDESK_URL: 'https://helpdesk.example' };

const names = (o: object): string[] => Object.getOwnPropertyNames(o).sort();
const pristine = { object: names(Object.prototype), array: names(Array.prototype), string: names(String.prototype), fn: names(Function.prototype) };
const split = String.prototype.split;
afterEach(() => {
  expect(names(Object.prototype)).toEqual(pristine.object);
  expect(names(Array.prototype)).toEqual(pristine.array);
  expect(names(String.prototype)).toEqual(pristine.string);
  expect(names(Function.prototype)).toEqual(pristine.fn);
  expect(String.prototype.split).toBe(split);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

/** Published Handlebars payloads (CVE-2019-19919, CVE-2021-23369, CVE-2021-23383 and variants), and env/file probes. */
const PAYLOADS = [
  '{{#with "s" as |string|}}{{#with "e"}}{{#with split as |conslist|}}{{this.pop}}{{this.push (lookup string.sub "constructor")}}{{this.pop}}{{#with string.split as |codelist|}}{{this.pop}}{{this.push "return process.env.FLOWSTATE_SECURITY_TEST_SECRET;"}}{{this.pop}}{{#each conslist}}{{#with (string.sub.apply 0 codelist)}}{{this}}{{/with}}{{/each}}{{/with}}{{/with}}{{/with}}{{/with}}',
  '{{#with this as |obj|}}{{#with (obj.constructor.keys "1") as |arr|}}{{arr.pop}}{{#blockHelperMissing obj.constructor}}{{/blockHelperMissing}}{{/with}}{{/with}}',
  '{{constructor.constructor "return process.env.FLOWSTATE_SECURITY_TEST_SECRET"}}',
  '{{#with constructor}}{{#with constructor}}{{this "return process.mainModule.require(\'fs\').readFileSync(\'/etc/passwd\',\'utf8\')"}}{{/with}}{{/with}}',
  '{{#with "s" as |s|}}{{s.constructor}}{{s.constructor.constructor}}{{/with}}',
  '{{__proto__}}{{__proto__.polluted}}{{this.__proto__}}{{#with __proto__}}{{__defineGetter__ "polluted" "x"}}{{/with}}',
  '{{lookup this "constructor"}}{{lookup (lookup this "constructor") "prototype"}}',
  '{{#with (lookup this "__proto__") as |proto|}}{{proto.toString}}{{/with}}',
  '{{helperMissing "x"}}{{blockHelperMissing "x"}}{{log "x"}}',
  '{{> /etc/passwd}}',
  '{{> (lookup . "x")}}',
  '{{env.APP_SECRET}}{{env.ACCESS_TOKEN}}{{env.FLOWSTATE_SECURITY_TEST_SECRET}}{{@root.env.APP_SECRET}}{{env.[APP_SECRET]}}',
  '{{process.env.APP_SECRET}}{{@root.process}}{{global.process}}{{this.constructor.constructor}}',
  '{{#each env}}{{@key}}={{this}};{{/each}}',
  '{{user.constructor.name}}{{vars.__proto__}}{{input.constructor}}',
];

const FORBIDDEN_OUTPUT = [SECRET, TOKEN, 'root:', 'function', 'native code', '[object', 'polluted'];

/** An engine from flow objects (written as JSON, which is YAML); validation is skipped on purpose. */
function engineFor(flow: unknown, bot: unknown = { env_allow: ['HELPDESK_URL'], call_allow: ['helpdesk.example'] }): Engine {
  const { project, diagnostics } = loadProjectFromTexts('/bot', [
    { path: '/bot/bot.yaml', text: JSON.stringify(bot) },
    { path: '/bot/f.yaml', text: JSON.stringify(flow) },
  ]);
  const broken = diagnostics.filter((d) => d.code === 'FS001' || d.severity === 'error' && /YAML|parse/i.test(d.message));
  expect(broken).toEqual([]);
  return createEngine(compileBot(project, { env: ENV }));
}

class Person {
  conversation: Conversation | undefined;
  readonly requests: CallRequest[] = [];
  private n = 0;
  constructor(private readonly engine: Engine, private readonly answer: unknown = { id: 'T-1' }) {}
  readonly http: HttpPort = {
    request: async (req) => {
      this.requests.push(req);
      return { status: 200, body: JSON.parse(JSON.stringify(this.answer)) };
    },
  };
  async say(text: string): Promise<string[]> {
    return this.send({ kind: 'text', text });
  }
  async send(event: Parameters<Engine['step']>[0]['event']): Promise<string[]> {
    const stored = this.conversation === undefined ? undefined : (JSON.parse(JSON.stringify(this.conversation)) as Conversation);
    const out = await drive(this.engine, { conversation: stored, event, profile: { id: 'u1', first_name: 'Ana' }, now: 1_700_000_000_000 + ++this.n * 1000, eventId: `e${this.n}` }, this.http);
    this.conversation = out.conversation;
    expect(JSON.parse(JSON.stringify(out.conversation))).toEqual(out.conversation);
    return out.messages.map((m: OutMessage) => (m.kind === 'image' ? m.url : m.text));
  }
}

function expectClean(texts: readonly string[]): void {
  for (const t of texts) for (const bad of FORBIDDEN_OUTPUT) expect(t, `output ${JSON.stringify(t)}`).not.toContain(bad);
}

describe('payloads written in a flow', () => {
  it.each(PAYLOADS)('%s renders harmlessly in say, set and call', async (payload) => {
    const engine = engineFor({
      states: {
        start: {
          set: { probe: payload },
          say: [payload, 'probe=[{{probe}}]'],
          call: { method: 'POST', url: 'https://helpdesk.example/t', headers: { 'X-Probe': payload }, json: { probe: payload, nested: [payload] }, save: 'ticket', on_error: 'failed' },
          next: 'done',
        },
        done: { say: ['Ticket {{ticket.id}}', payload], end: true },
        failed: { say: 'failed', end: true },
      },
    });
    const person = new Person(engine);
    const out = await person.say('hi');
    expect(out).toContain('Ticket T-1');
    expectClean(out);
    expect(person.requests).toHaveLength(1);
    expectClean([JSON.stringify(person.requests[0])]);
    expectClean([JSON.stringify(person.conversation)]);
  });

  it('lets templates read only the environment variables env_allow lists', async () => {
    const engine = engineFor({ states: { start: { say: ['{{#each env}}{{@key}}={{this}};{{/each}}', '[{{env.APP_SECRET}}][{{env.ACCESS_TOKEN}}][{{env.HELPDESK_URL}}]'], end: true } } });
    expect(await new Person(engine).say('hi')).toEqual(['HELPDESK_URL=https://helpdesk.example;', '[][][https://helpdesk.example]']);
  });

  it.each([
    'env.APP_SECRET == "app-secret-must-not-leak"',
    'env.APP_SECRET != null',
    'env["ACCESS_TOKEN"] != null',
    'user.constructor != null',
    'user["constructor"]["constructor"] != null',
    'user.__proto__ != null',
    'probe.constructor.prototype != null',
    '__proto__ != null',
    'constructor != null',
  ])('the condition %s reads nothing it should not', async (condition) => {
    const engine = engineFor({
      states: {
        start: { set: { probe: 'x' }, next: [{ if: condition, goto: 'leaked' }, { goto: 'safe' }] },
        leaked: { say: 'LEAKED', end: true },
        safe: { say: 'safe', end: true },
      },
    });
    expect(await new Person(engine).say('hi')).toEqual(['safe']);
  });
});

describe('what a person types is data', () => {
  const engine = engineFor({
    states: {
      ask: { say: 'Describe it.', ask: { save: 'problem', type: 'text' }, next: 'echo' },
      echo: {
        set: { copy: '{{problem}}', again: '{{input}}' },
        say: ['You typed: {{problem}}', 'Copy: {{copy}}', 'Input: {{again}}'],
        call: { method: 'POST', url: 'https://helpdesk.example/t', json: { title: '{{problem}}' }, save: 'ticket' },
        next: [{ if: 'problem == "{{env.APP_SECRET}}"', goto: 'literal' }, { goto: 'done' }],
      },
      literal: { say: 'compared as text', end: true },
      done: { say: 'done', end: true },
    },
  });

  it.each([...PAYLOADS, '{{env.APP_SECRET}}', '{{{env.APP_SECRET}}}', '\\{{env.APP_SECRET}}', '{{!-- x --}}', '{{#if true}}yes{{/if}}'])('%s is echoed as typed, everywhere', async (typed) => {
    const person = new Person(engine);
    await person.say('hi');
    const out = await person.say(typed);
    expect(out.slice(0, 3)).toEqual([`You typed: ${typed}`, `Copy: ${typed}`, `Input: ${typed}`]);
    expect(out[3]).toBe(typed === '{{env.APP_SECRET}}' ? 'compared as text' : 'done');
    expect(person.requests[0]!.json).toEqual({ title: typed });
    expect(out.join('\n')).not.toContain(SECRET);
  });
});

describe('__proto__ and constructor as data and as names', () => {
  it('a call answer with __proto__ keys is saved as data and pollutes nothing', async () => {
    const answer = JSON.parse('{"__proto__": {"polluted": "yes", "isAdmin": true}, "constructor": {"prototype": {"polluted": "yes"}}, "id": "T-9"}');
    const engine = engineFor({
      states: {
        start: { call: { method: 'GET', url: 'https://helpdesk.example/t', save: 'ticket' }, next: [{ if: 'ticket.isAdmin == true', goto: 'admin' }, { if: 'isAdmin == true', goto: 'admin' }, { goto: 'done' }] },
        admin: { say: 'ADMIN', end: true },
        done: { say: 'Ticket {{ticket.id}} [{{ticket.polluted}}][{{polluted}}][{{ticket.isAdmin}}]', end: true },
      },
    });
    const person = new Person(engine, answer);
    expect(await person.say('hi')).toEqual(['Ticket T-9 [][][]']);
  });

  it('__proto__ and constructor keys written in a flow set nothing on prototypes', async () => {
    const flow = '{"vars": {"__proto__": {"polluted": "vars"}}, "states": {"start": {"set": {"__proto__": {"polluted": "set"}, "constructor": "c", "ok": "yes"}, "say": "ok={{ok}} [{{polluted}}] [{{constructor}}]", "end": true}}}';
    const { project } = loadProjectFromTexts('/bot', [{ path: '/bot/f.yaml', text: flow }]);
    const engine = createEngine(compileBot(project, { env: ENV }));
    const out = await new Person(engine).say('hi');
    expect(out[0]).toMatch(/^ok=yes \[\] \[c?\]$/);
  });

  it('states and flows named like Object.prototype members, and forged payloads naming them, do no harm', async () => {
    const engine = engineFor({
      states: {
        constructor: { say: 'Pick.', quick_replies: [{ title: 'A', goto: 'toString' }, { title: 'B', goto: 'hasOwnProperty' }] },
        toString: { say: 'A chosen.', end: true },
        hasOwnProperty: { say: 'B chosen.', end: true },
      },
    });
    const person = new Person(engine);
    expect(await person.say('hi')).toEqual(['Pick.']);
    for (const payload of ['FS1:f:__proto__:0', 'FS1:__proto__:constructor:0', 'FS1:constructor:constructor:0', 'FS1:f:valueOf:0', '__proto__', 'constructor', 'FS1:f:constructor:999999999999']) {
      const out = await person.send({ kind: 'postback', payload, title: payload });
      expectClean(out);
    }
    const fresh = new Person(engine);
    await fresh.say('hi');
    expect(await fresh.say('A')).toEqual(['A chosen.']);
  });
});
