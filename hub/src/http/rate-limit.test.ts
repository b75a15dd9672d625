import { describe, expect, it } from 'vitest';
import { createTokenBucketLimiter } from './rate-limit.ts';

describe('token bucket rate limiter', () => {
  it('allows a burst, then refuses with a Retry-After, then refills at the sustained rate', () => {
    const limiter = createTokenBucketLimiter({ burst: 3, perSecond: 2 });
    const t = 1_000_000;
    expect([1, 2, 3].map(() => limiter.take('k', t).ok)).toEqual([true, true, true]);
    expect(limiter.take('k', t)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take('k', t + 499).ok).toBe(false);
    expect(limiter.take('k', t + 500).ok).toBe(true);
    expect(limiter.take('other', t).ok).toBe(true);
  });

  it('forgets the least recently used keys beyond maxKeys', () => {
    const limiter = createTokenBucketLimiter({ burst: 1, perSecond: 0.001, maxKeys: 2 });
    expect(limiter.take('a', 0).ok).toBe(true);
    expect(limiter.take('b', 0).ok).toBe(true);
    expect(limiter.take('c', 0).ok).toBe(true); // evicts a
    expect(limiter.take('a', 0).ok).toBe(true); // a starts over with a full bucket
    expect(limiter.take('c', 0).ok).toBe(false);
  });
});
