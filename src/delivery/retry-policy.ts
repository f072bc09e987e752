/**
 * When to try a failed reply again: exponential backoff with full jitter (AWS "Exponential
 * Backoff and Jitter"): attempt n waits a random time in [minMs, min(capMs, baseMs * 2^(n-1))].
 * After `maxAttempts` failed attempts the reply is given up (dropped and counted).
 *
 * The defaults here (12 attempts, 1 s base, 2 min cap) spread the retries over at most about
 * ten minutes, about five on average. The server does not use them: it passes its settings
 * (RETRY_BASE_MS, RETRY_MAX_MS, RETRY_ATTEMPTS; by default 1 s, 30 s and 2,900 attempts, so
 * a reply outlives a Graph outage of about 24 hours: see src/server/settings.ts and
 * docs/reliability.md).
 */

export interface RetryPolicyOptions {
  /** Ceiling of the first delay, ms. Default 1000. */
  baseMs?: number;
  /** Largest ceiling, ms. Default 120000. */
  capMs?: number;
  /** Smallest delay, ms (so a rate-limited page is not hammered at once). Default 50. */
  minMs?: number;
  /** Failed attempts after which a reply is dropped. Default 12. */
  maxAttempts?: number;
  /** A number in [0, 1). Default `Math.random` (inject a fixed one in tests). */
  random?: () => number;
}

/** What to do after a failed attempt. */
export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

export interface RetryPolicy {
  readonly maxAttempts: number;
  /** `failedAttempts` counts every failed attempt so far, the one just made included (1 after the first failure). */
  next(failedAttempts: number): RetryDecision;
}

/** Creates the backoff policy of the outbox. */
export function createRetryPolicy(options: RetryPolicyOptions = {}): RetryPolicy {
  const baseMs = options.baseMs ?? 1000;
  const capMs = options.capMs ?? 120_000;
  const minMs = Math.min(options.minMs ?? 50, capMs);
  const maxAttempts = options.maxAttempts ?? 12;
  const random = options.random ?? Math.random;
  if (!(baseMs > 0) || !(capMs >= baseMs) || !(maxAttempts >= 1)) {
    throw new RangeError(`createRetryPolicy: need baseMs > 0, capMs >= baseMs and maxAttempts >= 1 (got ${baseMs}, ${capMs}, ${maxAttempts})`);
  }
  return {
    maxAttempts,
    next(failedAttempts) {
      if (failedAttempts >= maxAttempts) return { retry: false };
      const exponent = Math.max(0, Math.min(failedAttempts - 1, 40));
      const ceiling = Math.min(capMs, baseMs * 2 ** exponent);
      const r = Math.min(Math.max(random(), 0), 1);
      return { retry: true, delayMs: Math.max(minMs, Math.floor(r * ceiling)) };
    },
  };
}
