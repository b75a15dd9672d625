/** The clip step (semantics in schema.ts ClipStepSchema). */
import { isMissing } from '@outpost/shared';
import type { Step } from './schema.ts';
import { quantileOfSorted, sorted } from './stats.ts';
import { columnIndex, mapColumn, numericColumn, numericValue, type StepResult, type Table } from './table.ts';

type ClipStep = Extract<Step, { op: 'clip' }>;

/**
 * fitted: { lower, upper } and, for iqr, { q1, q3 }; all null when the column has no present values
 * (then nothing is clipped).
 * @throws OutpostError('VALIDATION_FAILED'), path 'steps.N.column', for a present non-numeric value.
 */
export function clipStep(step: ClipStep, table: Table, index: number): StepResult {
  const c = columnIndex(table, step.column);
  const values = sorted(numericColumn(table, c, `steps.${index}.column`, 'clip'));
  let fitted: Record<string, number | null>;
  if (step.method === 'iqr') {
    const q1 = quantileOfSorted(values, 0.25);
    const q3 = quantileOfSorted(values, 0.75);
    const spread = q1 === null || q3 === null ? null : q3 - q1;
    fitted = {
      q1,
      q3,
      lower: spread === null ? null : q1! - step.k * spread,
      upper: spread === null ? null : q3! + step.k * spread,
    };
  } else {
    fitted = { lower: quantileOfSorted(values, step.lower), upper: quantileOfSorted(values, step.upper) };
  }
  const { lower, upper } = fitted;
  if (lower === null || lower === undefined || upper === null || upper === undefined) return { table, outcome: { affected: 0, fitted } };
  const result = mapColumn(table, c, (v) => {
    if (isMissing(v)) return v;
    const n = numericValue(v)!;
    return n < lower ? lower : n > upper ? upper : v;
  });
  return { table: result.table, outcome: { ...result.outcome, fitted } };
}
