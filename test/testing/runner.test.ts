import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { checkProjectDir } from '../../src/language/validate.js';
import { Coverage } from '../../src/testing/coverage.js';
import { createMockHttp, mockMatches } from '../../src/testing/mock-http.js';
import { runTestFiles } from '../../src/testing/run-files.js';
import { loadTestFile } from '../../src/testing/test-file.js';
import type { CallRequest } from '../../src/engine/types.js';
import { BOT_YAML, HELPDESK_FLOW, memoryIo, tempProject } from '../cli/helpers.js';

const PASSING = `flow: helpdesk
user: { first_name: Ana }
mocks:
  - { method: POST, url: "http://helpdesk.test/tickets", status: 201, json: { id: T-42 } }
tests:
  - name: open a ticket
    steps:
      - bot: "Hi Ana! What do you need?"
        quick_replies: [Password reset, Ticket]
      - tap: Ticket
      - bot: Describe the problem.
      - user: 48
      - bot: /Ticket T-\\d+ is open/
      - ended: true
      - vars: {}
  - name: reset
    steps:
      - bot: /What do you need/
      - user: password reset
      - bot: Go to the reset page.
      - ended: true
`;

const FAILING = `flow: helpdesk
tests:
  - name: wrong text
    steps:
      - bot: Hello
  - name: unexpected message
    steps:
      - tap: Ticket
  - name: no mock
    steps:
      - bot: /What do you need/
      - tap: Ticket
      - bot: Describe the problem.
      - user: yes
  - name: no such button
    steps:
      - bot: /What do you need/
      - tap: Nope
`;

function request(method: string, url: string, query?: Record<string, string>): CallRequest {
  return { id: 'c1', method, url, headers: {}, timeoutMs: 1000, idempotencyKey: 'k', ...(query ? { query } : {}) };
}

describe('mocks', () => {
  it('match on method and URL, and on the query only when the mock gives one', () => {
    expect(mockMatches({ method: 'POST', url: 'http://h.test/t' }, request('POST', 'http://h.test/t?x=1'))).toBe(true);
    expect(mockMatches({ url: 'http://h.test/t' }, request('POST', 'http://h.test/t'))).toBe(false);
    expect(mockMatches({ url: 'http://h.test/t?b=2&a=1' }, request('GET', 'http://h.test/t', { a: '1', b: '2' }))).toBe(true);
    expect(mockMatches({ url: 'http://h.test/t?a=1' }, request('GET', 'http://h.test/t', { a: '2' }))).toBe(false);
  });
  it('answer, fail on demand, and record calls nobody answers', async () => {
    const http = createMockHttp([{ url: 'http://h.test/a', status: 404 }, { url: 'http://h.test/b', error: 'timeout' }], ['h.test']);
    expect(await http.request(request('GET', 'http://h.test/a'))).toEqual({ status: 404 });
    expect(await http.request(request('GET', 'http://h.test/b'))).toEqual({ status: 0, error: 'timeout' });
    expect((await http.request(request('GET', 'http://h.test/c'))).error).toContain('no mock answers GET http://h.test/c');
    expect(http.unmatched).toHaveLength(1);
  });
  it('refuse, as the server does, the calls call_allow does not let through, even when a mock answers them', async () => {
    const mocks = [{ url: 'https://evil.test/x', json: { v: 1 } }, { url: 'http://127.0.0.1/x', json: { v: 2 } }, { url: 'ftp://h.test/x', json: { v: 3 } }];
    const http = createMockHttp(mocks, ['h.test', '127.0.0.1:8080']);
    const evil = await http.request(request('GET', 'https://evil.test/x'));
    expect(evil).toEqual({ status: 0, error: 'The call to https://evil.test was refused: it is not in call_allow in bot.yaml ("h.test", "127.0.0.1:8080"). Add "evil.test" to call_allow in bot.yaml if flows may call it, or fix the url of the call.' });
    expect((await http.request(request('GET', 'http://127.0.0.1/x'))).error).toContain('The call to http://127.0.0.1 was refused');
    expect((await http.request(request('GET', 'ftp://h.test/x'))).error).toContain('a call can only reach http:// or https:// addresses');
    expect((await http.request(request('GET', 'h.test/x'))).error).toContain('not a complete web address');
    // Refused calls are not "unmatched": the flow gets the refusal as its call error.
    expect(http.unmatched).toHaveLength(0);
    expect(http.calls).toHaveLength(4);
  });
});

