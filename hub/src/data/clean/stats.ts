/**
 * Exact statistics on in-memory values (sorting, not sketches): a recipe must fit the same numbers
 * on every replay. All return null for no values.
 */
import { nearestRank } from '@outpost/shared';

/**
 * Arithmetic mean, summed in the given order (deterministic for the same rows).
 * @example mean([1, 2, 4]); // 2.3333333333333335
 */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Ascending copy. */
export function sorted(values: readonly number[]): number[] {
  return values.slice().sort((a, b) => a - b);
}

/**
 * The middle value; for an even count the mean of the two middle values.
 * @example median([4, 1, 3, 2]); // 2.5
 */
export function median(values: readonly number[]): number | null {
  const s = sorted(values);
  const n = s.length;
  if (n === 0) return null;
  const mid = n >> 1;
  return n % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Nearest-rank quantile (the ⌈p·n⌉-th smallest value) of values already sorted ascending.
 * @example quantileOfSorted([10, 20, 30, 40], 0.25); // 10
 */
export function quantileOfSorted(ascending: readonly number[], p: number): number | null {
  if (ascending.length === 0) return null;
  return ascending[nearestRank(p, ascending.length) - 1]!;
}

/**
 * The most frequent key's first value; ties go to the key seen first.
 * @example mode(['b', 'a', 'a', 'b'], (v) => v); // 'b'
 */
export function mode<T>(values: readonly T[], key: (v: T) => string): T | null {
  const counts = new Map<string, { first: T; count: number }>();
  for (const v of values) {
    const k = key(v);
    const entry = counts.get(k);
    if (entry) entry.count++;
    else counts.set(k, { first: v, count: 1 });
  }
  let best: { first: T; count: number } | null = null;
  // Map iterates in first-appearance order, and only a strictly larger count replaces the best.
  for (const entry of counts.values()) if (best === null || entry.count > best.count) best = entry;
  return best === null ? null : best.first;
}
