/**
 * An equal-width histogram read off the quantile sketch's CDF. Why not bins filled during the pass:
 * the range is unknown until the last row, and re-binning a fixed-range histogram as the range
 * grows loses exactness anyway. The sketch already answers "how many values are below x", so a bin
 * [a, b) holds countBelow(b) − countBelow(a).
 *
 * Exact when the sketch is exact (≤ 3k values). Otherwise each edge's count is within the sketch's
 * rankErrorBound() t with probability ≥ 99.5 %, so each bin count is within ±2t with probability
 * ≥ 99 % (the last bin, n − countBelow(its left edge), within ±t).
 */
import type { QuantileSketch } from './quantiles.ts';

export const DEFAULT_HISTOGRAM_BINS = 20;

export interface Histogram {
  /** bins + 1 edges from min to max; bin i is [edges[i], edges[i+1]), the last one closed. */
  edges: number[];
  counts: number[];
  exact: boolean;
}

/**
 * `bins` equal-width bins between the sketch's exact min and max; null while the sketch is empty.
 * When min = max there is one bin, [min, max], holding every value.
 * @example
 * const s = createQuantileSketch();
 * [1, 2, 2, 3, 4].forEach((x) => s.add(x));
 * histogramFromSketch(s, 3); // { edges: [1, 2, 3, 4], counts: [1, 2, 2], exact: true }
 */
export function histogramFromSketch(sketch: QuantileSketch, bins = DEFAULT_HISTOGRAM_BINS): Histogram | null {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`histogram bins must be a positive integer, got ${bins}`);
  const n = sketch.count();
  const min = sketch.quantile(0);
  const max = sketch.quantile(1);
  if (min === null || max === null) return null;
  if (min === max) return { edges: [min, max], counts: [n], exact: sketch.exact() };
  // (max − min) overflows for ranges wider than ~1.8e308; max/bins − min/bins does not.
  const width = Number.isFinite(max - min) ? (max - min) / bins : max / bins - min / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : Math.min(max, min + width * i)));
  const below = edges.map((e, i) => (i === 0 ? 0 : i === bins ? n : sketch.countBelow(e)));
  return { edges, counts: below.slice(1).map((c, i) => c - below[i]!), exact: sketch.exact() };
}
