/**
 * Reliability diagram and expected calibration error (Guo et al., "On Calibration of Modern Neural
 * Networks", 2017, §2). Why two methods: with two classes the top-class probability never goes below
 * 0.5, so half the diagram would be empty; the usual binary diagram plots p(classes[1]) against
 * how often the row really is classes[1] (scikit-learn's calibration_curve). With three or more
 * classes there is no single "positive" column, and the top-label confidence against whether the
 * prediction was right is the standard reduction.
 */
import { binOf, equalWidthEdges } from './bins.ts';
import type { Calibration } from './types.ts';

export const DEFAULT_CALIBRATION_BINS = 10;

/**
 * Bins `confidence[i]` (in [0, 1]) with `hit[i]` (the outcome, 1 or 0) into `bins` equal-width bins.
 * @example
 * reliability([0.2, 0.9, 0.8], [0, 1, 0], 2, 'top-label').ece
 * // bin [0, 0.5): conf 0.2, acc 0; bin [0.5, 1]: conf 0.85, acc 0.5 → 1/3 · 0.2 + 2/3 · 0.35 = 0.3
 */
export function reliability(confidence: ArrayLike<number>, hit: ArrayLike<number>, bins: number, method: Calibration['method']): Calibration {
  const edges = equalWidthEdges(0, 1, bins);
  const count = new Array<number>(bins).fill(0);
  const sumConfidence = new Array<number>(bins).fill(0);
  const sumHit = new Array<number>(bins).fill(0);
  for (let i = 0; i < confidence.length; i++) {
    const b = binOf(confidence[i]!, edges);
    count[b]!++;
    sumConfidence[b]! += confidence[i]!;
    sumHit[b]! += hit[i]!;
  }
  const n = confidence.length;
  let ece = 0;
  const out = count.map((k, b) => {
    if (k === 0) return { lower: edges[b]!, upper: edges[b + 1]!, count: 0, meanConfidence: null, accuracy: null };
    const meanConfidence = sumConfidence[b]! / k;
    const accuracy = sumHit[b]! / k;
    ece += (k / n) * Math.abs(accuracy - meanConfidence);
    return { lower: edges[b]!, upper: edges[b + 1]!, count: k, meanConfidence, accuracy };
  });
  return { method, bins: out, ece };
}

/**
 * The classifier's calibration: positive-class for two classes, top-label otherwise (see above).
 * `predictions` are the argmax classes.
 * @example classifierCalibration([1, 0], [[0.3, 0.7], [0.6, 0.4]], [1, 0], 2).method // 'positive-class'
 */
export function classifierCalibration(
  labels: readonly number[],
  probabilities: readonly ArrayLike<number>[],
  predictions: readonly number[],
  bins: number,
): Calibration {
  const n = labels.length;
  const confidence = new Float64Array(n);
  const hit = new Uint8Array(n);
  const binary = probabilities[0]!.length === 2;
  for (let i = 0; i < n; i++) {
    const row = probabilities[i]!;
    confidence[i] = binary ? row[1]! : row[predictions[i]!]!;
    hit[i] = (binary ? labels[i] === 1 : labels[i] === predictions[i]) ? 1 : 0;
  }
  return reliability(confidence, hit, bins, binary ? 'positive-class' : 'top-label');
}
