/** Test helpers: an in-memory CliIo and a temporary bot folder. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../src/cli/io.js';

export interface MemoryIo extends CliIo {
  out(): string;
  err(): string;
  input: PassThrough;
}

export function memoryIo(cwd: string, env: NodeJS.ProcessEnv = {}): MemoryIo {
  let out = '';
  let err = '';
  const input = new PassThrough();
  return {
    stdin: input,
    input,
    stdout: { write: (s: string) => ((out += s), true) },
    stderr: { write: (s: string) => ((err += s), true) },
    env,
    cwd,
    out: () => out,
    err: () => err,
  };
}

/** Writes `files` (relative path -> text) under a fresh temporary folder; returns it. */
export function tempProject(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'flowstate-cli-'));
  for (const [rel, text] of Object.entries(files)) {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return root;
}

export const HELPDESK_FLOW = `title: Helpdesk
states:
  welcome:
    say: "Hi {{user.first_name}}! What do you need?"
    quick_replies:
      - title: Password reset
        goto: password
      - title: Ticket
        goto: describe
  password:
    say: Go to the reset page.
    end: true
  describe:
    say: Describe the problem.
    ask:
      save: problem
    next: create
  create:
    call:
      method: POST
      url: "http://helpdesk.test/tickets"
      save: ticket
      on_error: failed
    next: done
  done:
    say: "Ticket {{ticket.id}} is open."
    end: true
  failed:
    say: Could not open a ticket.
    end: true
`;

export const BOT_YAML = 'call_allow: [helpdesk.test]\n';
