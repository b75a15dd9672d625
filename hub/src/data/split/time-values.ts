import { OutpostError, isMissing, parseNumber, type RawRecord, type RawValue } from '@outpost/shared';

// Date.parse alone is too lenient (V8 reads "1" as the year 2001 and "May 5" as a date), so only
// ISO-8601 dates and date-times are accepted: https://tc39.es/ecma262/#sec-date-time-string-format
const ISO_DATE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Milliseconds since the epoch of an ISO-8601 date or date-time; undefined when it is not one.
 * A date-time without an offset is read as UTC, not local time as Date.parse would: the hub and a
 * browser in another time zone must order the same rows alike.
 * @example parseIsoTime('2024-03-01T12:00') // 1709294400000
 */
export function parseIsoTime(text: string): number | undefined {
  const m = ISO_DATE.exec(text.trim());
  if (!m) return undefined;
  const [, date, time, zone] = m;
  const ms = Date.parse(time === undefined ? date! : `${date}T${time}${zone ?? 'Z'}`);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * The sortable time of each row's `column`. The first non-missing value picks the kind: a number (or
 * numeric string) makes the column numeric, anything else makes it ISO-8601 dates. Every other value
 * must be of that kind.
 *
 * Missing values are an error rather than "put last": a timestamp-less row silently moved into test
 * would skew exactly the evaluation a time split is for. Filter or fill them first.
 * @throws OutpostError('INVALID_DATASET') naming the first offending row, column and value.
 * @example readTimes([{ t: '2024-01-02' }, { t: '2024-01-01' }], 't') // [1704153600000, 1704067200000]
 */
export function readTimes(rows: readonly RawRecord[], column: string): number[] {
  let numeric: boolean | undefined;
  return rows.map((row, i) => {
    const v = row[column];
    if (isMissing(v)) fail(i, column, v, 'is missing; a time split needs a time on every row');
    const asNumber = typeof v === 'boolean' ? undefined : parseNumber(v);
    numeric ??= asNumber !== undefined;
    const time = numeric ? asNumber : typeof v === 'string' ? parseIsoTime(v) : undefined;
    if (time === undefined) {
      fail(i, column, v, numeric ? 'is not a number, unlike the rows before it' : 'is not an ISO-8601 date (YYYY-MM-DD[THH:MM[:SS][Z|±HH:MM]])');
    }
    return time;
  });
}

function fail(row: number, column: string, value: RawValue, why: string): never {
  const message = `row ${row}: '${column}' value ${JSON.stringify(value ?? null)} ${why}`;
  throw new OutpostError('INVALID_DATASET', message, { issues: [{ row, column, message }] });
}
