import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/delivery/rate-limiter.js';
import { createRetryPolicy } from '../../src/delivery/retry-policy.js';

describe('retry policy', () => {
  it('grows the ceiling exponentially up to the cap (random at its top)', () => {
    const policy = createRetryPolicy({ baseMs: 1000, capMs: 8000, minMs: 0, random: () => 0.999999 });
    const delays = [1, 2, 3, 4, 5, 6].map((n) => {
      const d = policy.next(n);
      return d.retry ? d.delayMs : -1;
    });
    expect(delays).toEqual([999, 1999, 3999, 7999, 7999, 7999]);
  });

  it('draws the full jitter from the injected random, with a floor', () => {
    expect(createRetryPolicy({ baseMs: 1000, minMs: 0, random: () => 0.5 }).next(3)).toEqual({ retry: true, delayMs: 2000 });
    expect(createRetryPolicy({ baseMs: 1000, minMs: 50, random: () => 0 }).next(3)).toEqual({ retry: true, delayMs: 50 });
  });

  it('gives up after the last attempt', () => {
    const policy = createRetryPolicy({ maxAttempts: 3, random: () => 0.5 });
    expect(policy.next(2).retry).toBe(true);
    expect(policy.next(3)).toEqual({ retry: false });
  });

  it('spreads the default retries over about ten minutes at most', () => {
    const policy = createRetryPolicy({ random: () => 0.999999 });
    let total = 0;
    for (let n = 1; n < policy.maxAttempts; n++) {
      const d = policy.next(n);
      if (d.retry) total += d.delayMs;
    }
    expect(policy.maxAttempts).toBe(12);
    expect(total).toBeGreaterThan(8 * 60_000);
    expect(total).toBeLessThan(11 * 60_000);
  });

  it('refuses nonsense settings', () => {
    expect(() => createRetryPolicy({ baseMs: 0 })).toThrow(RangeError);
    expect(() => createRetryPolicy({ maxAttempts: 0 })).toThrow(RangeError);
  });
});

describe('rate limiter', () => {
  it('lets a burst through, then spaces sends at the rate', () => {
    const limiter = createRateLimiter({ perSecond: 10, burst: 2 });
    expect([0, 0, 0, 0].map(() => limiter.take('P', 1000))).toEqual([0, 0, 100, 200]);
  });

  it('refills with time, up to the burst', () => {
    const limiter = createRateLimiter({ perSecond: 10, burst: 2 });
    limiter.take('P', 0);
    limiter.take('P', 0);
    expect(limiter.take('P', 100)).toBe(0);
    expect(limiter.take('P', 100)).toBe(100);
    expect(limiter.take('P', 60_000)).toBe(0);
    expect(limiter.take('P', 60_000)).toBe(0);
    expect(limiter.take('P', 60_000)).toBe(100);
  });

  it('keeps pages apart', () => {
    const limiter = createRateLimiter({ perSecond: 1, burst: 1 });
    expect(limiter.take('A', 0)).toBe(0);
    expect(limiter.take('B', 0)).toBe(0);
    expect(limiter.take('A', 0)).toBe(1000);
  });

  it('never lets more than rate x time + burst through, whatever the arrival pattern', () => {
    const limiter = createRateLimiter({ perSecond: 250 });
    const sendTimes: number[] = [];
    let now = 0;
    for (let i = 0; i < 2000; i++) {
      now += i % 7 === 0 ? 3 : 0;
      sendTimes.push(now + limiter.take('P', now));
    }
    const last = Math.max(...sendTimes);
    expect(sendTimes.length).toBeLessThanOrEqual((last / 1000) * 250 + 25 + 1);
  });

  it('defaults to 250 per second with a burst of 25', () => {
    const limiter = createRateLimiter();
    const waits = Array.from({ length: 26 }, () => limiter.take('P', 0));
    expect(waits.slice(0, 25).every((w) => w === 0)).toBe(true);
    expect(waits[25]).toBe(4);
  });
});