describe('a flow test of a call outside call_allow', () => {
  it('fails where the server would refuse the call, although a mock answers it', async () => {
    const root = tempProject({
      'flows/bot.yaml': 'default_flow: f\ncall_allow: [api.example.com]\n',
      'flows/f.yaml': [
        'start: s0',
        'states:',
        '  s0:',
        '    say: URL?',
        '    ask: { save: u, type: url }',
        '    next: s1',
        '  s1:',
        '    call: { method: GET, url: "{{u}}/x", save: r, on_error: bad }',
        '    next: s2',
        '  s2:',
        '    say: "ok {{r.v}}"',
        '    end: true',
        '  bad:',
        '    say: "bad {{error.message}}"',
        '    end: true',
        '',
      ].join('\n'),
      'flows/tests/f.test.yaml': [
        'flow: f',
        'mocks:',
        '  - { method: GET, url: "https://evil.test/x", json: { v: 1 } }',
        '  - { method: GET, url: "https://api.example.com/x", json: { v: 2 } }',
        'tests:',
        '  - name: evil',
        '    steps:',
        '      - bot: URL?',
        '      - user: https://evil.test',
        '      - bot: ok 1',
        '  - name: allowed',
        '    steps:',
        '      - bot: URL?',
        '      - user: https://api.example.com',
        '      - bot: ok 2',
        '',
      ].join('\n'),
    });
    const { project } = checkProjectDir(`${root}/flows`);
    const file = loadTestFile(`${root}/flows/tests/f.test.yaml`).file!;
    const [result] = await runTestFiles(project, [file], new Coverage());
    expect(result!.results.map((r) => r.passed)).toEqual([false, true]);
    expect(result!.results[0]!.failure?.message).toContain('bad The call to https://evil.test was refused');
  });
});

describe('running test files', () => {
  const root = tempProject({
    'flows/helpdesk.yaml': HELPDESK_FLOW,
    'flows/bot.yaml': BOT_YAML,
    'flows/tests/pass.test.yaml': PASSING,
    'flows/tests/fail.test.yaml': FAILING,
  });

  it('passes good tests, explains failures in plain words, and reports coverage', async () => {
    const { project } = checkProjectDir(`${root}/flows`);
    const files = ['pass', 'fail'].map((n) => loadTestFile(`${root}/flows/tests/${n}.test.yaml`).file!);
    const coverage = new Coverage();
    const [pass, fail] = await runTestFiles(project, files, coverage);
    expect(pass!.results.map((r) => r.passed)).toEqual([true, true]);
    const failures = fail!.results.map((r) => r.failure?.message ?? 'passed');
    expect(failures[0]).toBe('Expected the bot to say "Hello", but it said "Hi ! What do you need?" with quick replies [Password reset, Ticket].');
    expect(failures[1]).toContain('the bot said "Hi ! What do you need?"');
    expect(failures[1]).toContain('which the test does not expect');
    expect(failures[2]).toContain('no mock answers it');
    expect(failures[2]).toContain('POST http://helpdesk.test/tickets');
    expect(failures[3]).toBe('There is no quick reply or button "Nope" to tap. The bot offers: "Password reset", "Ticket".');
    expect(fail!.results[0]!.failure!.line).toBe(5);
    expect(coverage.statesNotReached('helpdesk', project.flows[0]!.flow!)).toEqual(['failed']);
    expect(coverage.transitionsNotReached('helpdesk', project.flows[0]!.flow!).map((t) => t.id)).toContain('create -> failed');
  });

  it('flow test prints ✓/✗, coverage and a summary, and exits 1 when a test fails', async () => {
    const io = memoryIo(root);
    expect(await main(['test'], io)).toBe(1);
    const out = io.out();
    expect(out).toContain('✓ open a ticket');
    expect(out).toContain('✗ wrong text');
    expect(out).toContain('flows/tests/fail.test.yaml:5 (step 1, line 5)');
    expect(out).toContain('states not reached: failed');
    expect(out).toContain('transitions not reached: create -> failed (on_error)');
    expect(out).toContain('6 tests: 2 passed, 4 failed');
    const only = memoryIo(root);
    expect(await main(['test', 'flows/tests/pass.test.yaml'], only)).toBe(0);
    expect(only.out()).toContain('2 tests: 2 passed, 0 failed');
  });

  it('refuses to run the tests of a bot with errors', async () => {
    const broken = tempProject({ 'flows/helpdesk.yaml': HELPDESK_FLOW.replace('next: done', 'next: dnoe'), 'flows/bot.yaml': BOT_YAML, 'flows/tests/pass.test.yaml': PASSING });
    const io = memoryIo(broken);
    expect(await main(['test'], io)).toBe(1);
    expect(io.out()).toContain('has errors; fix them before its tests can run');
    expect(io.out()).toContain('flows/helpdesk.yaml:');
  });
});

