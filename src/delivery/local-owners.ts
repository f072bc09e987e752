/**
 * Dead processes of this machine, found at once instead of after their heartbeat lapses.
 *
 * Other processes learn that a Flowstate process died from its heartbeat: once it lapses
 * (10 s), they take over the people and replies it held. A process on the SAME machine can
 * know sooner, and for sure: the owner id of every process carries its process id and a tag
 * of the machine it runs on (`host:pid:random@tag`), and a process id that no longer exists
 * means the process is gone. The usual case is a crash followed by a restart (systemd,
 * Docker's restart policy, pm2): the new process frees what the old one held as soon as it
 * starts, instead of ten seconds later.
 *
 * The tag is a hash of the kernel's boot id and the process-id namespace, so two processes
 * share it only when their process ids mean the same thing: on the same boot of the same
 * machine, in the same container (or both outside containers). Where /proc is missing (macOS,
 * Windows) there is no tag, and only the heartbeat counts, as before.
 *
 * A process id reused by an unrelated program reads as alive: the owner is then left to its
 * heartbeat, which is safe. An owner with this very process's id but another id is surely
 * dead: one process id belongs to one process at a time (this happens in containers, where
 * the server is often process 1 after every restart).
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/** The tag of this machine's boot and process-id namespace, or undefined where /proc lacks them. */
export function machineTag(): string | undefined {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const pidNamespace = readlinkSync('/proc/self/ns/pid');
    if (boot === '' || pidNamespace === '') return undefined;
    return createHash('sha256').update(`${boot}\n${pidNamespace}`).digest('hex').slice(0, 12);
  } catch {
    return undefined;
  }
}

/**
 * A new lease owner id for this process: `host:pid:random`, and `@tag` where the machine has
 * one. `tag`: the machine tag to use (`null`: none); by default `machineTag()`.
 */
export function newOwnerId(tag: string | null = machineTag() ?? null, pid: number = process.pid): string {
  return `${hostname()}:${pid}:${randomBytes(4).toString('hex')}${tag ? `@${tag}` : ''}`;
}

const OWNER_ID = /^[^:]*:(\d+):[0-9a-f]+@([0-9a-f]+)$/;

/** The process id and machine tag of an owner id made by `newOwnerId`, or undefined for any other id. */
export function parseOwnerId(id: string): { pid: number; tag: string } | undefined {
  const m = OWNER_ID.exec(id);
  return m ? { pid: Number(m[1]), tag: m[2]! } : undefined;
}

/** Whether a process with this id exists (EPERM: it exists, but belongs to another user). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * The owners among `owners` that ran on this machine (same tag as `self`) and are surely dead:
 * their process is gone, or had `self`'s process id. `self` and owners of other machines (or
 * without a tag) are never listed.
 */
export function deadLocalOwners(owners: readonly string[], self: string, exists: (pid: number) => boolean = processExists): Array<{ owner: string; pid: number }> {
  const me = parseOwnerId(self);
  if (!me) return [];
  const dead: Array<{ owner: string; pid: number }> = [];
  for (const owner of owners) {
    if (owner === self) continue;
    const other = parseOwnerId(owner);
    if (!other || other.tag !== me.tag) continue;
    if (other.pid === me.pid || !exists(other.pid)) dead.push({ owner, pid: other.pid });
  }
  return dead;
}
