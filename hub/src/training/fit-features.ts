import { OutpostError, isMissing, parseNumber } from '@outpost/shared';
import type { ErrorIssue, Feature, FeatureSpec, NumericTransform, RawRecord, RawValue, Task } from '@outpost/shared';

/**
 * A feature the user names, with how to encode it. Every field but `name` is optional; an option that
 * belongs to one kind implies it when `kind` is absent (transform/impute → numeric, unknown →
 * categorical, order → ordinal, tokens → hashed), otherwise the kind is inferred from the data.
 * types.ts' FeatureChoice `{ name, kind? }` is a subset.
 */
export interface FeatureOptions {
  name: string;
  kind?: 'numeric' | 'categorical' | 'ordinal' | 'hashed';
  /** numeric: 'standardize' (default), 'minmax', 'log' (negatives count as 0) or 'bucketize'. */
  transform?: NumericTransform;
  /** numeric: the value for a missing one: the training 'mean' (default), 'median', or a constant. */
  impute?: 'mean' | 'median' | number;
  /**
   * bucketize: how many quantile buckets (default 10, at most 1024); a column with fewer distinct
   * training values gets fewer. hashed: how many slots (default 32, at most 1024).
   */
  buckets?: number;
  /** categorical: 'mode' (default: missing → mode, unseen → zeros) or 'bucket' (one extra column for both). */
  unknown?: 'mode' | 'bucket';
  /** ordinal: the categories from lowest to highest; default: the training values sorted (numerically when all are numbers). */
  order?: string[];
  /** hashed: 'value' (the whole value is a token) or 'words'; default 'words' when a training value contains whitespace. */
  tokens?: 'value' | 'words';
}

type Kind = NonNullable<FeatureOptions['kind']>;
const KINDS: readonly Kind[] = ['numeric', 'categorical', 'ordinal', 'hashed'];
const TRANSFORMS: readonly NumericTransform[] = ['standardize', 'minmax', 'log', 'bucketize'];
const MAX_BUCKETS = 1024;
const DEFAULT_BUCKETS = { bucketize: 10, hashed: 32 };
/** Recorded in each hashed feature; fixed so that refits of the same config hash alike. */
const HASH_SEED = 0;

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
  config: { label: string; task?: Task | undefined; features?: readonly FeatureOptions[] | undefined },
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
  const label = fitLabel(rows, labelled, config.label, config.task ?? 'classification');

  const fitSet = new Set(options.fitIndices ?? labelled);
  const fitRows = labelled.filter((i) => fitSet.has(i));
  const configIssues: ErrorIssue[] = [];
  const dataIssues: ErrorIssue[] = [];
  const features = choices.map((choice, index): Feature => {
    const kind = choice.kind ?? impliedKind(choice) ?? inferKind(rows, labelled, choice.name);
    const problems = checkOptions(choice, kind, index);
    configIssues.push(...problems);
    if (kind === 'numeric') {
      const bad = firstNonNumber(rows, labelled, choice.name);
      if (bad !== undefined) dataIssues.push(bad);
    }
    // A stand-in: the config issues are thrown below, before anything uses it.
    if (problems.length > 0) return { name: choice.name, kind: 'numeric', mean: 0, std: 1 };
    switch (kind) {
      case 'numeric':
        return fitNumeric(rows, fitRows, labelled, choice);
      case 'categorical':
        return fitCategorical(rows, fitRows, labelled, choice, dataIssues);
      case 'ordinal':
        return fitOrdinal(rows, fitRows, labelled, choice, index, configIssues, dataIssues);
      case 'hashed':
        return fitHashed(rows, fitRows, labelled, choice);
    }
  });
  if (configIssues.length > 0) {
    const where = configIssues.map((i) => `${i.path}: ${i.message}`).join('; ');
    throw new OutpostError('VALIDATION_FAILED', `invalid training config: ${where}`, { issues: configIssues });
  }
  if (dataIssues.length > 0) {
    const first = dataIssues[0]!;
    const where = first.row === undefined ? first.column : `row ${first.row}, ${first.column}`;
    throw new OutpostError('INVALID_DATASET', `${where}: ${first.message}`, {
      issues: dataIssues,
    });
  }
  return { features, label };
}

