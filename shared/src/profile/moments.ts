/**
 * Count, mean, variance, min and max in one pass, mergeable: Welford's update for each value and
 * Chan et al.'s pairwise combination for merges ("Updating formulae and a pairwise algorithm for
 * computing sample variances", 1979). Why not Σx and Σx²: their difference cancels catastrophically
 * when the mean is large next to the spread (timestamps, sensor readings around 1e9).
 * Why the shift: Welford alone still rounds its running mean at the data's magnitude on every
 * update, ~1e-8 of the std when the mean is 1e8 std away (measured). Accumulating x − shift, with
 * shift = the first value, keeps every update at the spread's magnitude, so mean and std agree with
 * a two-pass computation to ~1e-12 relative even then (moments.test.ts, "offset").
 */

/** JSON form. `min`/`max` are null while `count` is 0 (JSON has no Infinity). */
export interface MomentsState {
  count: number;
  /** The first value added (0 while empty); the sums below are of x − shift. */
  shift: number;
  /** mean − shift */
  shiftedMean: number;
  /** Σ (x − mean)² */
  m2: number;
  min: number | null;
  max: number | null;
}

export interface MomentsSummary {
  count: number;
  mean: number;
  min: number;
  max: number;
  /** Population variance, M2 / n (what the feature pipeline divides by). */
  variance: number;
  /** Sample variance, M2 / (n − 1); null when n < 2. */
  sampleVariance: number | null;
  std: number;
  sampleStd: number | null;
}

export interface Moments {
  add(x: number): void;
  /**
   * Add a batch (NaN skipped) in two passes — its mean, then its squared deviations, both on values
   * shifted like this accumulator's — folded in with Chan's formula: no division per value, and as
   * accurate as `add` (the same to about 1e-15 relative).
   */
  addMany(xs: ArrayLike<number>): void;
  merge(other: Moments): void;
  state(): MomentsState;
  /** null while no value was added. */
  summary(): MomentsSummary | null;
}

/**
 * @example
 * const m = createMoments();
 * for (const x of [2, 4, 4, 4, 5, 5, 7, 9]) m.add(x);
 * m.summary(); // { count: 8, mean: 5, std: 2, sampleStd: 2.138…, min: 2, max: 9, … }
 */
export function createMoments(from?: MomentsState): Moments {
  let count = from?.count ?? 0;
  let shift = from?.shift ?? 0;
  let mean = from?.shiftedMean ?? 0; // of x − shift
  let m2 = from?.m2 ?? 0;
  let min = from?.min ?? Infinity;
  let max = from?.max ?? -Infinity;
  return {
    add(x) {
      if (count === 0) shift = x;
      const y = x - shift;
      count++;
      const d = y - mean;
      mean += d / count;
      m2 += d * (y - mean);
      if (x < min) min = x;
      if (x > max) max = x;
    },
    addMany(xs) {
      let k = 0;
      let sum = 0;
      let s = shift;
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < xs.length; i++) {
        const x = xs[i]!;
        if (x !== x) continue;
        if (count === 0 && k === 0) s = x;
        k++;
        sum += x - s;
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
      if (k === 0) return;
      const batchMean = sum / k;
      let batchM2 = 0;
      for (let i = 0; i < xs.length; i++) {
        const x = xs[i]!;
        if (x !== x) continue;
        const d = x - s - batchMean;
        batchM2 += d * d;
      }
      this.merge(createMoments({ count: k, shift: s, shiftedMean: batchMean, m2: batchM2, min: lo, max: hi }));
    },
    merge(other) {
      const o = other.state();
      if (o.count === 0) return;
      if (count === 0) shift = o.shift;
      const n = count + o.count;
      const d = o.shift - shift + (o.shiftedMean - mean);
      mean += (d * o.count) / n;
      m2 += o.m2 + (d * d * count * o.count) / n;
      count = n;
      if (o.min! < min) min = o.min!;
      if (o.max! > max) max = o.max!;
    },
    state: () => ({ count, shift, shiftedMean: mean, m2, min: count > 0 ? min : null, max: count > 0 ? max : null }),
    summary() {
      if (count === 0) return null;
      const variance = m2 / count;
      const sampleVariance = count > 1 ? m2 / (count - 1) : null;
      return {
        count,
        mean: shift + mean,
        min,
        max,
        variance,
        sampleVariance,
        std: Math.sqrt(variance),
        sampleStd: sampleVariance === null ? null : Math.sqrt(sampleVariance),
      };
    },
  };
}
