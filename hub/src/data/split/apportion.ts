import { SPLIT_PARTS, type SplitFractions, type SplitPart } from './schema.ts';

// Quotas like 0.3 × 10 = 3.0000000000000004 or 2.9999999999999996 must floor to 3, not 2.
const EPSILON = 1e-9;

/**
 * Largest-remainder (Hamilton) rounding of `n × fraction` per part: every count is the floor or the
 * ceiling of its quota and the counts sum to `n`. Leftover rows go to the largest remainders; equal
 * remainders go to the higher `priority(part)`, then in part order (train, validation, test). A part
 * with fraction 0 never gets a row.
 * @example apportion(10, { train: 0.7, validation: 0.15, test: 0.15 }) // { train: 7, validation: 2, test: 1 }
 */
export function apportion(
  n: number,
  fractions: SplitFractions,
  priority: (part: SplitPart) => number = () => 0,
): Record<SplitPart, number> {
  const counts = { train: 0, validation: 0, test: 0 };
  const remainders = { train: 0, validation: 0, test: 0 };
  for (const part of SPLIT_PARTS) {
    const quota = n * fractions[part];
    counts[part] = Math.floor(quota + EPSILON);
    remainders[part] = quota - counts[part];
  }
  let left = n - counts.train - counts.validation - counts.test;
  const ranked = SPLIT_PARTS.filter((p) => fractions[p] > 0).sort(
    (a, b) =>
      (Math.abs(remainders[a] - remainders[b]) > EPSILON ? remainders[b] - remainders[a] : 0) ||
      priority(b) - priority(a) ||
      SPLIT_PARTS.indexOf(a) - SPLIT_PARTS.indexOf(b),
  );
  for (const part of ranked) {
    if (left <= 0) break;
    counts[part]++;
    left--;
  }
  return counts;
}

/**
 * Part sizes for a whole-dataset cut (random, time, group targets): `apportion`, then every part with a
 * non-zero fraction gets at least one row, taken from the largest part — a requested validation or
 * test set is never silently empty. Callers ensure `n` ≥ the number of non-zero parts.
 * @example allocateSizes(3, { train: 0.9, validation: 0.05, test: 0.05 }) // { train: 1, validation: 1, test: 1 }
 */
export function allocateSizes(n: number, fractions: SplitFractions): Record<SplitPart, number> {
  const counts = apportion(n, fractions);
  for (const part of SPLIT_PARTS) {
    if (fractions[part] === 0 || counts[part] > 0) continue;
    const donor = SPLIT_PARTS.reduce((a, b) => (counts[b] > counts[a] ? b : a));
    if (counts[donor] < 2) break;
    counts[donor]--;
    counts[part]++;
  }
  return counts;
}

/**
 * Lay `order` (row indices) out into parts: the first `sizes.train` to train, then validation, then
 * test. Returns the part of every row, indexed by row.
 * @example assignInOrder([2, 0, 1], { train: 1, validation: 1, test: 1 }) // ['validation', 'test', 'train']
 */
export function assignInOrder(order: readonly number[], sizes: Record<SplitPart, number>): SplitPart[] {
  const assignment = new Array<SplitPart>(order.length);
  let at = 0;
  for (const part of SPLIT_PARTS) {
    for (let k = 0; k < sizes[part]; k++) assignment[order[at++]!] = part;
  }
  return assignment;
}