/**
 * The label: its classes (at least 2), or for regression a number in every labelled row that takes
 * at least 2 distinct values (a constant has nothing to learn).
 */
function fitLabel(rows: readonly RawRecord[], labelled: readonly number[], name: string, task: Task): FeatureSpec['label'] {
  if (task === 'regression') {
    const bad = firstNonNumber(rows, labelled, name);
    if (bad !== undefined) {
      throw new OutpostError('INVALID_DATASET', `row ${bad.row}, ${name}: a regression label ${bad.message}`, {
        issues: [{ ...bad, path: 'label', message: `a regression label ${bad.message}` }],
      });
    }
    const values = new Set(labelled.map((i) => parseNumber(rows[i]![name])));
    if (values.size < 2) {
      const found = values.size === 0 ? 'no labelled rows' : `only ${[...values][0]}`;
      throw new OutpostError('VALIDATION_FAILED', `label ${name} needs at least 2 distinct values to regress on, found ${found}`, {
        issues: [{ path: 'label', column: name, message: `needs at least 2 distinct values, found ${found}` }],
      });
    }
    return { name, task: 'regression' };
  }
  const classes = distinctSorted(labelled.map((i) => String(rows[i]![name]).trim()));
  if (classes.length < 2) {
    const found = classes.length === 0 ? 'no labelled rows' : `only ${JSON.stringify(classes[0])}`;
    throw new OutpostError('VALIDATION_FAILED', `label ${name} needs at least 2 classes, found ${found}`, {
      issues: [{ path: 'label', column: name, message: `needs at least 2 classes, found ${found}` }],
    });
  }
  return { name, classes };
}

