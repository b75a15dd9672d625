/**
 * A mergeable quantile sketch: KLL (Karnin, Lang, Liberty, "Optimal Quantile Approximation in
 * Streams", FOCS 2016, https://arxiv.org/abs/1603.05346) with lazy compaction, as in Apache
 * DataSketches. Why KLL: bounded memory (≈3k values), mergeable in any order, and its error can be
 * accounted for exactly as it happens, so a profile can state the bound it actually achieved.
 *
 * Level h holds values of weight 2^h. When the sketch is over capacity, the lowest full level is
 * sorted and every other value (odd or even positions, by a coin) moves up a level with double
 * weight. For any fixed x that compaction changes the estimated count of values below x by
 * −2^h, 0 or +2^h with mean 0, so the total error is a martingale and Azuma–Hoeffding gives
 * P(|error| ≥ t) ≤ 2·exp(−t² / 2V), V = Σ 4^h over compactions. The sketch keeps V in its state.
 *
 * **Bound.** For each quantile (and each countBelow), with probability ≥ 99 %:
 *   rank error ≤ `rankErrorBound()` = √(2·V·ln 400)   (δ = 0.5 % for each of the two rank queries
 *   that bracket a quantile). For one pass over n values √V ≤ 0.9·n/k (measured for every n up to
 *   5·10⁶ and k from 8 to 1000; the test re-checks √V ≤ n/k), so the error is at most 3.5·n/k
 *   (k = 200: 1.7 % of n). Observed errors are a third to a half of the bound (the test prints them).
 *   While n ≤ 3k nothing is compacted and every answer is exact (rankErrorBound() = 0).
 * Merges combine V as (√V₁ + √V₂)², valid even when both sketches flipped the same coins because
 * they share a seed (Minkowski), and the merged sketch continues on a fresh coin stream. For
 * chunks of one data set that is about the one-pass V.
 *
 * **Quantile definition: nearest rank.** quantile(p) is the smallest value x whose count of values
 * ≤ x is at least r = ⌈p·n⌉ (r clamped to 1…n): sorted[⌈p·n⌉ − 1] in exact mode, always an
 * observed value, never an interpolation. This is numpy's method='inverted_cdf'; numpy's 'lower'
 * (sorted[⌊p·(n−1)⌋]) is a different rule that can pick the value one position lower (p99 of 342
 * values: index 338 here, 337 there).
 */
import { hashPair } from './hash.ts';
import { createRandom } from './random.ts';

/** JSON form. levels[h] holds values of weight 2^h, unsorted. */
export interface QuantileSketchState {
  k: number;
  n: number;
  min: number | null;
  max: number | null;
  levels: number[][];
  /** V = Σ 4^h over all compactions (0 in exact mode). */
  errorVariance: number;
  rng: number;
}

export interface QuantileSketchOptions {
  /** Size parameter: the top level holds k values, the whole sketch about 3k. Default 200. */
  k?: number;
  /** Seed of the compaction coin. Default 1. */
  seed?: number;
}

export interface QuantileSketch {
  /** Add a finite number (NaN is ignored: it has no rank). */
  add(x: number): void;
  /** Fold another sketch (same k) into this one. */
  merge(other: QuantileSketch): void;
  state(): QuantileSketchState;
  count(): number;
  /** Nearest-rank quantile, p in [0, 1]; null while empty. p = 0 is the exact min, p = 1 the exact max. */
  quantile(p: number): number | null;
  /** Estimated number of values < x. */
  countBelow(x: number): number;
  /** t such that each quantile's / countBelow's rank error is ≤ t with probability ≥ 99%; 0 when exact. */
  rankErrorBound(): number;
  exact(): boolean;
}

export const DEFAULT_QUANTILE_K = 200;
const MIN_WIDTH = 8;
const C = 2 / 3;
/** 4^h for the levels a sketch reaches in practice (one pass over 2^60 values stays below 64). */
const POW4 = Array.from({ length: 64 }, (_, h) => 4 ** h);
/** 2·ln(2/δ) with δ = 0.005 per rank query. */
const LOG_FACTOR = 2 * Math.log(400);

/**
 * @example
 * const s = createQuantileSketch({ k: 200 });
 * for (let i = 1; i <= 100; i++) s.add(i);
 * s.quantile(0.5); // 50 (exact: 100 ≤ 3k)
 */
export function createQuantileSketch(options: QuantileSketchOptions = {}): QuantileSketch {
  const k = options.k ?? DEFAULT_QUANTILE_K;
  return build({ k, n: 0, min: null, max: null, levels: [[]], errorVariance: 0, rng: options.seed ?? 1 });
}

/**
 * Restore a sketch from `state()` (trusted shape: validate stored input first, see state-schema.ts).
 * @example const again = quantileSketchFromState(JSON.parse(JSON.stringify(sketch.state())));
 */
export function quantileSketchFromState(state: QuantileSketchState): QuantileSketch {
  return build(state);
}

/**
 * ⌈p·n⌉ clamped to [1, n], ignoring float noise such as 0.55·100 = 55.00000000000001.
 * @example nearestRank(0.55, 100) // 55
 */
export function nearestRank(p: number, n: number): number {
  let t = p * n;
  const rounded = Math.round(t);
  if (Math.abs(t - rounded) <= 1e-9 * Math.max(1, t)) t = rounded;
  return Math.min(n, Math.max(1, Math.ceil(t)));
}

