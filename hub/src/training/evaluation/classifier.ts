/**
 * evaluateClassifier: every number a model card, a console page and an acceptance gate need from
 * one pass over held-out predictions. Why from probabilities rather than predicted labels: log loss,
 * ROC AUC and calibration need them, and the argmax gives the labels for free. The conventions are
 * scikit-learn's (zero_division=0, exact AUC with ties as 1/2, log loss clipped at 1e-15), so a
 * report can be checked against it; each is explained where it is computed.
 */
import { classifierCalibration, DEFAULT_CALIBRATION_BINS } from './calibration.ts';
import { argmax, averages, classMetrics, confusionMatrix } from './confusion.ts';
import { oneVsRestRocAuc } from './roc-auc.ts';
import type { ClassificationReport, ClassifierInput, ClassifierOptions } from './types.ts';
import { checkClasses, checkIntOption, checkLabels, checkProbabilities, checkSameLength, IssueList } from './validate.ts';

/** scikit-learn's historical log_loss eps: a probability of 0 for the true class costs −ln(1e-15) ≈ 34.5, not ∞. */
export const LOG_LOSS_EPS = 1e-15;

function checkClassifierInput(input: ClassifierInput, options: ClassifierOptions): void {
  const issues = new IssueList();
  checkIntOption(issues, options.calibrationBins, 'options.calibrationBins', 1);
  checkClasses(issues, input.classes);
  const labels = { path: 'labels', length: input.labels.length };
  if (checkSameLength(issues, labels, { path: 'probabilities', length: input.probabilities.length })) {
    checkLabels(issues, input.labels, input.classes.length, 'labels');
    checkProbabilities(issues, input.probabilities, input.classes.length);
  }
  issues.throwIfAny('classifier evaluation input');
}

/**
 * Mean −ln p(true class), natural log, each probability clipped to [1e-15, 1 − 1e-15]. Rows are not
 * renormalised after clipping (they were checked to sum to 1).
 * @example logLoss([0, 1], [[0.8, 0.2], [0.75, 0.25]]) // −(ln 0.8 + ln 0.25) / 2 ≈ 0.8047
 */
export function logLoss(labels: readonly number[], probabilities: readonly ArrayLike<number>[]): number {
  let sum = 0;
  labels.forEach((y, i) => {
    const p = Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, probabilities[i]![y]!));
    sum -= Math.log(p);
  });
  return sum / labels.length;
}

/**
 * Accuracy, per-class and averaged precision/recall/F1, one-vs-rest ROC AUC, log loss, confusion
 * matrix and calibration of class probabilities against true class indices. Throws
 * OutpostError('VALIDATION_FAILED') naming each bad input (lengths, widths, NaN, label range).
 * @example
 * const report = evaluateClassifier({
 *   labels: [0, 1, 1],
 *   probabilities: [[0.9, 0.1], [0.4, 0.6], [0.7, 0.3]],
 *   classes: ['no', 'yes'],
 * });
 * report.accuracy; // 2/3
 * report.confusion; // [[1, 0], [1, 1]]
 * report.rocAuc.perClass; // [1, 1]
 */
export function evaluateClassifier(input: ClassifierInput, options: ClassifierOptions = {}): ClassificationReport {
  checkClassifierInput(input, options);
  const { labels, probabilities, classes } = input;
  // `??`, not a spread over defaults: an explicit `calibrationBins: undefined` means the default too.
  const calibrationBins = options.calibrationBins ?? DEFAULT_CALIBRATION_BINS;
  const n = labels.length;
  const k = classes.length;

  const predictions = probabilities.map(argmax);
  const confusion = confusionMatrix(labels, predictions, k);
  const perClass = classMetrics(confusion, classes);
  const occurs = new Array<boolean>(k).fill(false);
  labels.forEach((y, i) => {
    occurs[y] = true;
    occurs[predictions[i]!] = true;
  });
  let correct = 0;
  for (let c = 0; c < k; c++) correct += confusion[c]![c]!;

  return {
    rows: n,
    accuracy: correct / n,
    perClass,
    ...averages(perClass, occurs),
    rocAuc: oneVsRestRocAuc(labels, probabilities, k),
    logLoss: logLoss(labels, probabilities),
    confusion,
    calibration: classifierCalibration(labels, probabilities, predictions, calibrationBins),
  };
}
