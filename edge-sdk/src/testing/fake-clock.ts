import type { Clock } from '../clock.ts';

/** A clock that moves only when told to; timers fire during `advance`. */
export interface FakeClock extends Clock {
  /** Move time forward by `ms`, firing due timers in order (timers they set fire too, if due). */
  advance(ms: number): void;
  /** Timers set and not yet fired or cleared. */
  pendingTimers(): number;
}

/**
 * @example
 * const clock = createFakeClock(Date.UTC(2025, 0, 1));
 * const outpost = createOutpost({ ...options, clock });
 * clock.advance(5_000); // the flush timer fires
 */
export function createFakeClock(startMs = 0): FakeClock {
  let now = startMs;
  let nextId = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();
  return {
    now: () => now,
    setTimeout(callback, ms) {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, ms), callback });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        let due: [number, { at: number; callback: () => void }] | undefined;
        for (const entry of timers) if (entry[1].at <= end && (!due || entry[1].at < due[1].at)) due = entry;
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].callback();
      }
      now = end;
    },
    pendingTimers: () => timers.size,
  };
}