function build(from: QuantileSketchState): QuantileSketch {
  const k = from.k;
  if (!Number.isInteger(k) || k < MIN_WIDTH || k > 65536) throw new RangeError(`quantile sketch k must be an integer in [${MIN_WIDTH}, 65536], got ${k}`);
  let n = from.n;
  let min = from.min ?? Infinity;
  let max = from.max ?? -Infinity;
  const levels = from.levels.map((l) => l.slice());
  let variance = from.errorVariance;
  let rng = createRandom(from.rng);
  let retained = levels.reduce((s, l) => s + l.length, 0);
  let level0 = levels[0]!;
  let limit = 0;
  let sorted: { values: Float64Array; cumulative: Float64Array } | null = null;

  // Capacities and the limit depend only on the number of levels (and whether anything was ever
  // compacted): computed again only when those change, not on every compaction.
  let caps: number[] = [];
  let capsFor = -1;
  const capacity = (h: number): number => {
    if (capsFor !== levels.length) {
      capsFor = levels.length;
      caps = Array.from({ length: capsFor }, (_, i) => Math.max(MIN_WIDTH, Math.ceil(k * C ** (capsFor - 1 - i))));
    }
    return caps[h]!;
  };
  let limitFor = -1;
  const updateLimit = (): void => {
    if (variance === 0) limit = 3 * k;
    else if (limitFor !== levels.length) {
      limitFor = levels.length;
      limit = 0;
      for (let h = 0; h < levels.length; h++) limit += capacity(h);
    }
  };

  // In place: the low levels compact every few values, so allocation there is what costs.
  const compact = (h: number): void => {
    if (h + 1 === levels.length) levels.push([]);
    const values = levels[h]!;
    sortNumbers(values);
    const pairs = values.length >> 1;
    const offset = rng.next() < 0.5 ? 0 : 1;
    const up = levels[h + 1]!;
    for (let i = 0; i < pairs; i++) up.push(values[2 * i + offset]!);
    if (values.length & 1) {
      values[0] = values[values.length - 1]!;
      values.length = 1;
    } else values.length = 0;
    retained -= pairs;
    variance += POW4[h] ?? 4 ** h;
  };

  const compress = (): void => {
    updateLimit();
    while (retained > limit) {
      let h = 0;
      while (levels[h]!.length < capacity(h)) h++;
      compact(h);
      updateLimit();
    }
    level0 = levels[0]!;
  };
  updateLimit();

  const view = (): { values: Float64Array; cumulative: Float64Array } => {
    if (sorted) return sorted;
    const items: [number, number][] = [];
    levels.forEach((l, h) => {
      for (const v of l) items.push([v, 2 ** h]);
    });
    items.sort((a, b) => a[0] - b[0]);
    const values = new Float64Array(items.length);
    const cumulative = new Float64Array(items.length);
    let c = 0;
    items.forEach(([v, w], i) => {
      values[i] = v;
      cumulative[i] = c += w;
    });
    return (sorted = { values, cumulative });
  };

  return {
    add(x) {
      if (x !== x) return;
      n++;
      if (x < min) min = x;
      if (x > max) max = x;
      level0.push(x);
      sorted = null;
      if (++retained > limit) compress();
    },
    merge(other) {
      const o = other.state();
      if (o.k !== k) throw new RangeError(`cannot merge quantile sketches with k ${k} and ${o.k}`);
      if (o.n === 0) return;
      o.levels.forEach((l, h) => {
        if (h === levels.length) levels.push([]);
        for (const v of l) levels[h]!.push(v);
        retained += l.length;
      });
      n += o.n;
      if (o.min! < min) min = o.min!;
      if (o.max! > max) max = o.max!;
      variance = (Math.sqrt(variance) + Math.sqrt(o.errorVariance)) ** 2;
      // Continue on a stream that neither input was going to use next.
      rng = createRandom(hashPair(rng.state(), o.rng));
      sorted = null;
      compress();
    },
    state: () => ({
      k,
      n,
      min: n > 0 ? min : null,
      max: n > 0 ? max : null,
      levels: levels.map((l) => l.slice()),
      errorVariance: variance,
      rng: rng.state(),
    }),
    count: () => n,
    quantile(p) {
      if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile p must be in [0, 1], got ${p}`);
      if (n === 0) return null;
      const r = p === 0 ? 1 : nearestRank(p, n);
      if (r === 1) return min;
      if (r === n) return max;
      const { values, cumulative } = view();
      let lo = 0;
      let hi = values.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! >= r) hi = mid;
        else lo = mid + 1;
      }
      return values[lo]!;
    },
    countBelow(x) {
      const { values, cumulative } = view();
      let lo = 0;
      let hi = values.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (values[mid]! < x) lo = mid + 1;
        else hi = mid;
      }
      return lo === 0 ? 0 : cumulative[lo - 1]!;
    },
    rankErrorBound: () => Math.sqrt(LOG_FACTOR * variance),
    exact: () => variance === 0,
  };
}

/** Ascending, in place: insertion sort for the short low levels, the typed-array sort for long ones. */
function sortNumbers(values: number[]): void {
  const n = values.length;
  if (n > 32) {
    const sorted = Float64Array.from(values).sort();
    for (let i = 0; i < n; i++) values[i] = sorted[i]!;
    return;
  }
  for (let i = 1; i < n; i++) {
    const x = values[i]!;
    let j = i - 1;
    while (j >= 0 && values[j]! > x) {
      values[j + 1] = values[j]!;
      j--;
    }
    values[j + 1] = x;
  }
}
