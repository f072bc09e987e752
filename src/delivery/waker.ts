/**
 * A sleep that can be cut short: the background loops wait for work with it, and `wake()`
 * (a commit, a finished send, a stop) ends the wait at once. One waiter at a time: each loop
 * owns its waker.
 */

export interface Waker {
  /** Resolves after `ms`, or earlier on `wake()`. A wake with nobody waiting is kept for the next wait. */
  wait(ms: number): Promise<void>;
  wake(): void;
}

/** Creates a waker on real timers (the loops' clocks for decisions are injected separately). */
export function createWaker(): Waker {
  let pending = false;
  let resolveCurrent: (() => void) | undefined;
  return {
    wait(ms) {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.max(0, ms));
        function done(): void {
          clearTimeout(timer);
          if (resolveCurrent === done) resolveCurrent = undefined;
          resolve();
        }
        resolveCurrent = done;
      });
    },
    wake() {
      if (resolveCurrent) resolveCurrent();
      else pending = true;
    },
  };
}
