/**
 * evaluateRegressor: error in the target's units (MAE, RMSE), the share of variance explained (R²),
 * and the residuals to look at. Why R² is defined when every actual value is equal: a held-out
 * slice can be constant (one store, one price), and NaN would poison a stored report and any gate
 * reading it; scikit-learn's r2_score (force_finite=True) answers 1 for a perfect fit and 0 otherwise.
 */
import { residualHistogram, residualSample } from './residuals.ts';
import type { RegressionReport, RegressorInput, RegressorOptions } from './types.ts';
import { checkFinite, checkIntOption, checkSameLength, IssueList } from './validate.ts';

export const DEFAULT_RESIDUAL_BINS = 20;
export const DEFAULT_RESIDUAL_SAMPLE = 200;

function checkRegressorInput(input: RegressorInput, options: RegressorOptions): void {
  const issues = new IssueList();
  checkIntOption(issues, options.residualBins, 'options.residualBins', 1);
  checkIntOption(issues, options.residualSample, 'options.residualSample', 0);
  if (checkSameLength(issues, { path: 'actual', length: input.actual.length }, { path: 'predicted', length: input.predicted.length })) {
    checkFinite(issues, input.actual, 'actual');
    if (input.actual.length > 0) checkFinite(issues, input.predicted, 'predicted');
  }
  issues.throwIfAny('regressor evaluation input');
}

/**
 * MAE, RMSE, R² and residuals (actual − predicted) of predictions against actual values. Throws
 * OutpostError('VALIDATION_FAILED') for mismatched lengths, an empty input or a non-finite value.
 * @example
 * const report = evaluateRegressor({ actual: [1, 2, 3], predicted: [1, 2, 4] });
 * report.mae; // 1/3
 * report.rmse; // √(1/3)
 * report.r2; // 1 − 1/2 = 0.5 (SS_res = 1, SS_tot = 2)
 */
export function evaluateRegressor(input: RegressorInput, options: RegressorOptions = {}): RegressionReport {
  checkRegressorInput(input, options);
  const { actual, predicted } = input;
  const n = actual.length;
  const mean = actual.reduce((s, y) => s + y, 0) / n;
  const residuals = new Float64Array(n);
  let absolute = 0;
  let ssRes = 0;
  let ssTot = 0; // two-pass (around the mean already found), so a large offset does not cancel
  for (let i = 0; i < n; i++) {
    const r = actual[i]! - predicted[i]!;
    residuals[i] = r;
    absolute += Math.abs(r);
    ssRes += r * r;
    ssTot += (actual[i]! - mean) ** 2;
  }
  const r2 = ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
  return {
    rows: n,
    mae: absolute / n,
    rmse: Math.sqrt(ssRes / n),
    r2,
    residuals: {
      histogram: residualHistogram(residuals, options.residualBins ?? DEFAULT_RESIDUAL_BINS),
      sample: residualSample(actual, predicted, options.residualSample ?? DEFAULT_RESIDUAL_SAMPLE),
    },
  };
}
