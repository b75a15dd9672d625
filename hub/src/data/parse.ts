import { parse as parseCsv } from 'csv-parse/sync';
import { isMissing, parseNumber, OutpostError, type ErrorIssue, type RawRecord } from '@outpost/shared';

export type DatasetFormat = 'csv' | 'json';

export interface ColumnInfo {
  name: string;
  type: 'numeric' | 'categorical';
  missing: number;
  /** For a categorical column: the first value that is not a number (so a numeric override can name it). */
  firstNonNumeric?: { row: number; value: string };
}

export interface ParsedDataset {
  rows: RawRecord[];
  columns: ColumnInfo[];
}

const MAX_REPORTED = 20;

/** Parse an uploaded file. Rows are 1-based data rows (the CSV header is not a row). */
export function parseDataset(bytes: Uint8Array, format: DatasetFormat): ParsedDataset {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const rows = format === 'csv' ? parseCsvRows(text) : parseJsonRows(text);
  if (rows.length === 0) throw new OutpostError('INVALID_DATASET', 'the dataset has no rows');
  return { rows, columns: inferColumns(rows) };
}

function parseCsvRows(text: string): RawRecord[] {
  try {
    return parseCsv(text, { columns: true, bom: true, skip_empty_lines: true, trim: true }) as RawRecord[];
  } catch (e) {
    const err = e as Error & { lines?: number; column?: string | number; code?: string };
    // csv-parse counts physical lines from 1, header included: the data row is one less.
    const line = typeof err.lines === 'number' ? err.lines : undefined;
    throw new OutpostError('INVALID_DATASET', `malformed CSV${line ? ` at line ${line}` : ''}: ${err.message}`, {
      issues: [{ ...(line ? { row: line - 1 } : {}), message: err.message }],
      cause: e,
    });
  }
}

function parseJsonRows(text: string): RawRecord[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new OutpostError('INVALID_DATASET', `malformed JSON: ${(e as Error).message}`, { issues: [{ message: (e as Error).message }], cause: e });
  }
  if (!Array.isArray(value)) throw new OutpostError('INVALID_DATASET', 'JSON datasets must be an array of objects, one per row');
  const issues: ErrorIssue[] = [];
  value.forEach((row, i) => {
    if (issues.length >= MAX_REPORTED) return;
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      issues.push({ row: i + 1, message: 'each row must be an object' });
      return;
    }
    for (const [column, v] of Object.entries(row)) {
      if (v !== null && typeof v === 'object') issues.push({ row: i + 1, column, message: 'values must be strings, numbers, booleans or null' });
    }
  });
  if (issues.length > 0) {
    throw new OutpostError('INVALID_DATASET', `malformed JSON dataset: row ${issues[0]!.row}: ${issues[0]!.message}`, { issues });
  }
  return value as RawRecord[];
}

/** A column is numeric when every present value parses as a finite number. */
export function inferColumns(rows: readonly RawRecord[]): ColumnInfo[] {
  const names = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) names.add(k);
  return [...names].map((name) => {
    let missing = 0;
    let firstNonNumeric: ColumnInfo['firstNonNumeric'];
    rows.forEach((r, i) => {
      const v = r[name];
      if (isMissing(v)) missing++;
      else if (!firstNonNumeric && parseNumber(v) === undefined) firstNonNumeric = { row: i + 1, value: String(v) };
    });
    return firstNonNumeric ? { name, type: 'categorical', missing, firstNonNumeric } : { name, type: 'numeric', missing };
  });
}

export function formatOf(contentType: string | undefined): DatasetFormat | undefined {
  const ct = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (ct === 'text/csv' || ct === 'application/csv') return 'csv';
  if (ct === 'application/json') return 'json';
  return undefined;
}
