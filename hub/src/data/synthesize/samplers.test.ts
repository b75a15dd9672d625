import type { ColumnProfile, DatasetProfile } from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../training/split.ts';
import { createCategoricalSampler, createNumericSampler, createWeightedPick, looksInteger, OTHER_CATEGORY, synthesizeRows } from './index.ts';
import { errorOf } from '../../test-support/errors.ts';

const quantiles = (v: number) => ({ p1: v, p5: v, p25: v, p50: v, p75: v, p95: v, p99: v });

function numericColumn(numeric: ColumnProfile['numeric'], extra: Partial<ColumnProfile> = {}): ColumnProfile {
  return { name: 'x', type: 'numeric', count: 10, missing: 0, typeMismatches: 0, distinct: { value: 1, exact: true }, numeric, ...extra };
}

function profile(...columns: ColumnProfile[]): DatasetProfile {
  return {
    rowCount: 10,
    columns,
    correlations: { columns: [], pearson: [] },
    accuracy: { quantiles: '', distinct: '', topK: '' },
  };
}


describe('createWeightedPick', () => {
  it.each([
    { weights: [1, 3], u: 0, want: 0 },
    { weights: [1, 3], u: 0.2499, want: 0 },
    { weights: [1, 3], u: 0.25, want: 1 },
    { weights: [0, 2, 0, 2], u: 0, want: 1 },
    { weights: [0, 2, 0, 2], u: 0.5, want: 3 },
    { weights: [0, 2, 0, 2], u: 0.9999, want: 3 },
  ])('$weights at u=$u → $want', ({ weights, u, want }) => {
    expect(createWeightedPick(weights)!(u)).toBe(want);
  });

  it('is null when nothing has weight', () => {
    expect(createWeightedPick([])).toBeNull();
    expect(createWeightedPick([0, 0])).toBeNull();
  });
});

describe('createNumericSampler', () => {
  const base = { mean: 5, std: 1, quantilesExact: true };

  it('returns min for a degenerate column (min = max) and for an empty histogram', () => {
    const rng = createRng(1);
    const single = createNumericSampler({ ...base, min: 3.5, max: 3.5, quantiles: quantiles(3.5), histogram: { edges: [3.5, 3.5], counts: [4], exact: true } });
    expect([single(rng), single(rng)]).toEqual([3.5, 3.5]);
    const empty = createNumericSampler({ ...base, min: 1, max: 9, quantiles: quantiles(1), histogram: { edges: [1, 9], counts: [0], exact: true } });
    expect(empty(rng)).toBe(1);
  });

  it('draws only from bins with counts, within [min, max]', () => {
    const draw = createNumericSampler({
      ...base,
      min: 0,
      max: 3,
      quantiles: { p1: 0, p5: 0, p25: 0.5, p50: 2.5, p75: 2.6, p95: 3, p99: 3 },
      histogram: { edges: [0, 1, 2, 3], counts: [5, 0, 5], exact: true },
    });
    const rng = createRng(3);
    const xs = Array.from({ length: 2000 }, () => draw(rng));
    expect(xs.every((x) => (x >= 0 && x < 1) || (x >= 2 && x <= 3))).toBe(true);
    expect(xs.some((x) => !Number.isInteger(x))).toBe(true);
  });

  it('rounds when min, max and every quantile are integers', () => {
    expect(looksInteger({ min: 1, max: 9, quantiles: quantiles(4) })).toBe(true);
    expect(looksInteger({ min: 1, max: 9, quantiles: { ...quantiles(4), p50: 4.5 } })).toBe(false);
    const draw = createNumericSampler({ ...base, min: 1, max: 9, quantiles: quantiles(4), histogram: { edges: [1, 5, 9], counts: [1, 1], exact: true } });
    const rng = createRng(5);
    const xs = Array.from({ length: 500 }, () => draw(rng));
    expect(xs.every((x) => Number.isInteger(x) && x >= 1 && x <= 9)).toBe(true);
  });
});

describe('createCategoricalSampler', () => {
  it('gives (other) the otherCount share, and never when otherCount is 0', () => {
    const rng = createRng(9);
    const withOther = createCategoricalSampler({ top: [{ value: 'a', count: 3 }], otherCount: 1, exact: false })!;
    const xs = Array.from({ length: 4000 }, () => withOther(rng));
    expect(Math.abs(xs.filter((x) => x === OTHER_CATEGORY).length / 4000 - 0.25)).toBeLessThan(0.03);
    const without = createCategoricalSampler({ top: [{ value: 'a', count: 3 }, { value: 'b', count: 1 }], otherCount: 0, exact: true })!;
    expect(Array.from({ length: 1000 }, () => without(rng)).includes(OTHER_CATEGORY)).toBe(false);
  });

  it('is null with nothing to draw', () => {
    expect(createCategoricalSampler({ top: [], otherCount: 0, exact: true })).toBeNull();
  });
});

describe('synthesizeRows edge cases', () => {
  it('an all-missing column and a numeric column without numbers come out all null', () => {
    const rows = synthesizeRows(
      profile(
        numericColumn(undefined, { name: 'none', missing: 10 }),
        { name: 'cat', type: 'categorical', count: 10, missing: 10, typeMismatches: 0, distinct: { value: 0, exact: true }, categorical: { top: [], otherCount: 0, exact: true } },
      ),
      { rows: 5, seed: 1 },
    );
    expect(rows).toEqual(Array.from({ length: 5 }, () => ({ none: null, cat: null })));
  });

  it("keeps a column named '__proto__' as a plain key", () => {
    const rows = synthesizeRows(profile(numericColumn({ mean: 1, std: 0, min: 1, max: 1, quantiles: quantiles(1), quantilesExact: true, histogram: { edges: [1, 1], counts: [10], exact: true } }, { name: '__proto__' })), {
      rows: 1,
      seed: 1,
    });
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
    expect(JSON.stringify(rows[0])).toBe('{"__proto__":1}');
  });
});

describe('synthesizeRows validation', () => {
  const p = profile();
  it.each([
    { rows: 0, seed: 1, paths: ['rows'] },
    { rows: 1.5, seed: 1, paths: ['rows'] },
    { rows: 1_000_001, seed: 1, paths: ['rows'] },
    { rows: Number.NaN, seed: 1, paths: ['rows'] },
    { rows: 10, seed: -1, paths: ['seed'] },
    { rows: 10, seed: 0.5, paths: ['seed'] },
    { rows: 10, seed: 2 ** 32, paths: ['seed'] },
    { rows: -3, seed: -3, paths: ['rows', 'seed'] },
  ])('rows=$rows seed=$seed → VALIDATION_FAILED at $paths', ({ rows, seed, paths }) => {
    const e = errorOf(() => synthesizeRows(p, { rows, seed }));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.issues?.map((i) => i.path)).toEqual(paths);
  });

  it('accepts the bounds', () => {
    expect(synthesizeRows(p, { rows: 1, seed: 0 })).toEqual([{}]);
    expect(synthesizeRows(p, { rows: 1, seed: 2 ** 32 - 1 })).toHaveLength(1);
  });
});
