import { describe, expect, it } from 'vitest';
import { createProfiler, type ColumnProfile, type DatasetProfile, type RawRecord } from '@outpost/shared';
import { createSuiteRunner, parseSuite, suggestSuite, type ExpectationSuite, type ValidationResult } from './index.ts';
import { PENGUIN_COLUMNS, penguinColumnNames, penguins } from '../../test-support/penguins.ts';

function profile(rows: readonly RawRecord[]): DatasetProfile {
  const profiler = createProfiler(PENGUIN_COLUMNS);
  for (const r of rows) profiler.add(r);
  return profiler.result();
}

function run(suite: ExpectationSuite, rows: readonly RawRecord[]): ValidationResult {
  const runner = createSuiteRunner(suite, penguinColumnNames);
  rows.forEach((r, i) => runner.add(r, i + 1));
  return runner.result();
}

const failing = (r: ValidationResult) => r.expectations.filter((e) => !e.success).map((e) => `${e.type} ${e.column ?? ''}`.trim());

describe('suggestSuite on penguins', () => {
  const suite = suggestSuite(profile(penguins), { name: 'penguins' });

  it('suggests a valid suite in profile order, with tolerances', () => {
    expect(parseSuite(suite)).toEqual(suite);
    expect(suite.name).toBe('penguins');
    expect(suite.expectations.map((e) => `${e.type} ${'column' in e ? e.column : ''}`.trim())).toEqual([
      'row_count',
      'not_null Species',
      'in_set Species',
      'not_null Island',
      'in_set Island',
      'range Beak Length (mm)',
      'mean Beak Length (mm)',
      'std Beak Length (mm)',
      'range Beak Depth (mm)',
      'mean Beak Depth (mm)',
      'std Beak Depth (mm)',
      'range Flipper Length (mm)',
      'mean Flipper Length (mm)',
      'std Flipper Length (mm)',
      'range Body Mass (g)',
      'mean Body Mass (g)',
      'std Body Mass (g)',
      'in_set Sex', // no not_null: 10 rows lack a sex
    ]);
    expect(suite.expectations[0]).toMatchObject({ type: 'row_count', min: 309, max: 379 });
    expect(suite.expectations.find((e) => e.type === 'in_set' && e.column === 'Sex')).toMatchObject({ values: ['.', 'FEMALE', 'MALE'] });
    expect(suite.expectations.find((e) => e.type === 'in_set' && e.column === 'Species')).toMatchObject({ values: ['Adelie', 'Chinstrap', 'Gentoo'] });
    // Body mass 2700–6300: ±10% of the 3600 width; mean 4201.75 ± 420.2, rounded outwards
    expect(suite.expectations.find((e) => e.type === 'range' && e.column === 'Body Mass (g)')).toMatchObject({ min: 2340, max: 6660 });
    expect(suite.expectations.find((e) => e.type === 'mean' && e.column === 'Body Mass (g)')).toMatchObject({ min: 3781, max: 4622, description: 'reference mean 4201.75 ± 10%' });
  });

  it('is deterministic', () => {
    expect(suggestSuite(profile(penguins), { name: 'penguins' })).toEqual(suite);
  });

  it('passes on the data it was suggested from', () => {
    const r = run(suite, penguins);
    expect(failing(r)).toEqual([]);
    expect(r.success).toBe(true);
  });

  it('passes even with tolerance 0 (bounds are the observed values, rounded outwards)', () => {
    expect(run(suggestSuite(profile(penguins), { tolerance: 0 }), penguins).success).toBe(true);
  });

  it('fails the mean, range and std of body mass when it is 1.5 times heavier', () => {
    const heavier = penguins.map((r) => {
      const m = r['Body Mass (g)'];
      return { ...r, 'Body Mass (g)': typeof m === 'number' ? m * 1.5 : m };
    });
    expect(failing(run(suite, heavier))).toEqual(['range Body Mass (g)', 'mean Body Mass (g)', 'std Body Mass (g)']);
  });

  it('fails in_set and row_count on an unseen category and a tenth of the rows', () => {
    const rows = penguins.slice(0, 30).map((r, i) => (i === 0 ? { ...r, Island: 'Anvers' } : r));
    expect(failing(run(suite, rows))).toEqual(expect.arrayContaining(['row_count', 'in_set Island']));
  });
});

