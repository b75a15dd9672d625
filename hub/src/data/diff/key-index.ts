/**
 * Index a version's rows by a key column, refusing a key that does not identify rows: with a
 * duplicate or missing key, "which row changed" has no answer, and guessing (first wins) would
 * report made-up changes.
 */
import { OutpostError, type ErrorIssue } from '@outpost/shared';
import { canonicalCell, cellOf } from './canonical.ts';
import type { DiffInput } from './types.ts';

export type Version = 'from' | 'to';

/** Issues kept per version; the message names the first few and the total. */
const MAX_ISSUES_PER_VERSION = 10;
const NAMED_IN_MESSAGE = 3;

/**
 * A key's text: canonical, so CSV '7' and JSON 7 match. Injective per column: in a numeric
 * column a string that reads as a number became that number, and String() of a finite number
 * always reads back; in a categorical column every value is already text.
 */
export function keyText(value: ReturnType<typeof canonicalCell>): string | undefined {
  return value === null ? undefined : String(value);
}

/** Key text → 0-based row index. */
export type KeyIndex = Map<string, number>;

/**
 * Throws OutpostError('VALIDATION_FAILED') unless the key column exists in both versions.
 * @example assertKeyColumn(from, to, 'id'); // throws, issues [{ path: 'key', … }], when 'id' is missing
 */
export function assertKeyColumn(from: DiffInput, to: DiffInput, key: string): void {
  const issues: ErrorIssue[] = [];
  for (const [version, data] of [['from', from], ['to', to]] as const) {
    if (!data.columns.some((c) => c.name === key)) issues.push({ path: 'key', message: `key column "${key}" is not a column of the '${version}' version` });
  }
  if (issues.length > 0) throw new OutpostError('VALIDATION_FAILED', issues.map((i) => i.message).join('; '), { issues });
}

interface KeyProblems {
  issues: ErrorIssue[];
  total: number;
}

function indexVersion(version: Version, data: DiffInput, key: string, numeric: boolean, problems: KeyProblems): KeyIndex {
  const rows: KeyIndex = new Map();
  let reported = 0;
  data.rows.forEach((row, i) => {
    const text = keyText(canonicalCell(cellOf(row, key), numeric));
    const first = text === undefined ? undefined : rows.get(text);
    if (text !== undefined && first === undefined) {
      rows.set(text, i);
      return;
    }
    problems.total++;
    if (reported++ >= MAX_ISSUES_PER_VERSION) return;
    const message =
      text === undefined ? `'${version}' row ${i + 1} has no key value` : `'${version}' row ${i + 1} repeats key "${text}" (first at row ${first! + 1})`;
    problems.issues.push({ path: version, row: i + 1, column: key, message });
  });
  return rows;
}

/**
 * Index both versions by `key` (the column must exist; see assertKeyColumn). Every duplicate and
 * missing key in both versions is found before throwing, so one answer lists them all (capped).
 * @example indexByKey(from, to, 'id', true).from.get('7'); // 0-based row of key 7 in `from`
 */
export function indexByKey(from: DiffInput, to: DiffInput, key: string, numeric: boolean): { from: KeyIndex; to: KeyIndex } {
  const problems: KeyProblems = { issues: [], total: 0 };
  const fromRows = indexVersion('from', from, key, numeric, problems);
  const toRows = indexVersion('to', to, key, numeric, problems);
  if (problems.total > 0) {
    const named = problems.issues.slice(0, NAMED_IN_MESSAGE).map((i) => i.message);
    const more = problems.total - named.length;
    throw new OutpostError(
      'VALIDATION_FAILED',
      `key "${key}" does not identify rows: ${named.join('; ')}${more > 0 ? `; and ${more} more` : ''}`,
      { issues: problems.issues },
    );
  }
  return { from: fromRows, to: toRows };
}
