// Live quality from late labels, pure: accuracy and macro F1 from (predicted, true) counts, MAE
// from absolute errors.

/**
 * Accuracy and macro-averaged F1 over the classes that occur, predicted or true (a class never
 * predicted and never true has no F1 to average).
 * @example classification([{ predicted: 'a', truth: 'a', n: 8 }, { predicted: 'a', truth: 'b', n: 2 }]) // { labeled: 10, accuracy: 0.8, macroF1: 0.444… }
 */
export function classification(pairs: ReadonlyArray<{ predicted: string; truth: string; n: number }>): { labeled: number; accuracy: number | null; macroF1: number | null } {
  const labeled = pairs.reduce((s, p) => s + p.n, 0);
  if (labeled === 0) return { labeled, accuracy: null, macroF1: null };
  const tp = new Map<string, number>();
  const predicted = new Map<string, number>();
  const truth = new Map<string, number>();
  let correct = 0;
  for (const p of pairs) {
    predicted.set(p.predicted, (predicted.get(p.predicted) ?? 0) + p.n);
    truth.set(p.truth, (truth.get(p.truth) ?? 0) + p.n);
    if (p.predicted === p.truth) {
      correct += p.n;
      tp.set(p.truth, (tp.get(p.truth) ?? 0) + p.n);
    }
  }
  const classes = new Set([...predicted.keys(), ...truth.keys()]);
  let f1 = 0;
  for (const c of classes) {
    const t = tp.get(c) ?? 0;
    const denominator = (predicted.get(c) ?? 0) + (truth.get(c) ?? 0);
    f1 += denominator > 0 ? (2 * t) / denominator : 0;
  }
  return { labeled, accuracy: correct / labeled, macroF1: f1 / classes.size };
}

/** Mean absolute error from the sum of absolute errors of `labeled` predictions. */
export function meanAbsoluteError(sumAbsError: number, labeled: number): { labeled: number; mae: number | null } {
  return { labeled, mae: labeled > 0 ? sumAbsError / labeled : null };
}