function numeric(name: string, over: Partial<NonNullable<ColumnProfile['numeric']>>, rest: Partial<ColumnProfile> = {}): ColumnProfile {
  return {
    name,
    type: 'numeric',
    count: 10,
    missing: 0,
    typeMismatches: 0,
    distinct: { value: 10, exact: true },
    numeric: { min: 0, max: 1, mean: 0.5, std: 0.1, quantiles: { p1: 0, p5: 0, p25: 0, p50: 0, p75: 0, p95: 0, p99: 0 }, quantilesExact: true, histogram: { edges: [], counts: [], exact: true }, ...over },
    ...rest,
  };
}
function categorical(name: string, values: string[], rest: Partial<ColumnProfile> = {}): ColumnProfile {
  return { name, type: 'categorical', count: 10, missing: 0, typeMismatches: 0, distinct: { value: values.length, exact: true }, categorical: { top: values.map((value) => ({ value, count: 1 })), otherCount: 0, exact: true }, ...rest };
}
const profileOf = (columns: ColumnProfile[]): DatasetProfile => ({ rowCount: 10, columns, correlations: { columns: [], pearson: [] }, accuracy: { quantiles: '', distinct: '', topK: '' } });

describe('suggestSuite rules', () => {
  it('uses ± tol·std for a mean near zero, and pads a constant column by tol·|value|', () => {
    const s = suggestSuite(profileOf([numeric('centered', { min: -5, max: 5, mean: 0.01, std: 2 }), numeric('constant', { min: 7, max: 7, mean: 7, std: 0 })]));
    expect(s.expectations.find((e) => e.type === 'mean' && e.column === 'centered')).toMatchObject({ min: -0.19, max: 0.21 });
    expect(s.expectations.find((e) => e.type === 'range' && e.column === 'constant')).toMatchObject({ min: 6.3, max: 7.7 });
    expect(s.expectations.find((e) => e.type === 'std' && e.column === 'constant')).toMatchObject({ min: 0, max: 0 });
  });

  it('leaves out range when a numeric column holds non-numbers, and not_null when values are missing', () => {
    const s = suggestSuite(profileOf([numeric('mixed', {}, { typeMismatches: 2, missing: 1 })]));
    expect(s.expectations.map((e) => e.type)).toEqual(['row_count', 'mean', 'std']);
  });

  it('suggests in_set only from an exact, complete list of at most 50 categories', () => {
    const many = Array.from({ length: 51 }, (_, i) => `c${i}`);
    const s = suggestSuite(
      profileOf([
        categorical('few', ['b', 'a']),
        categorical('many', many),
        categorical('truncated', ['a'], { categorical: { top: [{ value: 'a', count: 5 }], otherCount: 5, exact: true } }),
        categorical('sketched', ['a'], { categorical: { top: [{ value: 'a', count: 5 }], otherCount: 0, exact: false } }),
      ]),
    );
    expect(s.expectations.filter((e) => e.type === 'in_set')).toEqual([expect.objectContaining({ column: 'few', values: ['a', 'b'] })]);
  });

  it('stops at the 200-expectation limit and refuses a bad tolerance', () => {
    const wide = profileOf(Array.from({ length: 60 }, (_, i) => numeric(`x${i}`, {})));
    expect(suggestSuite(wide).expectations).toHaveLength(200);
    expect(() => parseSuite(suggestSuite(wide))).not.toThrow();
    expect(() => suggestSuite(wide, { tolerance: -0.1 })).toThrow(RangeError);
    expect(() => suggestSuite(wide, { tolerance: Number.NaN })).toThrow(RangeError);
  });

  it('never rounds a bound past the reference statistic, whatever the scale or tolerance', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (let i = 0; i < 2000; i++) {
      const scale = 10 ** Math.floor(random() * 16 - 8);
      const min = (random() - 0.5) * scale;
      const max = min + random() * scale;
      const mean = min + random() * (max - min);
      const std = random() * (max - min);
      const tolerance = [0, 1e-9, 0.01, 0.1, 1][i % 5]!;
      const s = suggestSuite(profileOf([numeric('x', { min, max, mean, std })]), { tolerance });
      const get = (type: string) => s.expectations.find((e) => e.type === type) as { min: number; max: number };
      expect(get('range').min).toBeLessThanOrEqual(min);
      expect(get('range').max).toBeGreaterThanOrEqual(max);
      expect(get('mean').min).toBeLessThanOrEqual(mean);
      expect(get('mean').max).toBeGreaterThanOrEqual(mean);
      expect(get('std').min).toBeLessThanOrEqual(std);
      expect(get('std').max).toBeGreaterThanOrEqual(std);
    }
  });
});
