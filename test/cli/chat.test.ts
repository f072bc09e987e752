import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { parseProfile } from '../../src/cli/chat-profile.js';
import { BOT_YAML, HELPDESK_FLOW, memoryIo, tempProject } from './helpers.js';

const MOCKS = 'mocks:\n  - { method: POST, url: "http://helpdesk.test/tickets", status: 201, json: { id: T-7 } }\n';

describe('flow chat', () => {
  const cwd = tempProject({ 'flows/helpdesk.yaml': HELPDESK_FLOW, 'flows/bot.yaml': BOT_YAML, 'mocks.yaml': MOCKS });

  it('numbers the choices, taps by number, sends text, and answers /vars, /state, /restart and /quit', async () => {
    const io = memoryIo(cwd);
    io.input.end(['2', '/state', 'The screen flickers', '/vars', '/restart', '1', '/quit', 'never read'].join('\n') + '\n');
    const code = await main(['chat', 'helpdesk', '--as', 'name=Ana Lopez', '--mock', 'mocks.yaml'], io);
    const out = io.out();
    expect(code).toBe(0);
    expect(out).toContain('bot> Hi Ana! What do you need?\n     [1] Password reset\n     [2] Ticket\n');
    expect(out).toContain('bot> Describe the problem.');
    expect(out).toContain('flow helpdesk, state describe, waiting for answer');
    expect(out).toContain('bot> Ticket T-7 is open.');
    expect(out).toContain('(the conversation is over');
    expect(out).toContain('{}');
    expect(out).toContain('bot> Go to the reset page.');
    expect(out.match(/Hi Ana! What do you need\?/g)).toHaveLength(2);
  });

  it('advances time with /wait and ends at the end of input', async () => {
    const root = tempProject({
      'flows/remind.yaml': 'states:\n  ask:\n    say: Your name?\n    ask: { save: name }\n    next: done\n    after:\n      - after: 10m\n        say: Still there?\n  done:\n    say: "Hi {{name}}"\n    end: true\n',
    });
    const io = memoryIo(root);
    io.input.end('/wait 5m\n/wait 5m\n/wait soon\nAna\n');
    expect(await main(['chat', 'flows/remind.yaml'], io)).toBe(0);
    expect(io.out()).toContain('(5m later: nothing happened)');
    expect(io.out()).toContain('bot> Still there?');
    expect(io.out()).toContain('Write how long to wait as a duration');
    expect(io.out()).toContain('bot> Hi Ana');
  });

  it('refuses a bot with errors (exit 1) and bad options (exit 2)', async () => {
    const broken = tempProject({ 'flows/helpdesk.yaml': HELPDESK_FLOW.replace('next: done', 'next: dnoe'), 'flows/bot.yaml': BOT_YAML });
    const io = memoryIo(broken);
    io.input.end('');
    expect(await main(['chat', 'helpdesk'], io)).toBe(1);
    expect(io.out()).toContain('has errors; fix them before chatting');
    const bad = memoryIo(cwd);
    expect(await main(['chat', 'helpdesk', '--as', 'shoe=42'], bad)).toBe(2);
    expect(bad.err()).toContain('"shoe=42" is not one');
    expect(await main(['chat'], memoryIo(cwd))).toBe(2);
  });

  it('reads a profile from --as', () => {
    expect(parseProfile('name=Ana Lopez,locale=fr_FR')).toEqual({ id: 'cli-user', name: 'Ana Lopez', first_name: 'Ana', last_name: 'Lopez', locale: 'fr_FR' });
  });
});
