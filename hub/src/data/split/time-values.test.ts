import { OutpostError } from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import { parseIsoTime, readTimes } from './time-values.ts';

describe('parseIsoTime', () => {
  it.each([
    ['2024-03-01', Date.UTC(2024, 2, 1)],
    ['2024-03-01T12:00', Date.UTC(2024, 2, 1, 12)],
    ['2024-03-01 12:00:30.5', Date.UTC(2024, 2, 1, 12, 0, 30, 500)],
    ['2024-03-01T12:00:00Z', Date.UTC(2024, 2, 1, 12)],
    ['2024-03-01T12:00:00+02:00', Date.UTC(2024, 2, 1, 10)],
  ])('%s', (text, expected) => {
    expect(parseIsoTime(text)).toBe(expected);
  });

  it.each(['1', 'May 5', '2024-13-45', '2024/03/01', 'yesterday', ''])('rejects %j', (text) => {
    expect(parseIsoTime(text)).toBeUndefined();
  });
});

describe('readTimes', () => {
  it('reads numbers and numeric strings as numbers', () => {
    expect(readTimes([{ t: 3 }, { t: '1.5' }, { t: -2 }], 't')).toEqual([3, 1.5, -2]);
  });

  it('reads ISO dates', () => {
    expect(readTimes([{ t: '2024-01-02' }, { t: '2024-01-01T06:00Z' }], 't')).toEqual([
      Date.UTC(2024, 0, 2),
      Date.UTC(2024, 0, 1, 6),
    ]);
  });

  it.each([
    { name: 'a word among numbers', rows: [{ t: 1 }, { t: 2 }, { t: 'soon' }], row: 2, value: '"soon"' },
    { name: 'a number among dates', rows: [{ t: '2024-01-01' }, { t: 5 }], row: 1, value: '5' },
    { name: 'a non-ISO date', rows: [{ t: 'March 3' }], row: 0, value: '"March 3"' },
    { name: 'a missing value', rows: [{ t: 1 }, { t: null }], row: 1, value: 'null' },
    { name: 'an empty string', rows: [{ t: 1 }, { t: '' }], row: 1, value: '""' },
    { name: 'a boolean', rows: [{ t: true }], row: 0, value: 'true' },
  ])('rejects $name, naming the first row and value', ({ rows, row, value }) => {
    let error: unknown;
    try {
      readTimes(rows, 't');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OutpostError);
    const e = error as OutpostError;
    expect(e.code).toBe('INVALID_DATASET');
    expect(e.issues).toEqual([expect.objectContaining({ row, column: 't' })]);
    expect(e.message).toContain(`row ${row}`);
    expect(e.message).toContain(value);
  });
});
