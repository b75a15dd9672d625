import { describe, expect, it } from 'vitest';
import { RECORD_FLAGS } from '@outpost/shared';
import { clockSkew, MAX_FUTURE_MS, observedTime } from './clock-skew.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const received = Date.UTC(2026, 0, 10, 12);

describe('clockSkew', () => {
  it('is receive time minus the device send time, 0 without one', () => {
    expect(clockSkew(received, received - 3 * DAY)).toBe(3 * DAY);
    expect(clockSkew(received, received + 3 * DAY)).toBe(-3 * DAY);
    expect(clockSkew(received, undefined)).toBe(0);
  });
});

describe('observedTime', () => {
  it.each([
    // [case, createdAt, skew, observedAt, flags]
    ['a correct clock: unchanged', received - 5000, 0, received - 5000, 0],
    ['a clock 3 days fast, corrected by the skew', received + 3 * DAY - 5000, -3 * DAY, received - 5000, 0],
    ['a clock 2 days slow, corrected by the skew', received - 2 * DAY - 5000, 2 * DAY, received - 5000, 0],
    ['a record queued offline for a week: kept in the past', received - 7 * DAY, 0, received - 7 * DAY, 0],
    ['after receive by jitter: the receive time, unflagged', received + 40, 0, received, 0],
    ['exactly 23 h ahead: the receive time, unflagged', received + MAX_FUTURE_MS, 0, received, 0],
    ['just over 23 h ahead: clamped and flagged', received + MAX_FUTURE_MS + 1, 0, received, RECORD_FLAGS.clockClamped],
    ['days ahead without sentAt: clamped and flagged', received + 3 * DAY, 0, received, RECORD_FLAGS.clockClamped],
    ['days ahead even after the skew: clamped and flagged', received + 5 * DAY, -1 * DAY, received, RECORD_FLAGS.clockClamped],
  ])('%s', (_, createdAt, skew, observedAt, flags) => {
    expect(observedTime(createdAt, received, skew)).toEqual({ observedAt, flags });
  });

  it('is never after the receive time', () => {
    for (let ahead = -DAY; ahead <= 3 * DAY; ahead += HOUR / 3) expect(observedTime(received + ahead, received, 0).observedAt).toBeLessThanOrEqual(received);
  });
});
