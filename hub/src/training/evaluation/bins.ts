/**
 * Equal-width binning for the reliability diagram and the residual histogram. Why look the bin up
 * among the edges instead of floor((x − min) / width): that quotient rounds, and a value a hair
 * below an edge can land in the bin above it, so the counts would disagree with the edges the
 * report shows next to them. A binary search over the very edges reported cannot disagree.
 */

/**
 * `bins` + 1 equal-width edges from `min` to `max`, both exact.
 * @example equalWidthEdges(0, 1, 4) // [0, 0.25, 0.5, 0.75, 1]
 */
export function equalWidthEdges(min: number, max: number, bins: number): number[] {
  const range = max - min;
  // (range · i) / bins, not width · i: over [0, 1] the edges are then i / bins correctly rounded (0.3,
  // not 0.1 · 3 = 0.30000000000000004). A range wider than ~1.8e308 overflows; max/bins − min/bins does not.
  const edge = Number.isFinite(range) ? (i: number) => min + (range * i) / bins : (i: number) => min + (max / bins - min / bins) * i;
  return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : Math.min(max, edge(i))));
}

/**
 * The bin [edges[i], edges[i+1]) holding x, the last bin closed; x is assumed within the edges.
 * @example binOf(0.5, [0, 0.25, 0.5, 0.75, 1]) // 2
 */
export function binOf(x: number, edges: readonly number[]): number {
  let lo = 0;
  let hi = edges.length - 2; // the answer is in [lo, hi]
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (x >= edges[mid]!) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
