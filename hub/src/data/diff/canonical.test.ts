import { describe, expect, it } from 'vitest';
import { canonicalCell } from './canonical.ts';

describe('canonicalCell', () => {
  // [value, numeric column, canonical]
  const cases: [string | number | boolean | null | undefined, boolean, string | number | null][] = [
    ['39.10', true, 39.1],
    [' 39.1 ', true, 39.1],
    [39.1, true, 39.1],
    [-0, true, 0],
    ['', true, null],
    [' NA ', false, null],
    [null, false, null],
    [undefined, true, null],
    [Number.NaN, true, null],
    ['39.10', false, '39.10'],
    [39.1, false, '39.1'],
    [' Adelie ', false, 'Adelie'],
    ['n/a', true, 'n/a'],
    [true, true, 'true'],
    [false, false, 'false'],
  ];
  it.each(cases)('%j in a numeric column (%s) is %j', (value, numeric, expected) => {
    expect(canonicalCell(value, numeric)).toBe(expected);
  });
});
