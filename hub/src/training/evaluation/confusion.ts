/**
 * The confusion matrix and the metrics read off it. Conventions follow scikit-learn so numbers can
 * be checked against it: a ratio whose denominator is 0 is 0 (zero_division=0), and the macro
 * average runs over the classes that occur among the true labels or the predictions (its default
 * label set), so a slice that happens to lack a class is not dragged down by that class's zeros.
 */
import type { AveragedMetrics, ClassMetrics } from './types.ts';

/**
 * Index of the largest entry; ties go to the lowest index.
 * @example argmax([0.2, 0.4, 0.4]) // 1
 */
export function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let j = 1; j < row.length; j++) if (row[j]! > row[best]!) best = j;
  return best;
}

/**
 * confusion[true][predicted] counts.
 * @example confusionMatrix([0, 1, 1], [0, 0, 1], 2) // [[1, 0], [1, 1]]
 */
export function confusionMatrix(labels: readonly number[], predictions: readonly number[], classCount: number): number[][] {
  const m = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0));
  labels.forEach((y, i) => m[y]![predictions[i]!]!++);
  return m;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/**
 * Precision, recall, F1 and support of each class, from a confusion matrix.
 * @example classMetrics([[1, 0], [1, 1]], ['a', 'b'])[0] // { class: 'a', precision: 0.5, recall: 1, f1: 2/3, support: 1 }
 */
export function classMetrics(confusion: readonly (readonly number[])[], classes: readonly string[]): ClassMetrics[] {
  return classes.map((name, c) => {
    const tp = confusion[c]![c]!;
    const support = confusion[c]!.reduce((s, x) => s + x, 0);
    const predicted = confusion.reduce((s, row) => s + row[c]!, 0);
    // 2TP / (2TP + FP + FN) is 2PR / (P + R) without the 0/0 when TP = 0.
    return { class: name, precision: ratio(tp, predicted), recall: ratio(tp, support), f1: ratio(2 * tp, support + predicted), support };
  });
}

/** Weighted mean of each metric; 0 when the weights sum to 0. */
function weightedMean(metrics: readonly ClassMetrics[], weight: (m: ClassMetrics, c: number) => number): AveragedMetrics {
  let w = 0;
  let precision = 0;
  let recall = 0;
  let f1 = 0;
  metrics.forEach((m, c) => {
    const x = weight(m, c);
    w += x;
    precision += x * m.precision;
    recall += x * m.recall;
    f1 += x * m.f1;
  });
  return { precision: ratio(precision, w), recall: ratio(recall, w), f1: ratio(f1, w) };
}

/**
 * Unweighted (macro) and support-weighted means of per-class metrics; `counted[c]` says whether
 * class c enters the macro mean.
 * @example averages(classMetrics([[1, 0], [1, 1]], ['a', 'b']), [true, true]).macro.recall // (1 + 0.5) / 2
 */
export function averages(metrics: readonly ClassMetrics[], counted: readonly boolean[]): { macro: AveragedMetrics; weighted: AveragedMetrics } {
  return { macro: weightedMean(metrics, (_, c) => (counted[c] ? 1 : 0)), weighted: weightedMean(metrics, (m) => m.support) };
}
