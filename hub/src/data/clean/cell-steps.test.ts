import { describe, expect, it } from 'vitest';
import type { RawValue } from '@outpost/shared';
import { applyRecipe } from './index.ts';
import { applyOne, col, errorOf } from './test-support.ts';

describe('trim', () => {
  const rows = [
    { a: ' x ', b: 1, c: '  ' },
    { a: 'y', b: null, c: '\tz' },
  ];

  it('trims string cells of every column by default; other cells and "" stay', () => {
    const r = applyOne({ op: 'trim' }, rows);
    expect(r.rows).toEqual([
      { a: 'x', b: 1, c: '' },
      { a: 'y', b: null, c: 'z' },
    ]);
    expect(r.report).toEqual([{ index: 0, op: 'trim', affected: 3 }]);
  });

  it('trims only the given columns', () => {
    const r = applyOne({ op: 'trim', columns: ['c'] }, rows);
    expect(col(r, 'a')).toEqual([' x ', 'y']);
    expect(col(r, 'c')).toEqual(['', 'z']);
    expect(r.report[0]!.affected).toBe(2);
  });
});

describe('coerce', () => {
  // [to, input cell, output cell, or 'error' when it does not convert]
  const CASES: ['number' | 'integer' | 'boolean' | 'string', RawValue, RawValue | 'error'][] = [
    ['number', ' 39.10 ', 39.1],
    ['number', 7, 7],
    ['number', true, 1],
    ['number', '1e3', 1000],
    ['number', 'abc', 'error'],
    ['number', 'Infinity', 'error'],
    ['number', 'NA', null],
    ['number', '', null],
    ['number', undefined, null],
    ['integer', '3.0', 3],
    ['integer', '-4', -4],
    ['integer', '3.5', 'error'],
    ['integer', 2.5, 'error'],
    ['boolean', 'TRUE', true],
    ['boolean', ' no ', false],
    ['boolean', '1', true],
    ['boolean', 0, false],
    ['boolean', false, false],
    ['boolean', 2, 'error'],
    ['boolean', 'maybe', 'error'],
    ['string', 1.5, '1.5'],
    ['string', true, 'true'],
    ['string', ' kept ', ' kept '],
    ['string', 'null', null],
  ];

  it.each(CASES)('to %s: %j → %j', (to, input, output) => {
    if (output === 'error') {
      const e = errorOf(() => applyOne({ op: 'coerce', column: 'v', to }, [{ v: input }], ['v']));
      expect(e.code).toBe('INVALID_DATASET');
      expect(applyOne({ op: 'coerce', column: 'v', to, onError: 'null' }, [{ v: input }], ['v']).rows).toEqual([{ v: null }]);
    } else {
      expect(applyOne({ op: 'coerce', column: 'v', to }, [{ v: input }], ['v']).rows).toEqual([{ v: output }]);
    }
  });

  it('fails naming input row, column and value, with every failing cell (up to 10) as an issue', () => {
    const rows = [{ v: '1' }, { v: 'x' }, { v: '2' }, { v: 'y' }];
    const e = errorOf(() => applyOne({ op: 'coerce', column: 'v', to: 'number' }, rows));
    expect(e.code).toBe('INVALID_DATASET');
    expect(e.message).toContain("2 cell(s) of column 'v'");
    expect(e.message).toContain('row 2');
    expect(e.message).toContain('"x"');
    expect(e.issues).toEqual([
      { path: 'steps.0', row: 2, column: 'v', message: 'cannot coerce "x" to number' },
      { path: 'steps.0', row: 4, column: 'v', message: 'cannot coerce "y" to number' },
    ]);
  });

  it('rows in errors count from the input, even after rows were dropped', () => {
    const rows = [{ k: 'drop', v: 'x' }, { k: 'keep', v: '1' }, { k: 'keep', v: 'y' }];
    const recipe = { name: 'r', steps: [{ op: 'drop_rows' as const, where: "k == 'drop'" }, { op: 'coerce' as const, column: 'v', to: 'number' as const }] };
    const e = errorOf(() => applyRecipe(recipe, rows, ['k', 'v']));
    expect(e.issues).toEqual([{ path: 'steps.1', row: 3, column: 'v', message: 'cannot coerce "y" to number' }]);
  });

  it('counts changed cells only', () => {
    const r = applyOne({ op: 'coerce', column: 'v', to: 'number', onError: 'null' }, [{ v: 1 }, { v: '2' }, { v: 'x' }, { v: null }, { v: '' }]);
    expect(col(r, 'v')).toEqual([1, 2, null, null, null]);
    expect(r.report[0]).toEqual({ index: 0, op: 'coerce', column: 'v', affected: 3 });
  });
});

describe('normalize_categories', () => {
  const rows = [{ s: ' MALE' }, { s: 'female ' }, { s: '.' }, { s: null }, { s: 'NA' }, { s: 'new york city' }, { s: 3 }];

  // [options, expected column]
  const CASES: [{ case?: 'lower' | 'upper' | 'title'; map?: Record<string, string> }, RawValue[]][] = [
    [{}, ['MALE', 'female', '.', null, 'NA', 'new york city', 3]],
    [{ case: 'lower' }, ['male', 'female', '.', null, 'NA', 'new york city', 3]],
    [{ case: 'upper' }, ['MALE', 'FEMALE', '.', null, 'NA', 'NEW YORK CITY', 3]],
    [{ case: 'title' }, ['Male', 'Female', '.', null, 'NA', 'New York City', 3]],
    // The map sees values after case: keys in lower case here.
    [{ case: 'lower', map: { male: 'M', female: 'F', '.': '', '3': 'three' } }, ['M', 'F', '', null, 'NA', 'new york city', 'three']],
    // Keys as written before case do not match.
    [{ case: 'lower', map: { MALE: 'M' } }, ['male', 'female', '.', null, 'NA', 'new york city', 3]],
  ];

  it.each(CASES)('%j', (options, expected) => {
    expect(col(applyOne({ op: 'normalize_categories', column: 's', ...options }, rows), 's')).toEqual(expected);
  });

  it('reports changed cells; a map key such as constructor is only data', () => {
    const r = applyOne({ op: 'normalize_categories', column: 's', case: 'title', map: { Constructor: 'C' } }, [{ s: 'constructor' }, { s: 'toString' }, { s: 'Ok' }]);
    expect(col(r, 's')).toEqual(['C', 'Tostring', 'Ok']);
    expect(r.report[0]).toEqual({ index: 0, op: 'normalize_categories', column: 's', affected: 2 });
  });
});
