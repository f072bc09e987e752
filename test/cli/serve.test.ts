/**
 * `flow serve` as a real process: a server that cannot start (a setting is wrong) ends the
 * command with exit code 1 and the setting's name, as `npm start` does.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const FLOW = resolve('bin/flow.js');

function serve(env: Record<string, string>): { status: number | null; stderr: string } {
  // A folder of its own: no .env of the project is read.
  const cwd = mkdtempSync(join(tmpdir(), 'flowstate-serve-'));
  const r = spawnSync(process.execPath, [FLOW, 'serve'], { cwd, env: { PATH: process.env.PATH ?? '', FLOWS_DIR: resolve('flows'), ...env }, encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stderr: r.stderr };
}

describe('flow serve', () => {
  it('exits 1 and names the setting when ACCESS_TOKEN is set without APP_SECRET', () => {
    const r = serve({ ACCESS_TOKEN: 'x', STORE_URL: 'memory:' });
    expect(r.stderr).toContain('Flowstate cannot start');
    expect(r.stderr).toContain('APP_SECRET');
    expect(r.status).toBe(1);
  });

  it('exits 1 and names the setting when PORT is not a number', () => {
    const r = serve({ PORT: 'abc', STORE_URL: 'memory:' });
    expect(r.stderr).toContain('PORT');
    expect(r.status).toBe(1);
  });
});
