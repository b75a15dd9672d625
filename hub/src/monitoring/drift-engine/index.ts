// The drift engine (pure): fold a window of inference records, feature by feature and output by
// output, against a model version's reference profile, then judge it (engine.ts).
import type { RawRecord, RawValue, ReferenceProfile } from '@outpost/shared';
import { categoricalAccumulator, numericAccumulator, numericReference, type ColumnWindow } from './columns.ts';
import { computeDrift, type DriftOptions, type DriftReport, type ReferenceColumn } from './engine.ts';

export { computeDrift, DRIFT_DEFAULTS, type ColumnDrift, type DriftOptions, type DriftReport, type DriftTest, type ReferenceColumn } from './engine.ts';
export { categoricalAccumulator, numericAccumulator, numericReference, OTHER, type ColumnWindow, type ValueCounts } from './columns.ts';
export { ksReference } from './ks.ts';

/** A logged output, as an inference record carries it. */
export type LoggedOutput = { label: string; probabilities: number[] } | { value: number } | { error: string };

/**
 * A window of records against `reference`: `add` each record's input and output, then `report`.
 * Inputs are the raw features devices logged; outputs become the reference's output columns
 * (`p(class)` and `predicted` for a classifier, `prediction` for a regressor). Failed predictions
 * (`{ error }`) count for the inputs only.
 * @example const w = driftWindow(reference, ['Adelie', 'Gentoo']); for (const r of records) w.add(r.input, r.output); w.report();
 */
export function driftWindow(reference: ReferenceProfile, classes: readonly string[] = []) {
  const sample = reference.sample?.columns ?? {};
  const refColumns: Record<string, ReferenceColumn> = {};
  type Acc = { addRaw(v: RawValue | undefined): void; result(): ColumnWindow };
  const inputs: Array<[string, Acc]> = [];
  const outputs: Array<[string, Acc]> = [];
  for (const [profile, into] of [
    [reference.features, inputs],
    [reference.outputs, outputs],
  ] as const) {
    for (const column of profile.columns) {
      if (column.type === 'datetime') continue;
      const numeric = column.type === 'numeric' ? numericReference(column, sample[column.name]) : undefined;
      const acc: Acc | undefined = numeric ? numericAccumulator(numeric) : column.type === 'categorical' ? categoricalAccumulator(column) : undefined;
      if (!acc) continue;
      refColumns[column.name] = { profile: column, rows: profile.rowCount, ...(numeric?.ks ? { ks: numeric.ks } : {}) };
      into.push([column.name, acc]);
    }
  }
  let records = 0;
  return {
    add(input: RawRecord | null | undefined, output: LoggedOutput | null | undefined): void {
      records++;
      for (const [name, acc] of inputs) acc.addRaw(input?.[name]);
      if (!output || 'error' in output) return;
      for (const [name, acc] of outputs) acc.addRaw(outputValue(name, output, classes));
    },
    /** Records added so far. */
    get records() {
      return records;
    },
    report(options?: DriftOptions): DriftReport & { records: number } {
      const current: Record<string, ColumnWindow> = {};
      for (const [name, acc] of [...inputs, ...outputs]) current[name] = acc.result();
      return { ...computeDrift({ reference: refColumns, current, ...(options ? { options } : {}) }), records };
    },
  };
}

function outputValue(column: string, output: Exclude<LoggedOutput, { error: string }>, classes: readonly string[]): RawValue | undefined {
  if ('value' in output) return column === 'prediction' ? output.value : undefined;
  if (column === 'predicted') return output.label;
  const m = /^p\((.*)\)$/.exec(column);
  const i = m ? classes.indexOf(m[1]!) : -1;
  return i >= 0 ? output.probabilities[i] : undefined;
}
