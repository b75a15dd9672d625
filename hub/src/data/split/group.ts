import { createRng, shuffleInPlace } from '../../training/split.ts';
import { allocateSizes } from './apportion.ts';
import { groupIndices } from './keys.ts';
import { SPLIT_PARTS, type SplitFractions, type SplitPart } from './schema.ts';

/**
 * Group split: all rows with the same group id (`groups[i]`; missing ids form one group '(missing)')
 * go to the same part, so no group leaks between training and evaluation — e.g. one patient's visits.
 *
 * Groups are shuffled with the seed, then each in turn goes to the part furthest below its target size
 * (the random split's sizes; ties in part order). Once only as many groups are left as non-zero parts
 * are still empty, those groups fill those parts, largest group to largest target. Guarantees:
 * - no leakage: every group is in exactly one part;
 * - a part only receives a group while below its target, so it overshoots by less than one group;
 *   with many small groups the sizes approach the fractions;
 * - with at least as many groups as non-zero parts, every non-zero part gets a group: a requested
 *   test set is never silently empty.
 * With no more groups than parts the seed has no effect and sizes follow the groups, not the fractions
 * (penguins by Island: 168 / 124 / 52) — the price of no leakage; `sizes` says what came out.
 * @example splitGroups(['a', 'a', 'b', 'c'], { train: 0.5, validation: 0.25, test: 0.25 }, 42) // ['train', 'train', 'test', 'validation']
 */
export function splitGroups(groups: readonly string[], fractions: SplitFractions, seed: number): SplitPart[] {
  const targets = allocateSizes(groups.length, fractions);
  const filled = { train: 0, validation: 0, test: 0 };
  const open = SPLIT_PARTS.filter((p) => targets[p] > 0);
  const assignment = new Array<SplitPart>(groups.length);
  const give = (members: readonly number[], part: SplitPart) => {
    for (const i of members) assignment[i] = part;
    filled[part] += members.length;
  };

  const queue = shuffleInPlace([...groupIndices(groups).values()], createRng(seed));
  while (queue.length > 0) {
    const empty = open.filter((p) => filled[p] === 0);
    if (queue.length <= empty.length) {
      // Both sorts are stable: equal groups keep the seeded order, equal targets the part order.
      const largest = [...queue].sort((a, b) => b.length - a.length);
      const neediest = [...empty].sort((a, b) => targets[b] - targets[a]);
      largest.forEach((members, k) => give(members, neediest[k]!));
      break;
    }
    give(queue.shift()!, open.reduce((a, b) => (targets[b] - filled[b] > targets[a] - filled[a] ? b : a)));
  }
  return assignment;
}
