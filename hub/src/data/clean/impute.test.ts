import { describe, expect, it } from 'vitest';
import type { RawRecord, RawValue } from '@outpost/shared';
import { MAX_REPORTED_GROUPS } from './index.ts';
import { applyOne, col, errorOf } from './test-support.ts';

const rows: RawRecord[] = [
  { g: 'a', x: 1, s: 'red' },
  { g: 'a', x: null, s: 'blue' },
  { g: 'a', x: '4', s: 'blue' },
  { g: 'b', x: 10, s: null },
  { g: 'b', x: 'NA', s: 'red' },
  { g: 'b', x: 20, s: '' },
  { g: 'c', x: '', s: 'red' },
  { g: null, x: undefined, s: 'green' },
];

describe('impute', () => {
  // [strategy, filled values of x in rows 2, 5, 7, 8, fitted]
  const GLOBAL: ['mean' | 'median', RawValue, Record<string, number>][] = [
    ['mean', 35 / 4, { mean: 8.75 }],
    ['median', 7, { median: 7 }],
  ];

  it.each(GLOBAL)('%s fills missing cells with the global statistic', (strategy, fill, fitted) => {
    const r = applyOne({ op: 'impute', column: 'x', strategy }, rows);
    expect(col(r, 'x')).toEqual([1, fill, '4', 10, fill, 20, fill, fill]);
    expect(r.report).toEqual([{ index: 0, op: 'impute', column: 'x', affected: 4, fitted }]);
  });

  it('median of an odd count is the middle value', () => {
    const r = applyOne({ op: 'impute', column: 'x', strategy: 'median' }, [{ x: 5 }, { x: 1 }, { x: null }, { x: 3 }]);
    expect(col(r, 'x')).toEqual([5, 1, 3, 3]);
  });

  it('mode is the most frequent value, ties to the first seen', () => {
    // red ×3, blue ×2: red.
    expect(col(applyOne({ op: 'impute', column: 's', strategy: 'mode' }, rows), 's')).toEqual(['red', 'blue', 'blue', 'red', 'red', 'red', 'red', 'green']);
    // blue and red tie at 1: blue came first.
    const tie = applyOne({ op: 'impute', column: 's', strategy: 'mode' }, [{ s: 'blue' }, { s: null }, { s: 'red' }]);
    expect(col(tie, 's')).toEqual(['blue', 'blue', 'red']);
    expect(tie.report[0]!.fitted).toEqual({ mode: 'blue' });
  });

  it('mode compares numbers by value and fills with the first occurrence as written', () => {
    const r = applyOne({ op: 'impute', column: 'v', strategy: 'mode' }, [{ v: '2.0' }, { v: 1 }, { v: 2 }, { v: null }]);
    expect(col(r, 'v')).toEqual(['2.0', 1, 2, '2.0']);
  });

  it('constant fills with the value, whatever its type', () => {
    const r = applyOne({ op: 'impute', column: 's', strategy: 'constant', value: 'unknown' }, rows);
    expect(col(r, 's')).toEqual(['red', 'blue', 'blue', 'unknown', 'red', 'unknown', 'red', 'green']);
    expect(r.report[0]).toEqual({ index: 0, op: 'impute', column: 's', affected: 2, fitted: { value: 'unknown' } });
    expect(applyOne({ op: 'impute', column: 's', strategy: 'constant', value: false }, rows).report[0]!.fitted).toEqual({ value: 'false' });
  });

  it('by: per group of a column; a group without values falls back to the global statistic', () => {
    const r = applyOne({ op: 'impute', column: 'x', strategy: 'mean', by: 'g' }, rows);
    // a: mean(1, 4) = 2.5; b: mean(10, 20) = 15; c and the missing group: no values → global 8.75.
    expect(col(r, 'x')).toEqual([1, 2.5, '4', 10, 15, 20, 8.75, 8.75]);
    expect(r.report[0]).toEqual({
      index: 0,
      op: 'impute',
      column: 'x',
      affected: 4,
      fitted: { mean: 8.75, groups: 4, 'mean[a]': 2.5, 'mean[b]': 15, 'mean[c]': null, 'mean[(missing)]': null },
    });
  });

  it('by: groups match canonically (1 and "1" are one group)', () => {
    const r = applyOne({ op: 'impute', column: 'x', strategy: 'median', by: 'g' }, [{ g: 1, x: 3 }, { g: '1', x: null }, { g: 2, x: 100 }]);
    expect(col(r, 'x')).toEqual([3, 3, 100]);
  });

  it(`lists at most ${MAX_REPORTED_GROUPS} groups in the report, and the group count`, () => {
    const many = Array.from({ length: 150 }, (_, i) => [{ g: i, x: i }, { g: i, x: null }]).flat();
    const r = applyOne({ op: 'impute', column: 'x', strategy: 'mean', by: 'g' }, many);
    expect(col(r, 'x')).toEqual(many.map((row) => row.g));
    const fitted = r.report[0]!.fitted!;
    expect(fitted.groups).toBe(150);
    expect(Object.keys(fitted)).toHaveLength(2 + MAX_REPORTED_GROUPS);
    expect(fitted['mean[99]']).toBe(99);
    expect(fitted['mean[100]']).toBeUndefined();
  });

  it('a column with no values stays missing', () => {
    const r = applyOne({ op: 'impute', column: 'x', strategy: 'mean' }, [{ x: null }, { x: '' }]);
    expect(col(r, 'x')).toEqual([null, '']);
    expect(r.report[0]).toEqual({ index: 0, op: 'impute', column: 'x', affected: 0, fitted: { mean: null } });
  });

  it.each(['mean', 'median'] as const)('%s of a non-numeric column is VALIDATION_FAILED naming row and value', (strategy) => {
    const e = errorOf(() => applyOne({ op: 'impute', column: 's', strategy }, rows));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.issues).toEqual([{ path: 'steps.0.column', row: 1, column: 's', message: expect.stringContaining('"red"') }]);
  });

  it('booleans are not numeric for mean', () => {
    expect(errorOf(() => applyOne({ op: 'impute', column: 'b', strategy: 'mean' }, [{ b: true }, { b: null }])).code).toBe('VALIDATION_FAILED');
  });

  it.each([
    [{ op: 'impute', column: 'x', strategy: 'constant' }, 'steps.0.value'],
    [{ op: 'impute', column: 'x', strategy: 'mean', value: 3 }, 'steps.0.value'],
    [{ op: 'impute', column: 'x', strategy: 'constant', value: 3, by: 'g' }, 'steps.0.by'],
  ] as const)('rejects %j at %s', (step, path) => {
    const e = errorOf(() => applyOne(step, rows));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.issues?.map((i) => i.path)).toEqual([path]);
  });
});
