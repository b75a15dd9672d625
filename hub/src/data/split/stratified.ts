import { createRng, shuffleInPlace } from '../../training/split.ts';
import { apportion } from './apportion.ts';
import { groupIndices } from './keys.ts';
import { SPLIT_PARTS, type SplitFractions, type SplitPart } from './schema.ts';

/**
 * Stratified split: rows grouped by class (`classes[i]` is row i's class; missing values are the class
 * '(missing)'), each class shuffled with one seeded generator (classes in order of first appearance)
 * and cut by `fractions` with largest-remainder rounding. So each part holds the floor or the ceiling
 * of `class size × fraction` rows of every class: proportions kept within ±1 row per class per part.
 *
 * When a class's remainders tie (0.15 / 0.15), the leftover row goes to the part furthest below its
 * overall share so far, so validation and test don't drift apart across many classes.
 *
 * A class too small to reach every part is not an error: its rows go to the largest quotas, train
 * first (a 1-row class lands in train), so a rare class may be absent from validation or test —
 * and with only tiny classes, a part can even end up empty. `balance` shows where they went.
 * @example splitStratified(['a', 'a', 'b', 'b'], { train: 0.5, validation: 0, test: 0.5 }, 42) // one 'a' and one 'b' per part
 */
export function splitStratified(classes: readonly string[], fractions: SplitFractions, seed: number): SplitPart[] {
  const rng = createRng(seed);
  const n = classes.length;
  const assignment = new Array<SplitPart>(n);
  const filled = { train: 0, validation: 0, test: 0 };
  for (const members of groupIndices(classes).values()) {
    shuffleInPlace(members, rng);
    const sizes = apportion(members.length, fractions, (p) => n * fractions[p] - filled[p]);
    let at = 0;
    for (const part of SPLIT_PARTS) {
      for (let k = 0; k < sizes[part]; k++) assignment[members[at++]!] = part;
      filled[part] += sizes[part];
    }
  }
  return assignment;
}
