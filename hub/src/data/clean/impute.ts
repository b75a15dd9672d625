/** The impute step (semantics in schema.ts ImputeStepSchema). */
import { isMissing, type RawValue } from '@outpost/shared';
import { valueKey } from '../split/keys.ts';
import { canonicalCell } from '../diff/canonical.ts';
import type { Step } from './schema.ts';
import { mean, median, mode } from './stats.ts';
import { columnIndex, isNumericColumn, mapColumn, numericColumn, numericValue, type StepResult, type Table } from './table.ts';

type ImputeStep = Extract<Step, { op: 'impute' }>;
type Fill = string | number | boolean;

/** Per-group statistics listed in the report; past this only the group count is. */
export const MAX_REPORTED_GROUPS = 100;

/**
 * @throws OutpostError('VALIDATION_FAILED'), path 'steps.N.column', for mean/median of a column with a
 *   present non-numeric value.
 */
export function imputeStep(step: ImputeStep, table: Table, index: number): StepResult {
  const c = columnIndex(table, step.column);
  if (step.strategy === 'constant') {
    const value = step.value!;
    return withFitted(
      mapColumn(table, c, (v) => (isMissing(v) ? value : v)),
      { value: typeof value === 'boolean' ? String(value) : value },
    );
  }

  const fit = fitter(step.strategy, table, c, index);
  const global = fit(table.rows.map((_, r) => r));
  const name = step.strategy;
  if (step.by === undefined) {
    return withFitted(
      mapColumn(table, c, (v) => (!isMissing(v) || global === null ? v : global)),
      { [name]: reported(global) },
    );
  }

  // Groups in order of first appearance, keyed like split groups: 1 and '1' are one group.
  const g = columnIndex(table, step.by);
  const members = new Map<string, number[]>();
  table.rows.forEach((cells, r) => {
    const key = valueKey(cells[g]);
    const list = members.get(key);
    if (list) list.push(r);
    else members.set(key, [r]);
  });
  const byGroup = new Map<string, Fill | null>();
  for (const [key, rows] of members) byGroup.set(key, fit(rows));

  const result = mapColumn(table, c, (v, r) => {
    if (!isMissing(v)) return v;
    return byGroup.get(valueKey(table.rows[r]![g])) ?? global ?? v;
  });
  const fitted: Record<string, number | string | null> = { [name]: reported(global), groups: byGroup.size };
  let listed = 0;
  for (const [key, value] of byGroup) {
    if (listed++ >= MAX_REPORTED_GROUPS) break;
    fitted[`${name}[${key}]`] = reported(value);
  }
  return withFitted(result, fitted);
}

/** A function fitting the strategy's statistic on the present values of the given rows. */
function fitter(strategy: 'mean' | 'median' | 'mode', table: Table, c: number, index: number): (rows: readonly number[]) => Fill | null {
  if (strategy === 'mode') {
    const numeric = isNumericColumn(table, c);
    return (rows) => {
      const present = rows.map((r) => table.rows[r]![c]).filter((v): v is Fill => !isMissing(v));
      return mode(present, (v) => JSON.stringify(canonicalCell(v, numeric)));
    };
  }
  // The whole column is checked, so whether a recipe fails does not depend on which groups need filling.
  numericColumn(table, c, `steps.${index}.column`, `impute '${strategy}'`);
  const numbers = table.rows.map((cells) => (isMissing(cells[c]) ? undefined : numericValue(cells[c])));
  const stat = strategy === 'mean' ? mean : median;
  return (rows) => stat(rows.map((r) => numbers[r]).filter((n): n is number => n !== undefined));
}

function reported(v: RawValue): number | string | null {
  return v === null || v === undefined ? null : typeof v === 'boolean' ? String(v) : v;
}

function withFitted(result: StepResult, fitted: Record<string, number | string | null>): StepResult {
  return { table: result.table, outcome: { ...result.outcome, fitted } };
}
