/**
 * Pick an index with probability weight / total, by binary search over the running sums. Shared by
 * the numeric (histogram bin) and categorical (top value) samplers so both draw the same way.
 */

/**
 * A picker over non-negative `weights`; null when they sum to 0 (nothing to draw from).
 * Call it with a uniform u in [0, 1).
 * @example createWeightedPick([1, 3])!(0.5) // 1 (u ≥ 1/4 falls in the second weight)
 */
export function createWeightedPick(weights: readonly number[]): ((u: number) => number) | null {
  const cumulative: number[] = [];
  let total = 0;
  for (const w of weights) {
    total += w > 0 ? w : 0;
    cumulative.push(total);
  }
  if (!(total > 0)) return null;
  return (u) => {
    const target = u * total;
    // Smallest i with cumulative[i] > target: zero-weight entries share their neighbour's sum and
    // so are never chosen.
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}
