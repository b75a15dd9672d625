// Drift over 1M rows × 20 numeric features, in this process, against a one-pass floor (a loop that
// sums every value): the histogram-based tests (normalised Wasserstein, Jensen–Shannon and PSI
// against a 100k-row reference) and exact-statistic KS (against a 1000-row reference, its raw
// values kept). Best of 5 after a warm-up. Goals (issue 6): ≤ 3× the floor for the histogram tests,
// ≤ 30× with exact KS.
import { createProfiler, createRandom, type ReferenceProfile } from '@outpost/shared';
import { computeDrift, ksReference, numericAccumulator, numericReference, type ColumnWindow, type ReferenceColumn } from '../../hub/src/monitoring/drift-engine/index.ts';

const ROWS = Number(process.env.BENCH_DRIFT_ROWS ?? 1_000_000);
const FEATURES = 20;

function columns(rows: number, seed: number, shift: number): Float64Array[] {
  const rng = createRandom(seed);
  return Array.from({ length: FEATURES }, (_, f) => {
    const out = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      const u = Math.max(rng.next(), 1e-12);
      out[i] = f * 10 + shift * (f % 2) + Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next()) * (1 + f / 10);
    }
    return out;
  });
}

function referenceOf(data: Float64Array[], keepSample: boolean): Record<string, ReferenceColumn> {
  const names = data.map((_, f) => `f${f}`);
  const p = createProfiler(names.map((name) => ({ name, type: 'numeric' as const })));
  const rows = data[0]!.length;
  for (let i = 0; i < rows; i++) p.add(Object.fromEntries(names.map((n, f) => [n, data[f]![i]!])));
  const profile: ReferenceProfile['features'] = p.result();
  return Object.fromEntries(profile.columns.map((c, f) => [c.name, { profile: c, rows, ...(keepSample ? { ks: ksReference(data[f]!) } : {}) }]));
}

function drift(reference: Record<string, ReferenceColumn>, current: Float64Array[]) {
  const windows: Record<string, ColumnWindow> = {};
  current.forEach((values, f) => {
    const ref = reference[`f${f}`]!;
    const acc = numericAccumulator({ ...numericReference(ref.profile, undefined)!, ...(ref.ks ? { ks: ref.ks } : {}) });
    acc.addAll(values);
    windows[`f${f}`] = acc.result();
  });
  return computeDrift({ reference, current: windows });
}

function floor(current: Float64Array[]): number {
  let sum = 0;
  for (const values of current) for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum;
}

function best(runs: number, f: () => unknown): number {
  f();
  let min = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    f();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

export async function benchDrift() {
  const current = columns(ROWS, 2, 0.3);
  const large = referenceOf(columns(100_000, 1, 0), false);
  const small = referenceOf(columns(1000, 3, 0), true);
  const floorMs = best(5, () => floor(current));
  const histogramMs = best(5, () => drift(large, current));
  const ksMs = best(5, () => drift(small, current));
  const sample = drift(small, current).columns;
  return { rows: ROWS, features: FEATURES, floorMs, histogramMs, ksMs, driftedKs: sample.filter((c) => c.drifted).length, testedKs: sample.length, tests: [...new Set(drift(large, current).columns.map((c) => c.test)), ...new Set(sample.map((c) => c.test))] };
}
