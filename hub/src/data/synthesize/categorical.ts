/**
 * Categorical values from a column profile's top list. The profile only names its `top` values; the
 * rest of the mass (`otherCount`) cannot be told apart, so it comes out as one placeholder value.
 */
import type { ColumnProfile } from '@outpost/shared';
import { createWeightedPick } from './weighted-pick.ts';

type CategoricalSummary = NonNullable<ColumnProfile['categorical']>;

/** The value standing for every category outside the profile's `top` list. */
export const OTHER_CATEGORY = '(other)';

/**
 * A sampler of one categorical column's present values: each top value with probability
 * count / (Σ counts + otherCount), and OTHER_CATEGORY with the remaining otherCount share (only when
 * otherCount > 0). Null when there is nothing to draw from (no counts at all).
 * @example
 * const draw = createCategoricalSampler({ top: [{ value: 'a', count: 3 }], otherCount: 1, exact: true })!;
 * draw(createRng(1)); // 'a' three times in four, '(other)' once in four
 */
export function createCategoricalSampler(c: CategoricalSummary): ((rng: () => number) => string) | null {
  const values = c.top.map((t) => t.value);
  const weights = c.top.map((t) => t.count);
  if (c.otherCount > 0) {
    values.push(OTHER_CATEGORY);
    weights.push(c.otherCount);
  }
  const pick = createWeightedPick(weights);
  if (pick === null) return null;
  return (rng) => values[pick(rng())]!;
}
