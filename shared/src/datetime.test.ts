import { describe, expect, it } from 'vitest';
import { parseDateTime } from './datetime.ts';

describe('parseDateTime', () => {
  it('reads dates and date-times as UTC unless an offset says otherwise', () => {
    expect(parseDateTime('2024-01-02')).toBe(Date.UTC(2024, 0, 2));
    expect(parseDateTime('2024-01-02 10:30')).toBe(Date.UTC(2024, 0, 2, 10, 30));
    expect(parseDateTime('2024-01-02T10:30:15.25Z')).toBe(Date.UTC(2024, 0, 2, 10, 30, 15, 250));
    expect(parseDateTime('2024-03-01T12:30:00+01:00')).toBe(Date.UTC(2024, 2, 1, 11, 30));
    expect(parseDateTime('2024-03-01T12:30:00-0230')).toBe(Date.UTC(2024, 2, 1, 15, 0));
    expect(parseDateTime(' 2001-01-01T00:00:00.123456789 ')).toBe(Date.UTC(2001, 0, 1, 0, 0, 0, 123));
  });

  it('agrees with Date.parse on every form Date.parse reads as UTC', () => {
    for (const s of ['1970-01-01', '1999-12-31T23:59:59Z', '2020-02-29T00:00:00.001Z', '2038-01-19T03:14:07+05:45']) {
      expect(parseDateTime(s)).toBe(Date.parse(s));
    }
  });

  it('refuses what is not a real calendar date or not ISO 8601', () => {
    for (const s of ['2023-02-29', '2024-13-01', '2024-00-10', '2024-01-32', '2024-01-01T24:00', '2024-01-01T10:60', '11/11/07', '2024-1-2', '20240102', 'yesterday', '', '2024-01-01T10:00+25:00']) {
      expect(parseDateTime(s), s).toBeUndefined();
    }
    expect(parseDateTime(1704153600000)).toBeUndefined();
    expect(parseDateTime(null)).toBeUndefined();
  });
});
