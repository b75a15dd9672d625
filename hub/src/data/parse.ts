import { isMissing, parseNumber, OutpostError, type ErrorIssue, type RawRecord } from '@outpost/shared';
import { readRows, type DatasetFormat, type ReadOptions } from './formats/index.ts';

export type { DatasetFormat } from './formats/index.ts';

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

export interface ParseOptions extends ReadOptions {
  /** Column types that replace the inferred ones. */
  types?: Record<string, ColumnInfo['type']>;
}

/**
 * Read an uploaded file into rows and typed columns. Rows are 1-based data rows (a CSV header is
 * not a row). Bad rows fail the read unless `skipBadRows`; `skipped` says how many were left out.
 */
export async function parseDataset(bytes: Uint8Array, format: DatasetFormat, options: ParseOptions = {}): Promise<ParsedDataset & { skipped: number }> {
  const { types, ...read } = options;
  const { rows, skipped } = await readRows(bytes, format, read);
  return { rows, columns: applyTypes(inferColumns(rows), types ?? {}), skipped };
}

/** Apply type overrides: a column forced numeric must hold only numbers (else 400 naming the first offending value). */
function applyTypes(columns: ColumnInfo[], types: Record<string, ColumnInfo['type']>): ColumnInfo[] {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const issues: ErrorIssue[] = [];
  for (const [name, type] of Object.entries(types)) {
    const col = byName.get(name);
    if (!col) issues.push({ path: `types.${name}`, column: name, message: `no column ${name}; columns are: ${columns.map((c) => c.name).join(', ')}` });
    else if (type === 'numeric' && col.firstNonNumeric) {
      const { row, value } = col.firstNonNumeric;
      issues.push({ path: `types.${name}`, column: name, row, message: `${name} cannot be numeric: row ${row} has ${JSON.stringify(value)}` });
    }
  }
  if (issues.length > 0) throw new OutpostError('VALIDATION_FAILED', issues[0]!.message, { issues });
  return columns.map((c) => {
    const type = types[c.name];
    if (!type || type === c.type) return c;
    const { firstNonNumeric: _, ...rest } = c;
    return type === 'categorical' ? { ...rest, type, ...(c.firstNonNumeric ? { firstNonNumeric: c.firstNonNumeric } : {}) } : { ...rest, type };
  });
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
