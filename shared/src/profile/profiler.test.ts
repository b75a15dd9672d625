import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isOutpostError } from '../errors.ts';
import type { RawRecord } from '../features.ts';
import { HLL_STANDARD_ERROR } from './distinct.ts';
import { createProfiler, profilerFromState, QUANTILE_LEVELS, type Profiler } from './profiler.ts';
import { createMoments } from './moments.ts';
import { quantileSketchFromState } from './quantiles.ts';
import { createRandom } from './random.ts';
import { normal, rankError, zipf } from './test-data.ts';
import type { ColumnProfile, DatasetProfile, ProfileColumn, ProfilerOptions } from './types.ts';

type Row = Record<string, string | number | boolean | null>;

// ---------- independent, straightforward computations ----------

const missingValue = (v: unknown) => v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) || (typeof v === 'string' && ['', 'NA', 'NaN', 'null'].includes(v.trim()));
const numbersOf = (rows: readonly Row[], col: string) => rows.map((r) => r[col]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));

function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}
function populationStd(xs: readonly number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length);
}
function pearson(rows: readonly Row[], a: string, b: string): number | null {
  const pairs = rows.filter((r) => typeof r[a] === 'number' && typeof r[b] === 'number').map((r) => [r[a] as number, r[b] as number]);
  if (pairs.length < 2) return null;
  const mx = mean(pairs.map((p) => p[0]!));
  const my = mean(pairs.map((p) => p[1]!));
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of pairs) {
    sxy += (x! - mx) * (y! - my);
    sxx += (x! - mx) ** 2;
    syy += (y! - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}
function categoryCounts(rows: readonly Row[], col: string): [string, number][] {
  const m = new Map<string, number>();
  for (const r of rows) if (!missingValue(r[col])) m.set(String(r[col]).trim(), (m.get(String(r[col]).trim()) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}
function binCounts(sorted: readonly number[], edges: readonly number[]): number[] {
  return edges.slice(1).map((e, i) => sorted.filter((x) => x >= edges[i]! && (i === edges.length - 2 ? x <= e : x < e)).length);
}

const close = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
const column = (p: DatasetProfile, name: string): ColumnProfile => p.columns.find((c) => c.name === name)!;

function profile(rows: readonly RawRecord[], columns: readonly ProfileColumn[], options?: ProfilerOptions): Profiler {
  const p = createProfiler(columns, options);
  for (const r of rows) p.add(r);
  return p;
}

// ---------- penguins: every statistic exact ----------

const penguins = JSON.parse(readFileSync(new URL('../../../node_modules/vega-datasets/data/penguins.json', import.meta.url), 'utf8')) as Row[];
const penguinColumns: ProfileColumn[] = [
  { name: 'Species', type: 'categorical' },
  { name: 'Island', type: 'categorical' },
  { name: 'Beak Length (mm)', type: 'numeric' },
  { name: 'Beak Depth (mm)', type: 'numeric' },
  { name: 'Flipper Length (mm)', type: 'numeric' },
  { name: 'Body Mass (g)', type: 'numeric' },
  { name: 'Sex', type: 'categorical' },
];
const numericPenguins = penguinColumns.filter((c) => c.type === 'numeric').map((c) => c.name);

function expectPenguinsExact(p: DatasetProfile): void {
  expect(p.rowCount).toBe(344);
  for (const { name, type } of penguinColumns) {
    const c = column(p, name);
    expect(c.count).toBe(344);
    expect(c.missing).toBe(penguins.filter((r) => missingValue(r[name])).length);
    expect(c.typeMismatches).toBe(0);
    if (type === 'numeric') {
      const xs = numbersOf(penguins, name);
      const sorted = [...xs].sort((a, b) => a - b);
      const n = c.numeric!;
      expect(c.distinct).toEqual({ value: new Set(xs).size, exact: true });
      expect([n.min, n.max]).toEqual([sorted[0], sorted[sorted.length - 1]]);
      close(n.mean, mean(xs));
      close(n.std, populationStd(xs));
      for (const [key, percent] of Object.entries({ p1: 1, p5: 5, p25: 25, p50: 50, p75: 75, p95: 95, p99: 99 })) {
        expect(n.quantiles[key as keyof typeof n.quantiles]).toBe(sorted[Math.ceil((percent * xs.length) / 100) - 1]);
      }
      expect(n.quantilesExact).toBe(true);
      expect(n.histogram.exact).toBe(true);
      expect(n.histogram.counts).toEqual(binCounts(sorted, n.histogram.edges));
      expect(n.histogram.edges).toHaveLength(21);
    } else {
      const counts = categoryCounts(penguins, name);
      expect(c.distinct).toEqual({ value: counts.length, exact: true });
      expect(c.categorical).toEqual({ top: counts.map(([value, count]) => ({ value, count })), otherCount: 0, exact: true });
    }
  }
  expect(p.correlations.columns).toEqual(numericPenguins);
  numericPenguins.forEach((a, i) =>
    numericPenguins.forEach((b, j) => {
      const expected = i === j ? 1 : pearson(penguins, a, b)!;
      close(p.correlations.pearson[i]![j]!, expected);
    }),
  );
  expect(p.accuracy.quantiles).toMatch(/^exact/);
  expect(p.accuracy.distinct).toMatch(/^exact/);
  expect(p.accuracy.topK).toMatch(/^exact/);
}

describe('profiler on the penguins data', () => {
  it('equals a straightforward computation of every statistic', () => {
    expect(penguins).toHaveLength(344);
    expectPenguinsExact(profile(penguins, penguinColumns).result());
    // The data has what the test needs: nulls, and a present but odd category ('.').
    expect(column(profile(penguins, penguinColumns).result(), 'Sex').missing).toBeGreaterThan(0);
  });

  it('gives the same profile from merged chunks and from a JSON round trip', () => {
    const merged = profile(penguins.slice(0, 100), penguinColumns);
    merged.merge(profile(penguins.slice(100, 101), penguinColumns));
    merged.merge(profile([], penguinColumns));
    merged.merge(profile(penguins.slice(101), penguinColumns));
    expectPenguinsExact(merged.result());
    const again = profilerFromState(JSON.parse(JSON.stringify(merged.state())));
    expect(again.result()).toEqual(merged.result());
  });
});

// ---------- generated data: sketches within their bounds ----------

const generatedColumns: ProfileColumn[] = [
  { name: 'normal', type: 'numeric' },
  { name: 'uniform', type: 'numeric' },
  { name: 'count', type: 'numeric' },
  { name: 'category', type: 'categorical' },
  { name: 'id', type: 'categorical' },
  { name: 'flag', type: 'categorical' },
];

function generate(n: number, seed: number): Row[] {
  const rng = createRandom(seed);
  const category = zipf(5000, 1.05, rng);
  return Array.from({ length: n }, (_, i) => {
    const x = 100 + 15 * normal(rng);
    const u = rng.next();
    return {
      normal: u < 0.02 ? null : u < 0.025 ? 'n/a' : x, // 2 % missing, 0.5 % not a number
      uniform: rng.next() * 1e6, // ~n distinct values
      count: rng.next() < 0.01 ? 'NA' : String(Math.floor(x / 10)), // numbers as strings, a correlate of `normal`
      category: `cat-${category()}`,
      id: `row-${i % 150_000}`,
      flag: rng.next() < 0.3,
    };
  });
}

function expectWithinBounds(p: Profiler, rows: readonly Row[]): DatasetProfile {
  const result = p.result();
  const state = p.state();
  const n = rows.length;
  expect(result.rowCount).toBe(n);
  for (const { name, type } of generatedColumns) {
    const c = column(result, name);
    const present = rows.map((r) => r[name]).filter((v) => !missingValue(v));
    expect(c.missing).toBe(n - present.length);
    if (type === 'numeric') {
      const xs = present.map(Number).filter(Number.isFinite);
      expect(c.typeMismatches).toBe(present.length - xs.length);
      const sorted = Float64Array.from(xs).sort();
      const num = c.numeric!;
      close(num.mean, mean(xs));
      close(num.std, populationStd(xs));
      expect([num.min, num.max]).toEqual([sorted[0], sorted[sorted.length - 1]]);
      const t = quantileSketchFromState(state.columns.find((s) => s.name === name)!.quantiles!).rankErrorBound();
      expect(num.quantilesExact).toBe(false);
      expect(t).toBeLessThanOrEqual((3.5 * xs.length) / 200);
      for (const [key, q] of Object.entries(QUANTILE_LEVELS)) {
        const r = Math.ceil(q * xs.length - 1e-9);
        expect(rankError(sorted, num.quantiles[key as keyof typeof num.quantiles], r)).toBeLessThanOrEqual(t);
      }
      const truth = binCounts(Array.from(sorted), num.histogram.edges);
      num.histogram.counts.forEach((count, i) => expect(Math.abs(count - truth[i]!)).toBeLessThanOrEqual(2 * t));
      const distinct = new Set(xs).size;
      if (c.distinct.exact) expect(c.distinct.value).toBe(distinct);
      else expect(Math.abs(c.distinct.value / distinct - 1)).toBeLessThan(3 * HLL_STANDARD_ERROR);
    } else {
      const counts = categoryCounts(rows, name);
      if (c.distinct.exact) expect(c.distinct.value).toBe(counts.length);
      else expect(Math.abs(c.distinct.value / counts.length - 1)).toBeLessThan(3 * HLL_STANDARD_ERROR);
      const truth = new Map(counts);
      const cat = c.categorical!;
      if (cat.exact) expect(cat.top).toEqual(counts.slice(0, 20).map(([value, count]) => ({ value, count })));
      for (const { value, count } of cat.top) {
        expect(count).toBeGreaterThanOrEqual(truth.get(value) ?? 0);
        expect(count - (truth.get(value) ?? 0)).toBeLessThanOrEqual(present.length / 1000);
      }
    }
  }
  const pearsonOf = (a: string, b: string) =>
    pearson(
      rows.map((r) => Object.fromEntries(['normal', 'uniform', 'count'].map((k) => [k, missingValue(r[k]) || !Number.isFinite(Number(r[k])) ? null : Number(r[k])]))),
      a,
      b,
    );
  for (const [i, a] of result.correlations.columns.entries()) {
    for (const [j, b] of result.correlations.columns.entries()) if (i !== j) expect(Math.abs(result.correlations.pearson[i]![j]! - pearsonOf(a, b)!)).toBeLessThanOrEqual(1e-9);
  }
  return result;
}

describe('profiler on 200 000 generated rows', () => {
  const rows = generate(200_000, 2024);

  it('keeps every sketch within its documented bound and reports which ones are approximate', () => {
    const p = createProfiler(generatedColumns);
    const started = performance.now();
    for (const r of rows) p.add(r);
    const seconds = (performance.now() - started) / 1000;
    console.log(`profiled ${rows.length} rows × ${generatedColumns.length} columns in ${seconds.toFixed(2)} s: ${Math.round(rows.length / seconds)} rows/s, ${Math.round((rows.length * generatedColumns.length) / seconds)} values/s`);
    const result = expectWithinBounds(p, rows);
    expect(column(result, 'uniform').distinct.exact).toBe(false);
    expect(column(result, 'count').distinct.exact).toBe(true);
    expect(column(result, 'category').categorical!.exact).toBe(false);
    expect(column(result, 'flag').categorical).toMatchObject({ exact: true, otherCount: 0 });
    expect(column(result, 'flag').categorical!.top.map((t) => t.value).sort()).toEqual(['false', 'true']);
    expect(result.accuracy.quantiles).toMatch(/KLL sketch \(k = 200\).*"normal", "uniform", "count"/);
    expect(result.accuracy.distinct).toMatch(/HyperLogLog.*"uniform"/);
    expect(result.accuracy.topK).toMatch(/Space-Saving with 1000 counters.*"category" ±200, "id" ±200/);
    console.log(result.accuracy);
  });

  it('merged chunks (different seeds, state through JSON) stay within the same bounds', () => {
    const cuts = [0, 1000, 70_000, 70_001, 150_000, 200_000];
    const parts = cuts.slice(1).map((end, i) => profile(rows.slice(cuts[i], end), generatedColumns, { seed: i }));
    const total = profilerFromState(JSON.parse(JSON.stringify(parts[0]!.state())));
    for (const part of parts.slice(1)) total.merge(profilerFromState(JSON.parse(JSON.stringify(part.state()))));
    expectWithinBounds(total, rows);
    expect(() => total.merge(createProfiler(generatedColumns, { quantileK: 100 }))).toThrow(/quantileK/);
    expect(() => total.merge(createProfiler(generatedColumns.slice(1)))).toThrow(/different columns/);
  });

  it('is reproducible: same rows, order and seed give the same state', () => {
    const few = rows.slice(0, 20_000);
    expect(profile(few, generatedColumns).state()).toEqual(profile(few, generatedColumns).state());
  });
});

// ---------- stored state validation ----------

describe('profilerFromState', () => {
  const good = () => JSON.parse(JSON.stringify(profile(penguins.slice(0, 50), penguinColumns).state()));

  it.each([
    ['null', () => null],
    ['a string', () => 'profile'],
    ['an empty object', () => ({})],
    ['another version', () => ({ ...good(), version: 2 })],
    ['a negative row count', () => ({ ...good(), rowCount: -1 })],
    ['counts that do not add up', () => ({ ...good(), rowCount: 51 })],
    ['quantile weights that do not sum to n', () => { const s = good(); s.columns[2].quantiles.levels[0].pop(); return s; }],
    ['a quantile value outside [min, max]', () => { const s = good(); s.columns[2].quantiles.levels[0][0] = 1e9; return s; }],
    ['HyperLogLog registers of the wrong size', () => { const s = good(); s.columns[0].distinct = { exactLimit: 10_000, values: null, registers: 'AAAA' }; return s; }],
    ['both exact values and registers', () => { const s = good(); s.columns[0].distinct.registers = 'AAAA'; return s; }],
    ['an exact top-k that does not add up', () => { const s = good(); s.columns[0].topK.entries[0][1] += 1; return s; }],
    ['a numeric column without a quantile sketch', () => { const s = good(); delete s.columns[2].quantiles; return s; }],
    ['a correlation block of the wrong size', () => { const s = good(); s.correlation.pairs.pop(); return s; }],
    ['a duplicate column', () => { const s = good(); s.columns[1].name = s.columns[0].name; return s; }],
    ['k below the minimum', () => { const s = good(); s.options.quantileK = 2; return s; }],
  ])('rejects %s with a VALIDATION_FAILED error', (_label, make) => {
    let error: unknown;
    try {
      profilerFromState(make());
    } catch (e) {
      error = e;
    }
    expect(isOutpostError(error) && error.code === 'VALIDATION_FAILED').toBe(true);
  });

  it('accepts a valid state', () => {
    expect(profilerFromState(good()).result().rowCount).toBe(50);
  });
});

describe('createProfiler', () => {
  it('refuses duplicate columns and unknown types', () => {
    expect(() => createProfiler([{ name: 'a', type: 'numeric' }, { name: 'a', type: 'categorical' }])).toThrow(RangeError);
    expect(() => createProfiler([{ name: 'a', type: 'text' as 'numeric' }])).toThrow(RangeError);
  });

  it('counts absent columns as missing and non-numbers in numeric columns as mismatches', () => {
    const p = profile([{ x: 1 }, { x: 'abc' }, { x: ' 2 ' }, { x: true }, {}, { x: 'NA' }, { x: NaN }], [{ name: 'x', type: 'numeric' }, { name: 'y', type: 'categorical' }]);
    const r = p.result();
    expect(column(r, 'x')).toMatchObject({ count: 7, missing: 3, typeMismatches: 1, distinct: { value: 2, exact: true } });
    expect(column(r, 'x').numeric).toMatchObject({ min: 1, max: 2, quantiles: { p50: 1, p99: 2 } });
    expect(column(r, 'y')).toMatchObject({ missing: 7, categorical: { top: [], otherCount: 0, exact: true } });
    expect(r.correlations).toEqual({ columns: ['x'], pearson: [[1]] });
    expect(createProfiler([{ name: 'x', type: 'numeric' }]).result().columns[0]!.numeric).toBeUndefined();
  });

  it('gives the same state column by column as row by row', () => {
    const rng = createRandom(5);
    const cols: ProfileColumn[] = [{ name: 'x', type: 'numeric' }, { name: 'y', type: 'numeric' }, { name: 'c', type: 'categorical' }, { name: 'd', type: 'datetime' }, { name: 'gone', type: 'numeric' }];
    const n = 5_000;
    const rows: Row[] = Array.from({ length: n }, (_, i) => ({
      x: rng.next() < 0.05 ? null : rng.next() * 100,
      y: rng.next() < 0.02 ? 'oops' : String(i % 97),
      c: ['a', 'b', ' c ', ''][i % 4]!,
      d: i % 50 === 0 ? 'never' : new Date(Date.UTC(2020, 0, 1) + i * 3_600_000).toISOString(),
    }));
    const byRow = createProfiler(cols);
    rows.forEach((r) => byRow.add(r));
    const byColumn = createProfiler(cols);
    for (let start = 0; start < n; start += 1_234) {
      const part = rows.slice(start, start + 1_234);
      // Dates as a columnar reader gives them: epoch milliseconds (a non-date stays a string).
      const d = part.map((r) => (r.d === 'never' ? r.d : Date.parse(r.d as string)));
      byColumn.addColumns(new Map<string, ArrayLike<Row[string]>>([['x', part.map((r) => r.x!)], ['y', part.map((r) => r.y!)], ['c', part.map((r) => r.c!)], ['d', d]]), part.length);
    }
    // Moments are summed per batch (two passes and Chan's merge): equal to rounding, not bit for bit.
    const withoutMoments = (st: ReturnType<Profiler['state']>) => ({ ...st, columns: st.columns.map(({ moments: _, ...c }) => c) });
    expect(withoutMoments(byColumn.state())).toEqual(withoutMoments(byRow.state()));
    byRow.state().columns.forEach((c, i) => {
      const a = c.moments ? createMoments(c.moments).summary() : null;
      const b = byColumn.state().columns[i]!.moments ? createMoments(byColumn.state().columns[i]!.moments).summary() : null;
      if (!a || !b) return expect(b).toEqual(a);
      expect(b).toMatchObject({ count: a.count, min: a.min, max: a.max });
      expect(Math.abs(b.mean - a.mean)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(a.mean)));
      expect(Math.abs(b.std - a.std)).toBeLessThanOrEqual(1e-12 * Math.max(1, a.std));
    });
  });

  it('profiles datetime columns as epoch milliseconds, kept out of the numeric correlations', () => {
    const days = ['2024-01-03', '2024-01-01T00:00:00Z', '2024-01-02 12:00', 'not a date', '', '2024-01-05T01:00:00+01:00'];
    const r = profile(days.map((d, i) => ({ d, n: i })), [{ name: 'd', type: 'datetime' }, { name: 'n', type: 'numeric' }]).result();
    const d = column(r, 'd');
    expect(d).toMatchObject({ type: 'datetime', count: 6, missing: 1, typeMismatches: 1, distinct: { value: 4, exact: true } });
    const ms = [Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2, 12), Date.UTC(2024, 0, 3), Date.UTC(2024, 0, 5)];
    expect(d.numeric).toMatchObject({ min: ms[0], max: ms[3], mean: mean(ms), quantiles: { p50: ms[1], p99: ms[3] } });
    expect(r.correlations.columns).toEqual(['n']);
  });
});
