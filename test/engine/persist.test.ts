import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadProjectDir } from '../../src/language/load.js';
import { compileBot } from '../../src/engine/index.js';
import type { StepOutput } from '../../src/engine/types.js';
import { Chat, texts } from './helpers.js';

const dir = fileURLToPath(new URL('../../flows', import.meta.url));
const script = fileURLToPath(new URL('./fixtures-process/continue.ts', import.meta.url));
const env = { HELPDESK_URL: 'http://helpdesk.example.com' };

describe('a conversation serialised to JSON', () => {
  it('continues correctly in a fresh process', () => {
    const bot = compileBot(loadProjectDir(dir).project, { env });
    const chat = new Chat(bot);
    chat.text('helpdesk');
    chat.text('Something else');
    const json = JSON.stringify(chat.conversation);
    const step = { conversation: JSON.parse(json), event: { kind: 'text', text: 'My screen flickers since Monday' }, profile: chat.profile, now: chat.now + 1000, eventId: 'm-next' };
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', script], { input: JSON.stringify({ dir, env, step }), encoding: 'utf8', cwd: fileURLToPath(new URL('../..', import.meta.url)) });
    const remote = JSON.parse(stdout) as StepOutput;
    // the same step in this process gives the same result: the step is pure
    const local = chat.text('My screen flickers since Monday');
    expect(remote).toEqual(JSON.parse(JSON.stringify(local)));
    expect(texts(remote.messages).join('\n')).toMatch(/My screen flickers since Monday/);
    expect(remote.conversation.status).toBe('active');
  });
});
