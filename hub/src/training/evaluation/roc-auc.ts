/**
 * Exact ROC AUC as the Mann–Whitney statistic: the fraction of (positive, negative) pairs the score
 * orders correctly, a tie counting 1/2 — the area under the full ROC curve with ties drawn as
 * diagonal segments, which is what scikit-learn's roc_auc_score computes. Why not a binned or
 * trapezoid-over-thresholds approximation: gates compare AUCs of two models that differ in the
 * third decimal, and a sort makes the exact value O(n log n) anyway.
 *
 * Counting: sort the positives' and the negatives' scores apart (typed-array sorts, no comparator:
 * several times faster than sorting indices with one) and walk both; each positive beats the
 * negatives below its score and ties with those equal to it. The numerator is a sum of integers and
 * halves, exact in a double up to ~10^8 rows, so the only rounding is the final division.
 */

/**
 * AUC of `scores` for telling `positive` rows from the rest; null when either side is empty.
 * @example binaryRocAuc([0.1, 0.4, 0.4, 0.8], [false, false, true, true]) // (1 + 0.5 + 2) / 4 = 0.875
 */
export function binaryRocAuc(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number | null {
  const n = scores.length;
  let positives = 0;
  for (let i = 0; i < n; i++) if (positive[i]) positives++;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;

  const pos = new Float64Array(positives);
  const neg = new Float64Array(negatives);
  for (let i = 0, p = 0, q = 0; i < n; i++) {
    if (positive[i]) pos[p++] = scores[i]!;
    else neg[q++] = scores[i]!;
  }
  pos.sort();
  neg.sort();
  let pairs = 0; // correctly ordered pairs, ties counting 1/2
  let below = 0; // negatives < the current score
  let upTo = 0; // negatives ≤ the current score
  for (let i = 0; i < positives; ) {
    const score = pos[i]!;
    let j = i;
    while (j < positives && pos[j] === score) j++;
    while (below < negatives && neg[below]! < score) below++;
    if (upTo < below) upTo = below;
    while (upTo < negatives && neg[upTo]! <= score) upTo++;
    pairs += (j - i) * (below + (upTo - below) / 2);
    i = j;
  }
  return pairs / (positives * negatives);
}

/**
 * One-vs-rest AUC of each class (its probability column against "is this class"), and their mean
 * over the classes where it is defined.
 * @example oneVsRestRocAuc([0, 1, 1], [[0.9, 0.1], [0.4, 0.6], [0.2, 0.8]], 2) // { perClass: [1, 1], macro: 1 }
 */
export function oneVsRestRocAuc(
  labels: readonly number[],
  probabilities: readonly ArrayLike<number>[],
  classCount: number,
): { perClass: (number | null)[]; macro: number | null } {
  const scores = new Float64Array(labels.length);
  const positive = new Array<boolean>(labels.length);
  const perClass: (number | null)[] = [];
  for (let c = 0; c < classCount; c++) {
    for (let i = 0; i < labels.length; i++) {
      scores[i] = probabilities[i]![c]!;
      positive[i] = labels[i] === c;
    }
    perClass.push(binaryRocAuc(scores, positive));
  }
  const defined = perClass.filter((a): a is number => a !== null);
  return { perClass, macro: defined.length === 0 ? null : defined.reduce((s, a) => s + a, 0) / defined.length };
}
