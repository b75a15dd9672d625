/** Decides whether one more request under `key` may go ahead now. */
export interface RateLimiter {
  take(key: string, now: number): { ok: true } | { ok: false; retryAfterSeconds: number };
}

export interface TokenBucketOptions {
  /** Requests allowed in a burst (default 120). */
  burst?: number;
  /** Sustained requests per second (default 20). */
  perSecond?: number;
  /** Buckets kept before the least recently used are forgotten (default 10 000). */
  maxKeys?: number;
}

/**
 * In-memory token buckets: per process on Node, per isolate on Workers (a coarse guard there;
 * Cloudflare's rate-limiting binding can replace it behind the same interface).
 */
export function createTokenBucketLimiter(options: TokenBucketOptions = {}): RateLimiter {
  const { burst = 120, perSecond = 20, maxKeys = 10_000 } = options;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key, now) {
      const b = buckets.get(key) ?? { tokens: burst, at: now };
      buckets.delete(key);
      b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
      b.at = now;
      buckets.set(key, b);
      if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value as string);
      if (b.tokens < 1) return { ok: false, retryAfterSeconds: Math.ceil((1 - b.tokens) / perSecond) };
      b.tokens -= 1;
      return { ok: true };
    },
  };
}
