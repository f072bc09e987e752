/**
 * A per-page send rate limit: a token bucket per page, refilled at `perSecond` and holding at
 * most `burst` tokens. The platform allows about 300 Send API calls per second per page (and
 * Pages above 40/s lose their inbox); the default stays below that at 250/s.
 *
 * `take` *reserves* a slot: it answers how long to wait before sending (0 means now), and
 * the caller then sends after that wait without asking again. Concurrent senders of one page
 * thus get successive slots instead of racing for the same token.
 */

export interface RateLimiterOptions {
  /** Messages per second per page. Default 250. */
  perSecond?: number;
  /** Messages that may go at once after a quiet spell. Default perSecond / 10 (at least 1). */
  burst?: number;
}

export interface RateLimiter {
  /** Reserves a send slot for a page; returns the ms to wait before sending (0: send now). */
  take(pageId: string, now: number): number;
}

/** Creates a rate limiter; time comes from the caller (`now`, epoch ms). */
export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const perSecond = options.perSecond ?? 250;
  if (!(perSecond > 0)) throw new RangeError(`createRateLimiter: perSecond must be above 0 (got ${perSecond})`);
  const burst = Math.max(1, options.burst ?? Math.floor(perSecond / 10));
  const perMs = perSecond / 1000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(pageId, now) {
      let bucket = buckets.get(pageId);
      if (!bucket) {
        bucket = { tokens: burst, at: now };
        buckets.set(pageId, bucket);
      }
      if (now > bucket.at) {
        bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) * perMs);
        bucket.at = now;
      }
      bucket.tokens -= 1;
      // Tokens below zero are slots reserved in the future.
      return bucket.tokens >= 0 ? 0 : Math.ceil(-bucket.tokens / perMs);
    },
  };
}