describe('time in tests', () => {
  const flow = `states:
  ask:
    say: Your name?
    ask: { save: name }
    next: thanks
    after:
      - after: 10m
        say: Still there?
      - after: 20m
        goto: timeout
  thanks:
    say: "Thanks {{name}}"
    end: true
  timeout:
    say: Let's stop here.
    end: true
`;
  const tests = `flow: remind
tests:
  - name: reminder then time-out
    steps:
      - bot: Your name?
      - wait: 9m
      - wait: 1m
      - bot: Still there?
      - wait: 9m
      - state: ask
      - wait: 1m
      - bot: Let's stop here.
      - ended: true
  - name: answer in time
    steps:
      - bot: Your name?
      - wait: 5m
      - state: ask
      - user: Ana
      - bot: Thanks Ana
      - ended: true
  - name: state after the end
    steps:
      - bot: Your name?
      - user: Ana
      - bot: Thanks Ana
      - state: thanks
`;
  it('wait advances the simulated clock and fires due timers in order', async () => {
    const root = tempProject({ 'flows/remind.yaml': flow, 'flows/tests/remind.test.yaml': tests });
    const io = memoryIo(root);
    const code = await main(['test'], io);
    expect(io.out()).toContain('✓ reminder then time-out');
    expect(io.out()).toContain('✓ answer in time');
    expect(io.out()).toContain('✗ state after the end');
    expect(io.out()).toContain('Expected the conversation to be in state "thanks", but it is over.');
    expect(code).toBe(1);
  });
});

describe('an expected /regex/ that is not valid', () => {
  it('fails its step with a plain explanation instead of stopping the run', async () => {
    const root = tempProject({
      'flows/pic.yaml': 'states:\n  a:\n    image: "http://x.test/a.png"\n    say: Hi\n    end: true\n',
      'flows/tests/pic.test.yaml': 'flow: pic\ntests:\n  - name: image\n    steps:\n      - image: "/a(.png/"\n      - bot: Hi\n  - name: text\n    steps:\n      - image: /a.png/\n      - bot: "/H(i/"\n',
    });
    const { project } = checkProjectDir(`${root}/flows`);
    const [result] = await runTestFiles(project, [loadTestFile(`${root}/flows/tests/pic.test.yaml`).file!], new Coverage());
    expect(result!.results.map((r) => r.failure?.line)).toEqual([5, 10]);
    expect(result!.results[0]!.failure!.message).toContain('/a(.png/ is not a valid /regex/');
    expect(result!.results[1]!.failure!.message).toContain('/H(i/ is not a valid /regex/');
  });
});
