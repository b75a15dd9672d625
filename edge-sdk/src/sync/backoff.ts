/**
 * How long to wait between failed uploads.
 * @example const policy: BackoffPolicy = { baseMs: 500, maxMs: 60_000 };
 */
export interface BackoffPolicy {
  /** First delay, before jitter. */
  baseMs: number;
  /** Largest delay, before jitter. */
  maxMs: number;
}

/** @example nextRetryDelay({ attempt: 0, random: Math.random, policy: DEFAULT_BACKOFF }) */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 5 * 60_000 };

/**
 * Delay before retry number `attempt` (0 for the first retry): exponential growth capped at
 * `maxMs`, with "equal jitter" (a random point in the upper half) so devices that failed together
 * do not retry together, and never sooner than the hub's Retry-After.
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 * @example nextRetryDelay({ attempt: 2, random: Math.random }) // between 2000 and 4000
 */
export function nextRetryDelay(input: {
  attempt: number;
  random: () => number;
  retryAfterMs?: number | undefined;
  policy?: BackoffPolicy;
}): number {
  const { baseMs, maxMs } = input.policy ?? DEFAULT_BACKOFF;
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, input.attempt));
  const jittered = ceiling / 2 + input.random() * (ceiling / 2);
  return Math.round(Math.max(jittered, input.retryAfterMs ?? 0));
}

/**
 * Parse a Retry-After header (delay-seconds or an HTTP date) into milliseconds from `nowMs`.
 * https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
 * @example parseRetryAfter('120', Date.now()) // 120000
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Every HTTP-date form starts with a day name; Date.parse alone would also take '1.5' or '-5'.
  if (!/^[A-Za-z]{3}/.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
