import { allocateSizes, assignInOrder } from './apportion.ts';
import type { SplitFractions, SplitPart } from './schema.ts';

/**
 * Time split: rows sorted by time ascending — the earliest to train, then validation, the latest to
 * test — so a model is evaluated on data from after what it learned from. Sizes as for random
 * (largest remainder, each non-zero part at least one row). Equal times keep row order (the sort is
 * stable), and may straddle a boundary: every train time ≤ every validation time ≤ every test time.
 * No randomness, so the seed is unused. `times` comes from `readTimes`.
 * @example splitTime([30, 10, 20], { train: 0.34, validation: 0.33, test: 0.33 }) // ['test', 'train', 'validation']
 */
export function splitTime(times: readonly number[], fractions: SplitFractions): SplitPart[] {
  const order = times.map((_, i) => i).sort((a, b) => times[a]! - times[b]!);
  return assignInOrder(order, allocateSizes(times.length, fractions));
}
