/**
 * Per-slice evaluation ("how good is the model for each region, device, plan?"). Why a callback
 * over row indices rather than a classifier/regressor switch: the caller already holds the
 * columns, and the same grouping serves evaluateClassifier, evaluateRegressor, a dummy baseline
 * or a custom metric without this module knowing which.
 */
import type { SliceReport } from './types.ts';

/** The slice name of rows whose slice value is null. A literal "(missing)" value joins that slice. */
export const MISSING_SLICE = '(missing)';

/**
 * Groups row indices by slice value (in row order within a slice), evaluates each group, and lists
 * the slices largest first, equal sizes by name (code-unit order, so the same on every machine).
 * @example
 * const region = ['eu', 'us', null, 'eu'];
 * evaluateBySlice(region, (rows) => evaluateRegressor({ actual: rows.map((i) => y[i]), predicted: rows.map((i) => yHat[i]) }));
 * // [{ slice: 'eu', rows: 2, report: … }, { slice: '(missing)', rows: 1, … }, { slice: 'us', rows: 1, … }]
 */
export function evaluateBySlice<R>(sliceValues: readonly (string | null)[], evaluate: (rowIndices: number[]) => R): SliceReport<R>[] {
  const groups = new Map<string, number[]>();
  sliceValues.forEach((v, i) => {
    const name = v ?? MISSING_SLICE;
    const rows = groups.get(name);
    if (rows) rows.push(i);
    else groups.set(name, [i]);
  });
  return [...groups]
    .sort(([a, ra], [b, rb]) => rb.length - ra.length || (a < b ? -1 : a > b ? 1 : 0))
    .map(([slice, rows]) => ({ slice, rows: rows.length, report: evaluate(rows) }));
}
