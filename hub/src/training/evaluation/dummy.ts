/**
 * The reports of the simplest possible models, fitted on the training rows and scored on the
 * evaluation rows: the bar an acceptance gate's "better than a dummy baseline" compares with. They
 * are scikit-learn's DummyClassifier(strategy='prior') and DummyRegressor(strategy='mean'), and go
 * through the very same evaluators as the real model so the comparison is like for like.
 */
import { evaluateClassifier } from './classifier.ts';
import { evaluateRegressor } from './regressor.ts';
import type { ClassificationReport, ClassifierOptions, RegressionReport, RegressorOptions } from './types.ts';
import { checkClasses, checkFinite, checkLabels, IssueList } from './validate.ts';

/**
 * The report of a model that gives every row the training class frequencies as probabilities, so it
 * predicts the most frequent training class (ties → lowest index). A class never seen in training
 * gets probability 0, which log loss clips to 1e-15.
 * @example
 * const base = dummyClassifierReport([0, 0, 1], [0, 1, 1], ['no', 'yes']);
 * base.accuracy; // 1/3: always 'no'
 * base.logLoss; // −(ln 2/3 + 2 ln 1/3) / 3
 */
export function dummyClassifierReport(
  trainLabels: readonly number[],
  evalLabels: readonly number[],
  classes: readonly string[],
  options: ClassifierOptions = {},
): ClassificationReport {
  const issues = new IssueList();
  checkClasses(issues, classes);
  checkLabels(issues, trainLabels, classes.length, 'trainLabels');
  checkLabels(issues, evalLabels, classes.length, 'evalLabels');
  issues.throwIfAny('dummy classifier input');
  const frequencies = new Array<number>(classes.length).fill(0);
  for (const y of trainLabels) frequencies[y]!++;
  const prior = frequencies.map((c) => c / trainLabels.length);
  return evaluateClassifier({ labels: evalLabels, probabilities: evalLabels.map(() => prior), classes }, options);
}

/**
 * The report of a model that predicts the training mean for every row.
 * @example dummyRegressorReport([1, 2, 3], [2, 4]).mae // |2 − 2| and |4 − 2| → 1
 */
export function dummyRegressorReport(
  trainActual: readonly number[],
  evalActual: readonly number[],
  options: RegressorOptions = {},
): RegressionReport {
  const issues = new IssueList();
  checkFinite(issues, trainActual, 'trainActual');
  checkFinite(issues, evalActual, 'evalActual');
  issues.throwIfAny('dummy regressor input');
  const mean = trainActual.reduce((s, y) => s + y, 0) / trainActual.length;
  return evaluateRegressor({ actual: evalActual, predicted: evalActual.map(() => mean) }, options);
}
