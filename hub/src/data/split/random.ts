import { createRng, shuffleInPlace } from '../../training/split.ts';
import { allocateSizes, assignInOrder } from './apportion.ts';
import type { SplitFractions, SplitPart } from './schema.ts';

/**
 * Random split of `n` rows: a seeded Fisher–Yates shuffle of the row indices, cut by `fractions` with
 * largest-remainder rounding (sizes sum to `n`; each non-zero part gets at least one row).
 * @example splitRandom(10, { train: 0.8, validation: 0.1, test: 0.1 }, 42) // 8 × 'train', 1 × 'validation', 1 × 'test'
 */
export function splitRandom(n: number, fractions: SplitFractions, seed: number): SplitPart[] {
  const order = shuffleInPlace(
    Array.from({ length: n }, (_, i) => i),
    createRng(seed),
  );
  return assignInOrder(order, allocateSizes(n, fractions));
}
