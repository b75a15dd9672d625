import type { RawValue } from './features.ts';

// YYYY-MM-DD, optionally followed by T or a space, hh:mm, optional :ss and fraction, optional Z or ±hh[:]mm.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Parse an ISO 8601 date or date-time cell into epoch milliseconds; undefined when it is not one.
 * Why not Date.parse: it reads `2024-01-02 10:00` as local time, so the same file would profile
 * differently on hubs in different time zones. Here a date-time without an offset is UTC, always.
 * Calendar-checked: 2023-02-29 is not a date. Fractions beyond milliseconds are truncated.
 * @example parseDateTime('2024-03-01T12:30:00+01:00') // 1709292600000
 */
export function parseDateTime(v: RawValue): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = ISO.exec(v.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const year = Number(y), month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Number(frac.slice(0, 3).padEnd(3, '0'));
  let t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetHours = Number(digits.slice(0, 2)), offsetMinutes = Number(digits.slice(2));
    if (offsetHours > 23 || offsetMinutes > 59) return undefined;
    t -= sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  }
  return t;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
