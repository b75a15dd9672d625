import { describe, expect, it } from 'vitest';
import { createQuantileSketch, nearestRank, quantileSketchFromState, type QuantileSketch } from './quantiles.ts';
import { distributions, rankError, ranks } from './test-data.ts';

const PERCENTS = Array.from({ length: 101 }, (_, i) => i);

function sketchOf(xs: readonly number[], k = 200, seed = 1): QuantileSketch {
  const s = createQuantileSketch({ k, seed });
  for (const x of xs) s.add(x);
  return s;
}

/** sorted[⌈p·n⌉ − 1], p = percent/100, written with integers so no rounding is involved. */
function nearestRankOfSorted(sorted: readonly number[], percent: number): number {
  const r = Math.max(1, Math.ceil((percent * sorted.length) / 100));
  return sorted[r - 1]!;
}

const ascending = (xs: readonly number[]) => [...xs].sort((a, b) => a - b);

describe('quantile sketch: exact mode', () => {
  it.each(Object.keys(distributions))('equals the sorted-array nearest rank for every percent while n ≤ 3k (%s)', (name) => {
    for (const n of [1, 2, 3, 7, 100, 599, 600]) {
      const xs = distributions[name]!(n, n);
      const s = sketchOf(xs);
      const sorted = ascending(xs);
      expect(s.exact()).toBe(true);
      expect(s.rankErrorBound()).toBe(0);
      for (const p of PERCENTS) expect(s.quantile(p / 100)).toBe(nearestRankOfSorted(sorted, p));
      for (const x of [sorted[0]! - 1, ...sorted.slice(0, 50), sorted[sorted.length - 1]! + 1]) expect(s.countBelow(x)).toBe(ranks(sorted, x).below);
    }
  });

  it('turns approximate at 3k + 1 values', () => {
    const s = sketchOf(distributions.uniform!(1, 601));
    expect(s.exact()).toBe(false);
    expect(s.state().levels.reduce((n, l) => n + l.length, 0)).toBeLessThan(601);
  });

  it('rounds ⌈p·n⌉ without float noise and refuses p outside [0, 1]', () => {
    expect(nearestRank(0.55, 100)).toBe(55); // 0.55·100 = 55.00000000000001
    expect(nearestRank(0.07, 100)).toBe(7); // 7.000000000000001
    expect(nearestRank(0.01, 344)).toBe(4);
    expect(nearestRank(0, 10)).toBe(1);
    const s = sketchOf([3, 1, 2]);
    expect(() => s.quantile(1.5)).toThrow(RangeError);
    expect(() => s.quantile(NaN)).toThrow(RangeError);
    expect(createQuantileSketch().quantile(0.5)).toBeNull();
  });
});

describe('quantile sketch: approximate mode', () => {
  for (const k of [200, 64]) {
    it.each(Object.keys(distributions))(`keeps every percentile within rankErrorBound() on 120 000 values (k = ${k}, %s)`, (name) => {
      const n = 120_000;
      const xs = distributions[name]!(k, n);
      const s = sketchOf(xs, k);
      const sorted = ascending(xs);
      const bound = s.rankErrorBound();
      expect(s.exact()).toBe(false);
      expect(bound).toBeLessThanOrEqual((3.5 * n) / k);
      let worst = 0;
      for (const p of PERCENTS) worst = Math.max(worst, rankError(sorted, s.quantile(p / 100)!, nearestRank(p / 100, n)));
      expect(worst).toBeLessThanOrEqual(bound);
      for (const x of sorted.filter((_, i) => i % 997 === 0)) expect(Math.abs(s.countBelow(x) - ranks(sorted, x).below)).toBeLessThanOrEqual(bound);
      expect(s.quantile(0)).toBe(sorted[0]);
      expect(s.quantile(1)).toBe(sorted[n - 1]);
      // Memory stays about 3k values.
      expect(s.state().levels.reduce((c, l) => c + l.length, 0)).toBeLessThanOrEqual(3 * k + 8 * s.state().levels.length);
      console.log(`k=${k} ${name}: worst rank error ${worst} = ${((100 * worst) / n).toFixed(3)} % of n; bound ${Math.ceil(bound)} = ${((100 * bound) / n).toFixed(3)} %`);
    });
  }

  it('has √V ≤ n/k at every size (the documented a-priori bound 3.5·n/k)', () => {
    for (const k of [8, 20, 64, 200]) {
      const s = createQuantileSketch({ k });
      let worst = 0;
      for (let n = 1; n <= 300_000; n++) {
        s.add(n);
        if (n % 16 === 0 || n < 20_000) worst = Math.max(worst, (Math.sqrt(s.state().errorVariance) * k) / n);
      }
      expect(worst).toBeLessThanOrEqual(1);
    }
  });

  it('gives the same answers for the same input, seed and order', () => {
    const xs = distributions.normal!(9, 50_000);
    expect(sketchOf(xs, 100, 42).state()).toEqual(sketchOf(xs, 100, 42).state());
    expect(sketchOf(xs, 100, 42).state()).not.toEqual(sketchOf(xs, 100, 43).state());
  });
});

describe('quantile sketch: merge and state', () => {
  it('merging exact sketches equals one pass over the union', () => {
    const xs = distributions.duplicates!(4, 500);
    const a = sketchOf(xs.slice(0, 200));
    a.merge(sketchOf(xs.slice(200)));
    const one = sketchOf(xs);
    expect(a.exact()).toBe(true);
    for (const p of PERCENTS) expect(a.quantile(p / 100)).toBe(one.quantile(p / 100));
  });

  it.each(Object.keys(distributions))('a merge of 7 chunks (some exact, some not) stays within its bound (%s)', (name) => {
    const n = 150_000;
    const xs = distributions[name]!(77, n);
    const cuts = [0, 300, 40_000, 40_500, 90_000, 120_000, 149_900, n];
    const parts = cuts.slice(1).map((end, i) => sketchOf(xs.slice(cuts[i], end), 200, i));
    const merged = parts.reduce((acc, p) => (acc.merge(p), acc));
    const sorted = ascending(xs);
    expect(merged.count()).toBe(n);
    const bound = merged.rankErrorBound();
    expect(bound).toBeLessThanOrEqual((2 * 3.5 * n) / 200);
    let worst = 0;
    for (const p of PERCENTS) worst = Math.max(worst, rankError(sorted, merged.quantile(p / 100)!, nearestRank(p / 100, n)));
    expect(worst).toBeLessThanOrEqual(bound);
    console.log(`merged ${name}: worst rank error ${((100 * worst) / n).toFixed(3)} % of n; bound ${((100 * bound) / n).toFixed(3)} %`);
    expect([merged.quantile(0), merged.quantile(1)]).toEqual([sorted[0], sorted[n - 1]]);
  });

  it('refuses to merge sketches of different k', () => {
    expect(() => sketchOf([1], 200).merge(sketchOf([2], 100))).toThrow(RangeError);
  });

  it('resumes from JSON exactly where it left off (same coins, same answers)', () => {
    const xs = distributions.pareto!(8, 40_000);
    const straight = sketchOf(xs);
    const first = sketchOf(xs.slice(0, 17_000));
    const resumed = quantileSketchFromState(JSON.parse(JSON.stringify(first.state())));
    for (const x of xs.slice(17_000)) resumed.add(x);
    expect(resumed.state()).toEqual(straight.state());
    const empty = quantileSketchFromState(JSON.parse(JSON.stringify(createQuantileSketch().state())));
    expect(empty.quantile(0.5)).toBeNull();
  });
});
