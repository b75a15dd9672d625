/**
 * Numeric values from a column profile's histogram: pick a bin by its count, then a uniform point
 * inside it. The histogram (not the quantiles) is the draw source because it carries mass over the
 * whole range; the quantiles only decide whether to round.
 */
import type { ColumnProfile } from '@outpost/shared';
import { createWeightedPick } from './weighted-pick.ts';

type NumericSummary = NonNullable<ColumnProfile['numeric']>;

/**
 * Whether the column looks integer-valued. A heuristic: the profile keeps no "all integers" flag, so
 * we read it off min, max and the seven quantiles (all of them actual data values under the
 * nearest-rank definition). A column of counts or grams passes; one real-valued column whose nine
 * sampled values all happen to be whole would be wrongly rounded, an accepted risk.
 * @example looksInteger({ min: 1, max: 9, quantiles: { p1: 1, p5: 1, p25: 3, p50: 5, p75: 7, p95: 9, p99: 9 } }) // true
 */
export function looksInteger(n: Pick<NumericSummary, 'min' | 'max' | 'quantiles'>): boolean {
  return [n.min, n.max, ...Object.values(n.quantiles)].every(Number.isInteger);
}

/**
 * A sampler of one numeric column's present values. Degenerate profiles (min = max, or a histogram
 * with no counts or malformed edges) always give min. Draws are clamped to [min, max]; integer
 * columns (looksInteger) are rounded before clamping, so the result stays an integer in range.
 * @example
 * const draw = createNumericSampler(profile.columns[2]!.numeric!);
 * draw(createRng(1)); // e.g. 43.71…
 */
export function createNumericSampler(n: NumericSummary): (rng: () => number) => number {
  const { min, max } = n;
  const { edges, counts } = n.histogram;
  const pick = edges.length === counts.length + 1 ? createWeightedPick(counts) : null;
  if (min === max || pick === null) return () => min;
  const round = looksInteger(n);
  return (rng) => {
    const bin = pick(rng());
    const lo = edges[bin]!;
    const hi = edges[bin + 1]!;
    const x = lo + rng() * (hi - lo);
    const y = round ? Math.round(x) : x;
    return Math.min(max, Math.max(min, y));
  };
}
