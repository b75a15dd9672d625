import { describe, expect, test } from 'vitest';
import { nextRetryDelay, parseRetryAfter } from './backoff.ts';

const policy = { baseMs: 1_000, maxMs: 60_000 };
const low = () => 0;
const high = () => 0.999_999;

describe('nextRetryDelay', () => {
  test.each([
    [0, 500, 1_000],
    [1, 1_000, 2_000],
    [2, 2_000, 4_000],
    [5, 16_000, 32_000],
  ])('attempt %i grows exponentially: between %i and %i ms', (attempt, min, max) => {
    expect(nextRetryDelay({ attempt, random: low, policy })).toBe(min);
    expect(nextRetryDelay({ attempt, random: high, policy })).toBe(max);
  });

  test('is capped at maxMs', () => {
    for (const attempt of [6, 10, 50, 1_000]) {
      expect(nextRetryDelay({ attempt, random: high, policy })).toBe(60_000);
      expect(nextRetryDelay({ attempt, random: low, policy })).toBe(30_000);
    }
  });

  test('jitter stays within [ceiling/2, ceiling] and actually varies', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const d = nextRetryDelay({ attempt: 3, random, policy });
      expect(d).toBeGreaterThanOrEqual(4_000);
      expect(d).toBeLessThanOrEqual(8_000);
      seen.add(d);
    }
    expect(seen.size).toBeGreaterThan(50);
  });

  test('never retries sooner than Retry-After', () => {
    expect(nextRetryDelay({ attempt: 0, random: high, policy, retryAfterMs: 120_000 })).toBe(120_000);
    // Our own backoff wins when it is longer.
    expect(nextRetryDelay({ attempt: 5, random: low, policy, retryAfterMs: 1_000 })).toBe(16_000);
  });

  test('uses the default policy when none is given', () => {
    expect(nextRetryDelay({ attempt: 0, random: high })).toBe(1_000);
    expect(nextRetryDelay({ attempt: 100, random: high })).toBe(300_000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0);
  test.each([
    ['120', 120_000],
    [' 0 ', 0],
    ['Wed, 01 Jan 2025 12:00:30 GMT', 30_000],
    ['Wed, 01 Jan 2025 11:00:00 GMT', 0],
  ])('%j → %i ms', (header, ms) => {
    expect(parseRetryAfter(header, now)).toBe(ms);
  });

  test.each([[null], [undefined], [''], ['soon'], ['-5'], ['1.5']])('%j → undefined', (header) => {
    expect(parseRetryAfter(header, now)).toBeUndefined();
  });
});
