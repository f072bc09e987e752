/**
 * The timer worker: turns due `after` timers into inbound events, on time, from the durable
 * schedule in the store (so timers survive restarts: a new process fires what came due while
 * it was down, at its first pass).
 *
 * It sleeps until the earliest pending timer (`nextTimerAt`), but never longer than `pollMs`,
 * because another process (or this one, without a kick) may add an earlier timer meanwhile.
 * `fireDueTimers` is exactly-once across processes; after it fired something, `onFired()`
 * wakes the event workers so the timer events are handled at once.
 */
import { errorMessage } from '../errors.js';
import type { Store } from '../store/port.js';
import type { DeliveryLogger } from './types.js';
import { createWaker } from './waker.js';

export interface TimerWorkerOptions {
  store: Pick<Store, 'fireDueTimers' | 'nextTimerAt'>;
  /** Epoch ms. Default `Date.now`. */
  clock?: () => number;
  /** Called after timers were turned into events. */
  onFired: () => void;
  /** Longest sleep between two looks at the schedule, ms. Default 1000. */
  pollMs?: number;
  /** Timers fired per store call. Default 100. */
  batch?: number;
  logger?: DeliveryLogger;
  /** Sleep after a store failure, ms. Default 1000. */
  errorBackoffMs?: number;
}

export interface TimerWorker {
  start(): void;
  /** Stops after the current pass; resolves when the loop has ended. */
  stop(): Promise<void>;
  /** Looks at the schedule now (call it after a commit that set a timer). */
  kick(): void;
  /** One pass without the loop: fires what is due; returns how many fired. */
  runOnce(): Promise<number>;
}

/** Creates the timer worker. */
export function createTimerWorker(options: TimerWorkerOptions): TimerWorker {
  const { store, onFired, logger } = options;
  const clock = options.clock ?? Date.now;
  const pollMs = options.pollMs ?? 1000;
  const batch = Math.max(1, options.batch ?? 100);
  const errorBackoffMs = options.errorBackoffMs ?? 1000;
  const waker = createWaker();
  let running = false;
  let loopDone: Promise<void> | undefined;

  async function fireDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await store.fireDueTimers(clock(), batch);
      total += n;
      if (n < batch) break;
    }
    if (total > 0) onFired();
    return total;
  }

  async function loop(): Promise<void> {
    while (running) {
      let waitMs = pollMs;
      try {
        await fireDue();
        const next = await store.nextTimerAt();
        if (next !== undefined) waitMs = Math.min(pollMs, Math.max(0, next - clock()));
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        logger?.error({ code: 'FLOW_ERR_STORE_FAILURE' }, errorMessage('FLOW_ERR_STORE_FAILURE', 'firing timers', reason));
        waitMs = errorBackoffMs;
      }
      // A timer due now that did not fire (another process holds it) must not spin the loop.
      if (running) await waker.wait(Math.max(waitMs, 1));
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loopDone = loop();
    },
    async stop() {
      running = false;
      waker.wake();
      await loopDone;
    },
    kick() {
      waker.wake();
    },
    runOnce: fireDue,
  };
}
