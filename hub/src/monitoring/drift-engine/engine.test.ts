import { beforeEach, describe, expect, it } from 'vitest';
import { createProfiler, createRandom, type DatasetProfile, type RawRecord, type ReferenceProfile } from '@outpost/shared';
import { driftWindow, numericAccumulator, numericReference, type DriftReport } from './index.ts';

// Reseeded before each test (and before the references): each sees the same data alone or in a full run.
let rng = createRandom(1);
// At p < 0.05 an unshifted column is flagged one window in twenty, by design: the windows these
// tests draw (seed 8) are ones where the unshifted columns are not.
const SEED = 8;
const normal = (mean = 0, sd = 1) => mean + sd * Math.sqrt(-2 * Math.log(Math.max(rng.next(), 1e-12))) * Math.cos(2 * Math.PI * rng.next());
const pick = <T,>(xs: readonly T[], weights: readonly number[]) => {
  let u = rng.next() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < xs.length; i++) if ((u -= weights[i]!) < 0) return xs[i]!;
  return xs[xs.length - 1]!;
};

const FEATURES = [
  { name: 'age', type: 'numeric' as const },
  { name: 'income', type: 'numeric' as const },
  { name: 'city', type: 'categorical' as const },
  { name: 'member', type: 'categorical' as const },
  { name: 'kids', type: 'numeric' as const },
];
const row = (shift = 0): RawRecord => ({
  age: normal(40 + shift * 8, 10),
  income: normal(50_000, 12_000),
  city: pick(['Lyon', 'Paris', 'Nice', 'Brest'], shift ? [1, 1, 3, 3] : [3, 3, 1, 1]),
  member: pick(['yes', 'no'], [1, 1]),
  kids: pick([0, 1, 2, 3], [4, 3, 2, 1]),
});
// The reference's categories in their exact proportions (a sampled reference is itself off by
// chance, and the chi-square test takes it as the truth, as Evidently does).
const referenceRow = (i: number): RawRecord => ({
  ...row(),
  city: ['Lyon', 'Lyon', 'Lyon', 'Paris', 'Paris', 'Paris', 'Nice', 'Brest'][i % 8]!,
  member: i % 2 ? 'yes' : 'no',
  kids: [0, 0, 0, 0, 1, 1, 1, 2, 2, 3][i % 10]!,
});

function reference(rows: number): ReferenceProfile {
  const data = Array.from({ length: rows }, (_, i) => referenceRow(i));
  const p = createProfiler(FEATURES);
  for (const r of data) p.add(r);
  const features = p.result();
  const outputs: DatasetProfile = createProfiler([]).result();
  const sample = rows <= 1000 ? { rows, columns: { age: data.map((r) => r.age as number), income: data.map((r) => r.income as number), kids: data.map((r) => r.kids as number) } } : undefined;
  return { features, outputs, ...(sample ? { sample } : {}) };
}

const byName = (r: DriftReport, name: string) => r.columns.find((c) => c.column === name)!;

/** Every number in the report is finite: no NaN, no Infinity, however bad the input. */
function expectFinite(value: unknown, path = 'report'): void {
  if (typeof value === 'number') expect(Number.isFinite(value), `${path} = ${value}`).toBe(true);
  else if (Array.isArray(value)) value.forEach((v, i) => expectFinite(v, `${path}[${i}]`));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) expectFinite(v, `${path}.${k}`);
}

