import { describe, expect, it } from 'vitest';
import type { RawRecord } from '@outpost/shared';
import { applyOne, col, errorOf } from './test-support.ts';

describe('dedupe', () => {
  const rows: RawRecord[] = [
    { id: 1, k: '39.10', s: 'a' },
    { id: 2, k: 39.1, s: ' a ' },
    { id: 3, k: null, s: 'b' },
    { id: 4, k: '', s: 'b' },
    { id: 5, k: 'NA', s: 'c' },
    { id: 6, k: 7, s: 'c' },
  ];

  // [columns, keep, ids kept]
  const CASES: [string[] | undefined, 'first' | 'last' | undefined, number[]][] = [
    [['k', 's'], undefined, [1, 3, 5, 6]],
    [['k', 's'], 'last', [2, 4, 5, 6]],
    [['k'], 'first', [1, 3, 6]],
    [['k'], 'last', [2, 5, 6]],
    [['s'], 'last', [2, 4, 6]],
    // Every column, id included: nothing is a duplicate.
    [undefined, 'first', [1, 2, 3, 4, 5, 6]],
  ];

  it.each(CASES)('on %j keeping %s', (columns, keep, ids) => {
    const r = applyOne({ op: 'dedupe', ...(columns ? { columns } : {}), ...(keep ? { keep } : {}) }, rows);
    expect(col(r, 'id')).toEqual(ids);
    expect(r.report).toEqual([{ index: 0, op: 'dedupe', affected: rows.length - ids.length }]);
  });

  it('in a categorical column numbers compare by text: 1 and "1.0" differ, 1 and "1" do not', () => {
    const r = applyOne({ op: 'dedupe', columns: ['v'] }, [{ v: 1 }, { v: '1.0' }, { v: '1' }, { v: 'x' }]);
    expect(col(r, 'v')).toEqual([1, '1.0', 'x']);
  });
});

describe('drop_rows', () => {
  const rows: RawRecord[] = [{ x: 1 }, { x: 5 }, { x: null }, { x: 'abc' }];

  // [expression, values kept]
  const CASES: [string, unknown[]][] = [
    ['x > 3', [1, null, 'abc']], // null and 'abc' compare as null: kept
    ['x is null', [1, 5, 'abc']],
    ['x is null or x > 3', [1, 'abc']],
    ['not (x > 3)', [5, null, 'abc']],
    ['false', [1, 5, null, 'abc']],
  ];

  it.each(CASES)('where %s', (where, kept) => {
    const r = applyOne({ op: 'drop_rows', where }, rows);
    expect(col(r, 'x')).toEqual(kept);
    expect(r.report).toEqual([{ index: 0, op: 'drop_rows', affected: rows.length - kept.length }]);
  });
});

describe('drop_columns', () => {
  it('drops the columns, keeps the order of the rest, reports the number dropped', () => {
    const r = applyOne({ op: 'drop_columns', columns: ['b', 'd', 'b'] }, [{ a: 1, b: 2, c: 3, d: 4 }]);
    expect(r.columns).toEqual(['a', 'c']);
    expect(r.rows).toEqual([{ a: 1, c: 3 }]);
    expect(Object.keys(r.rows[0]!)).toEqual(['a', 'c']);
    expect(r.report).toEqual([{ index: 0, op: 'drop_columns', affected: 2 }]);
  });
});

describe('clip', () => {
  // 1..10 and an outlier: nearest-rank q1 = 3rd value = 3, q3 = 9th = 9, IQR 6.
  const rows: RawRecord[] = [...Array.from({ length: 10 }, (_, i) => ({ x: i + 1 })), { x: '100' }, { x: -50 }, { x: null }];

  it('iqr: bounds q1 − k·IQR .. q3 + k·IQR, outside values set to the bound', () => {
    const r = applyOne({ op: 'clip', column: 'x', method: 'iqr' }, rows);
    // 12 values: -50, 1..10, 100 → q1 = 3rd = 2, q3 = 9th = 8, IQR 6 → [-7, 17].
    expect(r.report).toEqual([{ index: 0, op: 'clip', column: 'x', affected: 2, fitted: { q1: 2, q3: 8, lower: -7, upper: 17 } }]);
    expect(col(r, 'x')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 17, -7, null]);
  });

  it('iqr with k = 0 clips to the quartiles', () => {
    const r = applyOne({ op: 'clip', column: 'x', method: 'iqr', k: 0 }, rows);
    expect(r.report[0]!.fitted).toEqual({ q1: 2, q3: 8, lower: 2, upper: 8 });
    expect(col(r, 'x').slice(0, 10)).toEqual([2, 2, 3, 4, 5, 6, 7, 8, 8, 8]);
  });

  it('quantile: nearest-rank lower and upper quantiles', () => {
    const r = applyOne({ op: 'clip', column: 'x', method: 'quantile', lower: 0.1, upper: 0.9 }, rows);
    // ⌈0.1·12⌉ = 2nd = 1; ⌈0.9·12⌉ = 11th = 10.
    expect(r.report[0]).toEqual({ index: 0, op: 'clip', column: 'x', affected: 2, fitted: { lower: 1, upper: 10 } });
    expect(col(r, 'x').slice(10)).toEqual([10, 1, null]);
  });

  it('a column without values clips nothing', () => {
    expect(applyOne({ op: 'clip', column: 'x', method: 'iqr' }, [{ x: null }]).report[0]).toEqual({
      index: 0,
      op: 'clip',
      column: 'x',
      affected: 0,
      fitted: { q1: null, q3: null, lower: null, upper: null },
    });
  });

  it('rejects a non-numeric column and lower ≥ upper', () => {
    expect(errorOf(() => applyOne({ op: 'clip', column: 'x', method: 'iqr' }, [{ x: 1 }, { x: 'big' }])).issues).toEqual([
      { path: 'steps.0.column', row: 2, column: 'x', message: expect.stringContaining('"big"') },
    ]);
    expect(errorOf(() => applyOne({ op: 'clip', column: 'x', method: 'quantile', lower: 0.9, upper: 0.1 }, rows)).issues?.[0]?.path).toBe('steps.0.lower');
  });
});
