import { OutpostError, isMissing, parseNumber } from '@outpost/shared';
import type { ErrorIssue, Feature, FeatureSpec, RawRecord, RawValue } from '@outpost/shared';
import type { TrainConfig } from './types.ts';

export interface FitOptions {
  /**
   * Indices into `rows` that means, deviations, categories and modes are computed on: the training
   * split, so validation rows never leak into the encoding. Default: every row.
   * Checks, kinds and label classes always look at every labelled row.
   */
  fitIndices?: readonly number[];
}

/**
 * Indices of the rows whose label is present. Rows with a missing label cannot be trained or scored
 * on, so training drops them (and every check below ignores them).
 * @example labelledRowIndices([{ y: 'a' }, { y: null }], 'y') // [0]
 */
export function labelledRowIndices(rows: readonly RawRecord[], label: string): number[] {
  const out: number[] = [];
  rows.forEach((r, i) => {
    if (!isMissing(r[label])) out.push(i);
  });
  return out;
}

/**
 * Fit the feature pipeline on raw rows: check the config against the columns, infer each feature's
 * kind, and compute the encoding's statistics.
 * Throws OutpostError 'VALIDATION_FAILED' (unknown label/feature column, fewer than 2 classes) or
 * 'INVALID_DATASET' (no rows, a non-number in a column forced numeric), naming the column and row.
 * @example const spec = fitFeatureSpec(rows, { label: 'Species' }, { fitIndices: split.train });
 */
export function fitFeatureSpec(
  rows: readonly RawRecord[],
  config: Pick<TrainConfig, 'label' | 'features'>,
  options: FitOptions = {},
): FeatureSpec {
  if (rows.length === 0) {
    throw new OutpostError('INVALID_DATASET', 'the dataset has no rows', {
      issues: [{ message: 'expected at least one row' }],
    });
  }
  const choices = checkColumns(rows, config);
  // Rows with a missing label are dropped: they take part in no check, statistic or class list.
  const labelled = labelledRowIndices(rows, config.label);
  const classes = distinctSorted(labelled.map((i) => String(rows[i]![config.label]).trim()));
  if (classes.length < 2) {
    const found = classes.length === 0 ? 'no labelled rows' : `only ${JSON.stringify(classes[0])}`;
    throw new OutpostError('VALIDATION_FAILED', `label ${config.label} needs at least 2 classes, found ${found}`, {
      issues: [{ path: 'label', column: config.label, message: `needs at least 2 classes, found ${found}` }],
    });
  }

  const fitSet = new Set(options.fitIndices ?? labelled);
  const fitRows = labelled.filter((i) => fitSet.has(i));
  const dataIssues: ErrorIssue[] = [];
  const features = choices.map((choice): Feature => {
    const kind = choice.kind ?? inferKind(rows, labelled, choice.name);
    if (kind === 'numeric') {
      const bad = firstNonNumber(rows, labelled, choice.name);
      if (bad !== undefined) dataIssues.push(bad);
      return fitNumeric(rows, fitRows, labelled, choice.name);
    }
    return fitCategorical(rows, fitRows, labelled, choice.name, dataIssues);
  });
  if (dataIssues.length > 0) {
    const first = dataIssues[0]!;
    const where = first.row === undefined ? first.column : `row ${first.row}, ${first.column}`;
    throw new OutpostError('INVALID_DATASET', `${where}: ${first.message}`, {
      issues: dataIssues,
    });
  }
  return { features, label: { name: config.label, classes } };
}

