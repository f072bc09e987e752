import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { deadLocalOwners, machineTag, newOwnerId, parseOwnerId, processExists } from '../../src/delivery/local-owners.js';

const TAG = 'a1b2c3d4e5f6';
const id = (pid: number, tag: string | null = TAG, random = '0badcafe'): string => `host:${pid}:${random}${tag ? `@${tag}` : ''}`;

/** The id of a process that has exited (and been reaped), so that no process has it now, most likely. */
async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('owners of this machine', () => {
  it('makes owner ids of the host, the process id, a random part and the machine tag', () => {
    const tag = machineTag();
    // This project's machines are Linux, with /proc: the tag is there, and the same each time.
    expect(tag).toMatch(/^[0-9a-f]{12}$/);
    expect(machineTag()).toBe(tag);
    const owner = newOwnerId();
    expect(owner).toMatch(new RegExp(`^${hostname()}:${process.pid}:[0-9a-f]{8}@${tag}$`));
    expect(newOwnerId()).not.toBe(owner);
    expect(parseOwnerId(owner)).toEqual({ pid: process.pid, tag });
    expect(newOwnerId(null, 42)).toMatch(new RegExp(`^${hostname()}:42:[0-9a-f]{8}$`));
    expect(parseOwnerId(newOwnerId(null))).toBeUndefined();
    expect(parseOwnerId('w1')).toBeUndefined();
  });

  it('tells a running process from one that has exited', async () => {
    expect(processExists(process.pid)).toBe(true);
    expect(processExists(await exitedPid())).toBe(false);
  });

  it('lists the owners of this machine whose process is gone, and no others', () => {
    const alive = new Set([100, 200]);
    const exists = (pid: number): boolean => alive.has(pid);
    const self = id(100, TAG, '11111111');
    const owners = [
      self,
      id(200), // alive, same machine
      id(300), // gone, same machine
      id(100, TAG, '22222222'), // this process's id under another owner: an earlier process with the same pid
      id(400, 'ffffffffffff'), // gone, but another machine (or container)
      id(500, null), // no tag: judged by its heartbeat only
      'w9', // not made by newOwnerId
    ];
    expect(deadLocalOwners(owners, self, exists)).toEqual([
      { owner: id(300), pid: 300 },
      { owner: id(100, TAG, '22222222'), pid: 100 },
    ]);
  });

  it('lists nobody for a process without a machine tag', () => {
    expect(deadLocalOwners([id(300)], id(100, null), () => false)).toEqual([]);
  });
});