describe('drift engine', () => {
  const small = reference(800);
  const large = reference(5000);
  beforeEach(() => {
    rng = createRandom(SEED);
  });

  it('small reference: KS for numeric, chi-square for categories, Z for two, chi-square for a numeric of few values; flags the shifted features only', () => {
    const w = driftWindow(small);
    for (let i = 0; i < 600; i++) w.add(row(1), null);
    const r = w.report();
    expect(r.columns.map((c) => [c.column, c.test])).toEqual([['age', 'ks'], ['income', 'ks'], ['city', 'chi_square'], ['member', 'z'], ['kids', 'chi_square']]);
    expect(byName(r, 'age')).toMatchObject({ verdict: 'drift', drifted: true });
    expect(byName(r, 'city')).toMatchObject({ verdict: 'drift' });
    for (const name of ['income', 'member', 'kids']) expect(byName(r, name).verdict, name).toBe('no drift');
    expect(r.dataset).toEqual({ tested: 5, driftedColumns: 2, share: 0.4, driftShare: 0.5, drifted: false });
    expect(byName(r, 'age').psi!).toBeGreaterThan(0.25);
    expect(byName(r, 'income').psi!).toBeLessThan(0.1);
    expectFinite(r);
  });

  it('large reference: normalised Wasserstein for numeric, Jensen–Shannon for categories, at 0.1', () => {
    const w = driftWindow(large);
    for (let i = 0; i < 2000; i++) w.add(row(1), null);
    const r = w.report();
    expect(r.columns.map((c) => [c.column, c.test])).toEqual([['age', 'wasserstein'], ['income', 'wasserstein'], ['city', 'jensen_shannon'], ['member', 'jensen_shannon'], ['kids', 'jensen_shannon']]);
    expect(byName(r, 'age')).toMatchObject({ verdict: 'drift', pValue: null, threshold: 0.1 });
    // A shift of 8 over a std of 10: 0.8, give or take the binning (20 bins over the reference range).
    expect(byName(r, 'age').statistic!).toBeGreaterThan(0.7);
    expect(byName(r, 'age').statistic!).toBeLessThan(0.95);
    expect(byName(r, 'income').verdict).toBe('no drift');
    expect(byName(r, 'city').verdict).toBe('drift');
    expectFinite(r);
  });

  it('the same distribution is no drift on every column', () => {
    for (const ref of [small, large]) {
      const w = driftWindow(ref);
      for (let i = 0; i < 1500; i++) w.add(row(), null);
      const r = w.report();
      expect(r.columns.filter((c) => c.verdict !== 'no drift').map((c) => c.column)).toEqual([]);
      expect(r.dataset.share).toBe(0);
    }
  });

  it("corrections: raw, Bonferroni and BH p-values side by side; the verdict follows the chosen one", () => {
    rng = createRandom(7);
    const w = driftWindow(small);
    // A faint shift in age (2.1 over a std of 10): significant raw, not after Bonferroni across 5 columns.
    for (let i = 0; i < 400; i++) w.add({ ...row(), age: normal(42.1, 10) }, null);
    const raw = w.report();
    const bonf = w.report({ correction: 'bonferroni' });
    const age = byName(raw, 'age');
    expect(age.pValueBonferroni).toBeCloseTo(Math.min(1, age.pValue! * 5), 12);
    expect(age.pValueBH!).toBeGreaterThanOrEqual(age.pValue!);
    expect(age.pValueBH!).toBeLessThanOrEqual(age.pValueBonferroni!);
    // The same numbers whatever the choice; only the verdict moves.
    expect(byName(bonf, 'age').pValue).toBe(age.pValue);
    if (age.pValue! < 0.05 && age.pValueBonferroni! >= 0.05) {
      expect(age.verdict).toBe('drift');
      expect(byName(bonf, 'age').verdict).toBe('no drift');
    } else {
      throw new Error(`seeded data no longer straddles the correction: p = ${age.pValue}, Bonferroni ${age.pValueBonferroni}`);
    }
  });

  it('below the minimum sample: insufficient data, never a verdict, never NaN', () => {
    const w = driftWindow(small);
    for (let i = 0; i < 10; i++) w.add(row(3), null);
    const r = w.report();
    for (const c of r.columns) expect(c).toMatchObject({ verdict: 'insufficient data', drifted: null, statistic: null, pValue: null });
    expect(r.columns[0]!.reason).toBe('10 usable values in the window, fewer than 30');
    expect(r.dataset).toMatchObject({ tested: 0, share: null, drifted: null });
    expectFinite(r);
    // An empty window too.
    expectFinite(driftWindow(large).report());
  });

  it('counts bad values instead of crashing: NaN, ±Infinity, missing, wrong type, records lacking a feature', () => {
    const w = driftWindow(small);
    for (let i = 0; i < 100; i++) w.add(row(), null);
    w.add({ ...row(), age: NaN }, null);
    w.add({ ...row(), age: Infinity, income: -Infinity }, null);
    w.add({ ...row(), age: 'forty', city: 12 }, null);
    w.add({ ...row(), age: null, city: '' }, null);
    w.add({ income: 1 }, null); // a record lacking most features
    w.add(null, null);
    w.add({ ...row(), age: 1e6, city: 'Atlantis' }, null);
    const r = w.report();
    expect(byName(r, 'age').counts).toEqual({ n: 101, missing: 3, nan: 1, infinite: 1, wrongType: 1, outOfRange: 1, newCategory: 0 });
    expect(byName(r, 'income').counts).toMatchObject({ infinite: 1, missing: 1, n: 105 });
    // 12 is a category like any other (it is what the app sent); '' and absent are missing.
    expect(byName(r, 'city').counts).toMatchObject({ missing: 3, newCategory: 2 });
    expect(byName(r, 'city').histogram).toMatchObject({ kind: 'categories' });
    const city = byName(r, 'city').histogram as { values: string[]; reference: number[] };
    expect(city.values.slice(-2).sort()).toEqual(['12', 'Atlantis']);
    expect(byName(r, 'age').rates.missing).toBeCloseTo(3 / 107, 12);
    expect(byName(r, 'age').rates.outOfRange).toBeCloseTo(1 / 101, 12);
    expectFinite(r);
  });

  it('a constant reference column and a categorical reference of one value stay finite', () => {
    const p = createProfiler([{ name: 'c', type: 'numeric' }, { name: 'k', type: 'categorical' }]);
    for (let i = 0; i < 200; i++) p.add({ c: 5, k: 'only' });
    const ref: ReferenceProfile = { features: p.result(), outputs: createProfiler([]).result(), sample: { rows: 200, columns: { c: new Array(200).fill(5) } } };
    const w = driftWindow(ref);
    for (let i = 0; i < 100; i++) w.add({ c: i % 2 ? 5 : 6, k: i % 2 ? 'only' : 'new' }, null);
    const r = w.report();
    expectFinite(r);
    expect(byName(r, 'c').verdict).toBe('drift');
    expect(byName(r, 'k').verdict).toBe('drift');
  });

  it("judges the model's outputs like features: the predicted class and each class's probability", () => {
    const p = createProfiler([{ name: 'p(a)', type: 'numeric' }, { name: 'p(b)', type: 'numeric' }, { name: 'predicted', type: 'categorical' }]);
    const outputs = Array.from({ length: 500 }, () => {
      const a = Math.min(1, Math.max(0, normal(0.7, 0.1)));
      return { 'p(a)': a, 'p(b)': 1 - a, predicted: a > 0.5 ? 'a' : 'b' };
    });
    for (const o of outputs) p.add(o);
    const ref: ReferenceProfile = { features: createProfiler([]).result(), outputs: p.result(), sample: { rows: 500, columns: { 'p(a)': outputs.map((o) => o['p(a)']), 'p(b)': outputs.map((o) => o['p(b)']) } } };
    const w = driftWindow(ref, ['a', 'b']);
    for (let i = 0; i < 300; i++) {
      const a = Math.min(1, Math.max(0, normal(0.4, 0.1)));
      w.add({}, { label: a > 0.5 ? 'a' : 'b', probabilities: [a, 1 - a] });
    }
    w.add({}, { error: 'model failed' }); // failed predictions have no outputs to judge
    const r = w.report();
    expect(r.columns.map((c) => [c.column, c.test, c.verdict])).toEqual([
      ['p(a)', 'ks', 'drift'],
      ['p(b)', 'ks', 'drift'],
      ['predicted', 'z', 'drift'],
    ]);
    expect(r.records).toBe(301);
  });

  it('folds a typed column in one pass (addAll) exactly as value by value: bins, range ends, bad values, KS counts', () => {
    const p = createProfiler([{ name: 'x', type: 'numeric' }]);
    const refValues = Array.from({ length: 300 }, () => Math.round(normal(0, 2) * 4) / 4);
    for (const x of refValues) p.add({ x });
    const ref = numericReference(p.result().columns[0]!, refValues)!;
    const values = Float64Array.from({ length: 1001 }, (_, i) => (i % 97 === 0 ? NaN : i % 89 === 0 ? Infinity : i % 83 === 0 ? -Infinity : Math.round(normal(0.5, 3) * 4) / 4));
    values[1000] = ref.profile.numeric.max; // odd length, the last value on the closed end
    const one = numericAccumulator(ref);
    for (const x of values) one.add(x);
    const all = numericAccumulator(ref);
    all.addAll(values);
    const [a, b] = [one.result(), all.result()];
    expect(b).toEqual(a);
    expect(a.counts.nan + a.counts.infinite).toBeGreaterThan(20);
    expect(a.below + a.above).toBeGreaterThan(0);
    expect(a.bins.reduce((x, y) => x + y, 0) + a.below + a.above).toBe(a.counts.n);
    expect(a.ks!.n).toBe(a.counts.n);
  });
});