/** The configured (or default) feature columns, after checking every name against the data. */
function checkColumns(
  rows: readonly RawRecord[],
  config: Pick<TrainConfig, 'label' | 'features'>,
): { name: string; kind?: 'numeric' | 'categorical' }[] {
  const columns = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) columns.add(k);
  const issues: ErrorIssue[] = [];
  if (!columns.has(config.label)) {
    issues.push({ path: 'label', column: config.label, message: `no column named ${JSON.stringify(config.label)}` });
  }
  // Default: every column but the label, in the order they first appear.
  const choices = config.features ?? [...columns].filter((c) => c !== config.label).map((name) => ({ name }));
  if (choices.length === 0) {
    issues.push({ path: 'features', message: 'need at least one feature column besides the label' });
  }
  const seen = new Set<string>();
  choices.forEach((c, i) => {
    const problem = !columns.has(c.name)
      ? `no column named ${JSON.stringify(c.name)}`
      : c.name === config.label
        ? 'is the label column'
        : seen.has(c.name)
          ? 'is listed twice'
          : undefined;
    if (problem) issues.push({ path: `features[${i}].name`, column: c.name, message: problem });
    seen.add(c.name);
  });
  if (issues.length > 0) {
    const where = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    throw new OutpostError('VALIDATION_FAILED', `invalid training config: ${where}`, { issues });
  }
  return choices;
}

/** Numeric when every present value parses as a number (so an all-missing column is numeric). */
function inferKind(rows: readonly RawRecord[], indices: readonly number[], column: string): Feature['kind'] {
  return firstNonNumber(rows, indices, column) === undefined ? 'numeric' : 'categorical';
}

function firstNonNumber(
  rows: readonly RawRecord[],
  indices: readonly number[],
  column: string,
): ErrorIssue | undefined {
  for (const i of indices) {
    const v = rows[i]![column];
    if (!isMissing(v) && parseNumber(v) === undefined) {
      return { row: i + 1, column, message: `expected a number, got ${show(v)}` };
    }
  }
  return undefined;
}

function fitNumeric(
  rows: readonly RawRecord[],
  fitRows: readonly number[],
  labelled: readonly number[],
  name: string,
): Feature {
  // A column with no value in the training split falls back to every labelled row, then to (0, 1).
  const values = numbers(rows, fitRows, name);
  const xs = values.length > 0 ? values : numbers(rows, labelled, name);
  if (xs.length === 0) return { name, kind: 'numeric', mean: 0, std: 1 };
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  // Population deviation (divide by n), as the encoder standardizes the training rows themselves.
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
  const std = Math.sqrt(variance);
  // A constant column would divide by zero; with std 1 it encodes as 0 everywhere.
  return { name, kind: 'numeric', mean, std: std > 0 ? std : 1 };
}

function fitCategorical(
  rows: readonly RawRecord[],
  fitRows: readonly number[],
  labelled: readonly number[],
  name: string,
  issues: ErrorIssue[],
): Feature {
  let counts = categoryCounts(rows, fitRows, name);
  if (counts.size === 0) counts = categoryCounts(rows, labelled, name);
  const categories = distinctSorted([...counts.keys()]);
  if (categories.length === 0) {
    issues.push({ column: name, message: 'has no values' });
    return { name, kind: 'categorical', categories: [''], mode: '' };
  }
  // Most frequent; ties go to the first in sorted order, so the mode does not depend on row order.
  let mode = categories[0]!;
  for (const c of categories) if (counts.get(c)! > counts.get(mode)!) mode = c;
  return { name, kind: 'categorical', categories, mode };
}

function numbers(rows: readonly RawRecord[], indices: readonly number[], column: string): number[] {
  const out: number[] = [];
  for (const i of indices) {
    const v = rows[i]![column];
    if (isMissing(v)) continue;
    const n = parseNumber(v);
    if (n !== undefined) out.push(n);
  }
  return out;
}

function categoryCounts(
  rows: readonly RawRecord[],
  indices: readonly number[],
  column: string,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const i of indices) {
    const v = rows[i]![column];
    if (isMissing(v)) continue;
    const c = String(v).trim();
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  return counts;
}

/** Code-unit order, not localeCompare: the same on every machine, so the input layout is too. */
function distinctSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

function show(v: RawValue): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}
