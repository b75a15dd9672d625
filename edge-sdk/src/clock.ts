/**
 * Time as the SDK sees it: wall-clock `now()` for record timestamps and Retry-After dates, and
 * timers for flushes and backoff. Injected so tests (and users' tests) can drive time by hand.
 * @example createOutpost({ ...options, clock: createFakeClock() }); // from '@outpost/edge-sdk/testing'
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};
