import type { RawRecord } from '@outpost/shared';
import { applyTypeOverrides, createTypeInference, type ColumnInfo, type DataType } from './column-types.ts';
import { readRows, type DatasetFormat, type ReadOptions } from './formats/index.ts';

export type { DatasetFormat } from './formats/index.ts';
export type { ColumnInfo, DataType } from './column-types.ts';

export interface ParsedDataset {
  rows: RawRecord[];
  columns: ColumnInfo[];
}

export interface ParseOptions extends ReadOptions {
  /** Column types that replace the inferred ones. */
  types?: Record<string, DataType>;
}

/**
 * Read a whole file into rows and typed columns, in memory (operations on stored versions; uploads
 * stream through ingest.ts instead). Rows are 1-based data rows (a CSV header is not a row). Bad
 * rows fail the read unless `skipBadRows`; `skipped` says how many were left out.
 */
export async function parseDataset(bytes: Uint8Array, format: DatasetFormat, options: ParseOptions = {}): Promise<ParsedDataset & { skipped: number }> {
  const { types, ...read } = options;
  const { rows, skipped } = await readRows(bytes, format, read);
  return { rows, columns: applyTypeOverrides(inferTypes(rows), types ?? {}), skipped };
}

/** Column types of rows in memory (see createTypeInference). */
export function inferColumns(rows: readonly RawRecord[]): ColumnInfo[] {
  return applyTypeOverrides(inferTypes(rows), {});
}

function inferTypes(rows: readonly RawRecord[]) {
  const inference = createTypeInference();
  rows.forEach((r, i) => inference.add(r, i + 1));
  return inference.columns();
}
