import { RECORD_FLAGS } from '@outpost/shared';

/** How far ahead of the hub's receive time a corrected record may be before it counts as a broken clock: 23 h. */
export const MAX_FUTURE_MS = 23 * 60 * 60 * 1000;

/** When a prediction happened on the hub's clock, and the flags that say how that was judged. */
export interface ObservedTime {
  observedAt: number;
  /** RECORD_FLAGS bits: `clockClamped` when the corrected time was over MAX_FUTURE_MS ahead. */
  flags: number;
}

/**
 * The device clock's offset from the hub's, from one upload: receive time − the device's `sentAt`
 * (0 without one). The network delay makes it an overestimate by at most the upload's transit
 * time, which is far below a monitoring window; a device's clock can be hours or days off.
 * @example clockSkew(1_000_500, 1_000_000) // 500: the device clock is 500 ms behind (or the upload took 500 ms)
 */
export function clockSkew(receivedAt: number, sentAt: number | undefined): number {
  return sentAt === undefined ? 0 : receivedAt - sentAt;
}

/**
 * A record's time on the hub's clock: `createdAt + skew`, and never after `receivedAt`, since a
 * prediction cannot have happened after the hub received it.
 *
 * - Ahead by a little (up to MAX_FUTURE_MS): jitter or a clock the skew could not fix (no `sentAt`);
 *   the time becomes `receivedAt`, unflagged: the record is at most that much late in its window.
 * - Ahead by more: the device time is broken (a clock set days ahead, no `sentAt` to correct it);
 *   the time becomes `receivedAt` and the record is flagged `clockClamped`, so a user can see how
 *   many records were placed by the hub's clock rather than the device's.
 *
 * Records in the past are kept as corrected, however old: the SDK queues records offline for days,
 * and monitoring windows should count them when they happened.
 * @example observedTime(1_000, 5_000, 2_000) // { observedAt: 3_000, flags: 0 }
 */
export function observedTime(createdAt: number, receivedAt: number, skew: number): ObservedTime {
  const corrected = createdAt + skew;
  if (corrected > receivedAt + MAX_FUTURE_MS) return { observedAt: receivedAt, flags: RECORD_FLAGS.clockClamped };
  return { observedAt: Math.min(corrected, receivedAt), flags: 0 };
}