/** The configured (or default) feature columns, after checking every name against the data. */
function checkColumns(
  rows: readonly RawRecord[],
  config: { label: string; features?: readonly FeatureOptions[] | undefined },
): readonly FeatureOptions[] {
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
function inferKind(rows: readonly RawRecord[], indices: readonly number[], column: string): Kind {
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

/** The kind an option implies when the user named none (transform → numeric, …). */
function impliedKind(c: FeatureOptions): Kind | undefined {
  if (c.transform !== undefined || c.impute !== undefined) return 'numeric';
  if (c.unknown !== undefined) return 'categorical';
  if (c.order !== undefined) return 'ordinal';
  if (c.tokens !== undefined) return 'hashed';
  return undefined;
}

/**
 * Every problem with one feature's options, each with its path `features.N.<field>`. Values are
 * checked at run time too: a config may come from JSON (a pipeline spec, the CLI) unchecked by zod.
 */
function checkOptions(c: FeatureOptions, kind: Kind, index: number): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  const add = (field: string, message: string) =>
    issues.push({ path: `features.${index}.${field}`, column: c.name, message });
  const only = (field: string, kinds: string) => add(field, `applies to ${kinds} features only, not ${kind}`);
  if (!KINDS.includes(kind)) {
    add('kind', `unknown kind ${show(kind)}; expected one of ${KINDS.join(', ')}`);
    return issues;
  }
  if (c.transform !== undefined) {
    if (!TRANSFORMS.includes(c.transform)) {
      add('transform', `unknown transform ${show(c.transform)}; expected one of ${TRANSFORMS.join(', ')}`);
    } else if (kind !== 'numeric') only('transform', 'numeric');
  }
  if (c.impute !== undefined) {
    const ok = c.impute === 'mean' || c.impute === 'median' || (typeof c.impute === 'number' && Number.isFinite(c.impute));
    if (!ok) add('impute', `expected "mean", "median" or a finite number, got ${show(c.impute as RawValue)}`);
    else if (kind !== 'numeric') only('impute', 'numeric');
  }
  if (c.buckets !== undefined) {
    const bucketize = kind === 'numeric' && c.transform === 'bucketize';
    const min = bucketize ? 2 : 1;
    if (!bucketize && kind !== 'hashed') add('buckets', `applies to bucketize and hashed features only`);
    else if (!Number.isInteger(c.buckets) || c.buckets < min || c.buckets > MAX_BUCKETS) {
      add('buckets', `expected a whole number from ${min} to ${MAX_BUCKETS}, got ${show(c.buckets)}`);
    }
  }
  if (c.unknown !== undefined) {
    if (c.unknown !== 'mode' && c.unknown !== 'bucket') add('unknown', `expected "mode" or "bucket", got ${show(c.unknown)}`);
    else if (kind !== 'categorical') only('unknown', 'categorical');
  }
  if (c.order !== undefined) {
    if (kind !== 'ordinal') only('order', 'ordinal');
    else if (!Array.isArray(c.order) || c.order.length === 0 || c.order.some((o) => typeof o !== 'string')) {
      add('order', 'expected a non-empty list of category names');
    } else {
      const twice = c.order.find((o, i) => c.order!.indexOf(o) !== i);
      if (twice !== undefined) add('order', `lists ${show(twice)} twice`);
    }
  }
  if (c.tokens !== undefined) {
    if (c.tokens !== 'value' && c.tokens !== 'words') add('tokens', `expected "value" or "words", got ${show(c.tokens)}`);
    else if (kind !== 'hashed') only('tokens', 'hashed');
  }
  return issues;
}

function fitNumeric(
  rows: readonly RawRecord[],
  fitRows: readonly number[],
  labelled: readonly number[],
  choice: FeatureOptions,
): Feature {
  const { name, transform, impute } = choice;
  // A column with no value in the training split falls back to every labelled row, then to (0, 1).
  const values = numbers(rows, fitRows, name);
  const xs = values.length > 0 ? values : numbers(rows, labelled, name);
  const options = {
    ...(transform !== undefined ? { transform } : {}),
    ...(typeof impute === 'number' ? { fill: impute } : impute === 'median' && xs.length > 0 ? { fill: median(xs) } : {}),
  };
  // 'log' standardizes the logged values; negatives are clipped to 0 (documented in FeatureSchema).
  const { mean, std } = moments(transform === 'log' ? xs.map((x) => Math.log1p(Math.max(x, 0))) : xs);
  if (transform === 'bucketize') {
    const edges = quantileEdges(xs, choice.buckets ?? DEFAULT_BUCKETS.bucketize);
    return { name, kind: 'numeric', mean, std, edges, ...options };
  }
  // The rest are elementwise arithmetic the ONNX graph can do itself (Sub, Mul, Max, Min, Log):
  // the device sends the raw number and the model transforms it.
  if (transform === 'minmax') {
    const [min, max] = xs.length > 0 ? [Math.min(...xs), Math.max(...xs)] : [0, 0];
    return { name, kind: 'numeric', mean, std, min, max, ...options, inGraph: true };
  }
  // log: a missing value is the raw number whose log1p is the mean of the logged values (it encodes as 0).
  if (transform === 'log') return { name, kind: 'numeric', mean, std, ...options, fill: options.fill ?? Math.expm1(mean), inGraph: true };
  return { name, kind: 'numeric', mean, std, ...options, inGraph: true };
}

/** Mean and population std (divide by n: the encoder standardizes the training rows themselves); (0, 1) for no values. */
function moments(xs: readonly number[]): { mean: number; std: number } {
  if (xs.length === 0) return { mean: 0, std: 1 };
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
  const std = Math.sqrt(variance);
  // A constant column would divide by zero; with std 1 it encodes as 0 everywhere.
  return { mean, std: std > 0 ? std : 1 };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Cut points for `buckets` quantile buckets: the sorted values at ranks ⌊j·n/buckets⌋, j = 1…buckets−1,
 * keeping each only when above the minimum and the previous cut. So a column with fewer distinct
 * values than buckets gets fewer buckets (at most one per distinct value; a constant column, one).
 * @example quantileEdges([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 4) // [3, 6, 8]
 */
export function quantileEdges(xs: readonly number[], buckets: number): number[] {
  const s = [...xs].sort((a, b) => a - b);
  const edges: number[] = [];
  for (let j = 1; j < buckets && s.length > 0; j++) {
    const v = s[Math.floor((j * s.length) / buckets)]!;
    if (v > s[0]! && (edges.length === 0 || v > edges[edges.length - 1]!)) edges.push(v);
  }
  return edges;
}

function fitCategorical(
  rows: readonly RawRecord[],
  fitRows: readonly number[],
  labelled: readonly number[],
  choice: FeatureOptions,
  issues: ErrorIssue[],
): Feature {
  const { name } = choice;
  let counts = categoryCounts(rows, fitRows, name);
  if (counts.size === 0) counts = categoryCounts(rows, labelled, name);
  const categories = distinctSorted([...counts.keys()]);
  const unknown = choice.unknown !== undefined ? { unknown: choice.unknown } : {};
  if (categories.length === 0) {
    issues.push({ column: name, message: 'has no values' });
    return { name, kind: 'categorical', categories: [''], mode: '' };
  }
  // Most frequent; ties go to the first in sorted order, so the mode does not depend on row order.
  let mode = categories[0]!;
  for (const c of categories) if (counts.get(c)! > counts.get(mode)!) mode = c;
  return { name, kind: 'categorical', categories, mode, ...unknown };
}

function fitOrdinal(
  rows: readonly RawRecord[],
  fitRows: readonly number[],
  labelled: readonly number[],
  choice: FeatureOptions,
  index: number,
  configIssues: ErrorIssue[],
  dataIssues: ErrorIssue[],
): Feature {
  const { name } = choice;
  let counts = categoryCounts(rows, fitRows, name);
  if (counts.size === 0) counts = categoryCounts(rows, labelled, name);
  const seen = [...counts.keys()];
  if (seen.length === 0 && choice.order === undefined) {
    dataIssues.push({ column: name, message: 'has no values' });
    return { name, kind: 'ordinal', order: [''], fill: '' };
  }
  const allNumbers = seen.every((v) => parseNumber(v) !== undefined);
  const order = choice.order ?? (allNumbers ? [...seen].sort((a, b) => parseNumber(a)! - parseNumber(b)!) : distinctSorted(seen));
  const missing = seen.filter((v) => !order.includes(v)).sort();
  if (missing.length > 0) {
    const list = missing.slice(0, 5).map((v) => JSON.stringify(v)).join(', ');
    configIssues.push({ path: `features.${index}.order`, column: name, message: `does not list ${list}, seen in training` });
  }
  // The fill is the training median in the order (the lower one of two): it minimises the mean distance.
  const ranks: number[] = [];
  for (const [v, n] of counts) for (let k = 0; k < n; k++) ranks.push(order.indexOf(v));
  ranks.sort((a, b) => a - b);
  const at = ranks.length > 0 ? ranks[(ranks.length - 1) >> 1]! : (order.length - 1) >> 1;
  return { name, kind: 'ordinal', order, fill: order[Math.max(at, 0)]! };
}

function fitHashed(
  rows: readonly RawRecord[],
  fitRows: readonly number[],
  labelled: readonly number[],
  choice: FeatureOptions,
): Feature {
  // Words when any training value holds whitespace inside: that is text, not a code.
  const text = [...categoryCounts(rows, fitRows.length > 0 ? fitRows : labelled, choice.name).keys()].some((v) => /\s/.test(v));
  return {
    name: choice.name,
    kind: 'hashed',
    buckets: choice.buckets ?? DEFAULT_BUCKETS.hashed,
    seed: HASH_SEED,
    tokens: choice.tokens ?? (text ? 'words' : 'value'),
  };
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
