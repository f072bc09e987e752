/**
 * The heartbeat: tells the store, every `everyMs`, that this process (its lease owner id) is
 * alive for `ttlMs` more. Other processes judge this process's leases by it: once its
 * heartbeat lapses (the process was killed, or stalled for longer than `ttlMs`), the people
 * and replies it held are taken over at once, instead of after their leases end (30 s for a
 * person, 60 s for a reply). `stop()` retires the owner, which frees what it still holds.
 *
 * The trade-off in `ttlMs`: a short one resumes a dead process's work sooner; a live process
 * that stalls for longer than `ttlMs` (a long GC pause, CPU starvation, a store call stuck
 * for seconds) looks dead meanwhile, and its work is taken over. That stays safe: its commit
 * is then refused (`lost-lease`) and the step runs again elsewhere; only a reply it was
 * sending may go out twice. The defaults (a beat every 2 s, alive for 10 s) let a process
 * miss four beats in a row before it looks dead. See docs/deployment.md ("Leases and
 * takeover").
 *
 * Processes of the same machine need not wait that long for each other: after every beat,
 * this process looks for owners of its own machine whose process is gone (see
 * local-owners.ts) and retires them, which frees at once what they held. After a crash and
 * a restart, the new process does so with its very first beat.
 */
import { errorMessage } from '../errors.js';
import type { Store } from '../store/port.js';
import { deadLocalOwners, processExists } from './local-owners.js';
import type { DeliveryLogger } from './types.js';
import { createWaker } from './waker.js';

export interface HeartbeatOptions {
  /** With `liveOwners`, dead processes of this machine are found at each beat (see above). */
  store: Pick<Store, 'heartbeat' | 'retire'> & Partial<Pick<Store, 'liveOwners'>>;
  /** This process's lease owner id (the one its workers claim with). */
  owner: string;
  /** Epoch ms. Default `Date.now`. */
  clock?: () => number;
  /** Time between two beats, ms. Default 2000. */
  everyMs?: number;
  /** How long one beat keeps the owner alive, ms; must exceed `everyMs` (a few times over). Default 10000. */
  ttlMs?: number;
  logger?: DeliveryLogger;
  /** Whether a process id exists on this machine. Default: `processExists` (tests pass their own). */
  processExists?: (pid: number) => boolean;
}

export interface Heartbeat {
  /** Records the first beat (waits for it, so workers started next claim as a live owner), then beats on. */
  start(): Promise<void>;
  /** Stops beating and retires the owner: call it after the workers stopped (their leases are freed). */
  stop(): Promise<void>;
  /** One beat now; resolves whether or not the store took it (a failure is logged). */
  beat(): Promise<void>;
}

/** Default time between two beats, ms. */
export const HEARTBEAT_EVERY_MS = 2_000;
/** Default time one beat keeps the owner alive, ms. */
export const HEARTBEAT_TTL_MS = 10_000;

/** Creates the heartbeat of `owner`; nothing happens before `start()`. */
export function createHeartbeat(options: HeartbeatOptions): Heartbeat {
  const { store, owner, logger } = options;
  const clock = options.clock ?? Date.now;
  const everyMs = Math.max(1, options.everyMs ?? HEARTBEAT_EVERY_MS);
  const ttlMs = options.ttlMs ?? HEARTBEAT_TTL_MS;
  if (!(ttlMs > everyMs)) {
    throw new RangeError(`createHeartbeat: ttlMs (${ttlMs}) must be longer than everyMs (${everyMs}), or the process would look dead between two beats. Use a ttlMs several times everyMs.`);
  }
  const waker = createWaker();
  let running = false;
  let loopDone: Promise<void> | undefined;
  /** When the last beat the store took was sent (epoch ms). */
  let lastBeat: number | undefined;

  async function beat(): Promise<void> {
    const now = clock();
    try {
      await store.heartbeat(owner, now, ttlMs);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      logger?.error({ code: 'FLOW_ERR_STORE_FAILURE', owner }, errorMessage('FLOW_ERR_STORE_FAILURE', 'renewing this process\'s heartbeat', reason));
      return;
    }
    if (lastBeat !== undefined && now - lastBeat >= ttlMs) {
      logger?.warn(
        { owner, silentMs: now - lastBeat, ttlMs },
        `This process renewed its heartbeat ${now - lastBeat} ms after the previous one, longer than the ${ttlMs} ms other processes wait: ` +
          'meanwhile they may have taken over the people and replies it was handling (a reply may go out twice). ' +
          'Look for what stalls it: CPU starvation, long garbage-collection pauses, or a slow store.',
      );
    }
    lastBeat = now;
    await retireDeadNeighbours(now);
  }

  /** Retires the owners of this machine whose process is gone (see the file's header). */
  async function retireDeadNeighbours(now: number): Promise<void> {
    if (!store.liveOwners) return;
    try {
      for (const { owner: dead, pid } of deadLocalOwners(await store.liveOwners(now), owner, options.processExists ?? processExists)) {
        await store.retire(dead, now);
        logger?.warn(
          { owner, deadOwner: dead, deadPid: pid },
          `A Flowstate process of this machine (process ${pid}) stopped without shutting down. ` +
            'This process freed the people and replies it held, without waiting for its heartbeat to lapse; ' +
            'a reply it was sending when it stopped may go out twice. Look in the system log for why it stopped.',
        );
      }
    } catch (err) {
      // The heartbeats still count: the dead process's work is taken over once its own lapses.
      const reason = err instanceof Error ? err.message : String(err);
      logger?.error({ code: 'FLOW_ERR_STORE_FAILURE', owner }, errorMessage('FLOW_ERR_STORE_FAILURE', 'looking for stopped processes of this machine', reason));
    }
  }

  async function loop(): Promise<void> {
    while (running) {
      await waker.wait(everyMs);
      if (running) await beat();
    }
  }

  return {
    async start() {
      if (running) return;
      running = true;
      await beat();
      loopDone = loop();
    },
    async stop() {
      if (!running) return;
      running = false;
      waker.wake();
      await loopDone;
      try {
        await store.retire(owner, clock());
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        logger?.warn(
          { code: 'FLOW_ERR_STORE_FAILURE', owner },
          `The store failed while recording that this process stopped (${reason}). Nothing is lost: ` +
            `other processes take over what it still held once its heartbeat lapses, within ${ttlMs} ms.`,
        );
      }
    },
    beat,
  };
}
