import { OutpostError, sha256Hex, type ErrorIssue, type RawRecord } from '@outpost/shared';
import { valueKey } from './keys.ts';
import { splitGroups } from './group.ts';
import { splitRandom } from './random.ts';
import { SPLIT_PARTS, SplitSpecSchema, type SplitPart, type SplitResult, type SplitSpec } from './schema.ts';
import { splitStratified } from './stratified.ts';
import { readTimes } from './time-values.ts';
import { splitTime } from './time.ts';

/** Options of `splitRows`. */
export interface SplitRowsOptions {
  /** Column whose class balance per part to report. Default: `spec.column` for stratified, else none. */
  balanceColumn?: string;
}

const PART_LETTER: Record<SplitPart, string> = { train: 't', validation: 'v', test: 's' };

/**
 * Deterministic train/validation/test split of a dataset version's rows: the same rows and spec give
 * the same assignment and hash, on the hub or in a browser. Methods (details on each function):
 * - random (`splitRandom`): seeded shuffle, cut by fractions with largest-remainder rounding;
 * - stratified (`splitStratified`): the same within each class of `column`, proportions ±1 row per class;
 * - time (`splitTime`): sorted by `column`, earliest to train, latest to test; seed unused;
 * - group (`splitGroups`): whole groups of `column` per part, no leakage.
 * @throws OutpostError('VALIDATION_FAILED') with an issue `path`: 'column' (missing for stratified,
 *   time or group; unknown — the message lists the known columns), 'fractions' (not summing to 1;
 *   fewer rows than non-zero parts), 'balanceColumn' (unknown), or any other field of the spec.
 * @throws OutpostError('INVALID_DATASET') for a time column with a missing or unparseable value.
 * @example
 * const result = await splitRows(rows, ['Species', 'Island'], SplitSpecSchema.parse({ method: 'stratified', column: 'Species' }));
 * result.sizes;   // { train: 241, validation: 52, test: 51 }
 * result.balance; // { column: 'Species', counts: { train: { Adelie: 106, Gentoo: 87, Chinstrap: 48 }, … } }
 */
export async function splitRows(
  rows: readonly RawRecord[],
  columns: readonly string[],
  spec: SplitSpec,
  options: SplitRowsOptions = {},
): Promise<SplitResult> {
  const { method, fractions, seed, column } = checkSpec(rows.length, columns, spec, options);
  const keys = (name: string) => rows.map((row) => valueKey(row[name]));
  const assignment =
    method === 'random'
      ? splitRandom(rows.length, fractions, seed)
      : method === 'stratified'
        ? splitStratified(keys(column!), fractions, seed)
        : method === 'time'
          ? splitTime(readTimes(rows, column!), fractions)
          : splitGroups(keys(column!), fractions, seed);

  const parts: Record<SplitPart, number[]> = { train: [], validation: [], test: [] };
  assignment.forEach((part, i) => parts[part].push(i));
  const sizes = { train: parts.train.length, validation: parts.validation.length, test: parts.test.length };
  const balanceColumn = options.balanceColumn ?? (method === 'stratified' ? column : undefined);
  const encoded = new TextEncoder().encode(assignment.map((p) => PART_LETTER[p]).join(''));
  return {
    assignment,
    parts,
    sizes,
    ...(balanceColumn === undefined ? {} : { balance: countBalance(keys(balanceColumn), parts, balanceColumn) }),
    hash: await sha256Hex(encoded),
  };
}

/** Parse the spec again (it may be built by hand) and check it against these rows and columns. */
function checkSpec(n: number, columns: readonly string[], spec: SplitSpec, options: SplitRowsOptions): SplitSpec {
  const parsed = SplitSpecSchema.safeParse(spec);
  if (!parsed.success) {
    invalid(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  const { column, fractions } = parsed.data;
  const known = `known columns: ${columns.join(', ')}`;
  if (column !== undefined && !columns.includes(column)) {
    invalid([{ path: 'column', column, message: `unknown column '${column}'; ${known}` }]);
  }
  if (options.balanceColumn !== undefined && !columns.includes(options.balanceColumn)) {
    invalid([{ path: 'balanceColumn', message: `unknown column '${options.balanceColumn}'; ${known}` }]);
  }
  // Each non-zero part gets at least one row (a requested test set is never silently empty), so
  // there must be rows enough to go round.
  const nonZero = SPLIT_PARTS.filter((p) => fractions[p] > 0).length;
  if (n < nonZero) {
    invalid([{ path: 'fractions', message: `${n} row(s) cannot fill ${nonZero} parts with non-zero fractions` }]);
  }
  return parsed.data;
}

function invalid(issues: ErrorIssue[]): never {
  throw new OutpostError('VALIDATION_FAILED', `invalid split: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, {
    issues,
  });
}

function countBalance(classes: readonly string[], parts: Record<SplitPart, number[]>, column: string): NonNullable<SplitResult['balance']> {
  const zero = Object.fromEntries([...new Set(classes)].map((c) => [c, 0]));
  const counts = { train: { ...zero }, validation: { ...zero }, test: { ...zero } };
  for (const part of SPLIT_PARTS) {
    for (const i of parts[part]) counts[part][classes[i]!]!++;
  }
  return { column, counts };
}
