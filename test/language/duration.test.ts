import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/language/duration.js';

describe('parseDuration', () => {
  it.each([
    ['10s', 10_000],
    ['30m', 1_800_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['0s', 0],
    ['90m', 5_400_000],
    ['1d2h3m4s', 86_400_000 + 7_200_000 + 180_000 + 4_000],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '10', 's', '10 s', ' 10s', '10S', '1.5h', '-5m', '10w', '1h 30m', 'ten minutes', '99999999999999999999d'])(
    'rejects %j',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [10_000, '10s'],
    [1_800_000, '30m'],
    [5_400_000, '1h30m'],
    [172_800_000, '2d'],
    [90_061_000, '1d1h1m1s'],
    [1_999, '1s'],
    [-5, '0s'],
  ])('writes %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips with parseDuration', () => {
    for (const text of ['10s', '30m', '1h30m', '2d', '3d4h', '1h1s']) {
      expect(formatDuration(parseDuration(text)!)).toBe(text);
    }
  });
});
