/**
 * The shapes a dataset diff takes in and gives back. Row numbers are 1-based data rows, as in
 * parse.ts (a CSV header is not a row), so they match what the validation and profile reports say.
 */
import type { ParsedDataset } from '../parse.ts';

/** One dataset version as parse.ts returns it; only `rows` and `columns` are read. */
export type DiffInput = Pick<ParsedDataset, 'rows' | 'columns'>;

export interface DiffOptions {
  /**
   * Column that identifies a row in both versions. Given: rows are matched by it and a changed
   * cell is reported as a change. Left out: rows are compared whole (row-hash mode). Default: none.
   */
  key?: string;
  /** Most samples kept per list (added, removed, changed); counts are always exact. Default: 20. */
  sampleLimit?: number;
}

export const DEFAULT_SAMPLE_LIMIT = 20;

export interface SchemaDiff {
  /** Columns only in `to`, in `to`'s column order. */
  added: { name: string; type: string }[];
  /** Columns only in `from`, in `from`'s column order. */
  removed: { name: string; type: string }[];
  /** Columns in both whose inferred type differs, in `from`'s column order. */
  typeChanged: { name: string; from: string; to: string }[];
}

export interface RowSample {
  /** 1-based row in the version the row is from (`to` for added, `from` for removed). */
  row: number;
  /** The row as stored in that version (all its columns); an absent value reads as null. */
  values: Record<string, unknown>;
}

export interface CellChange {
  column: string;
  /** Stored values, not canonical ones, so the sample shows what the file said. */
  from: unknown;
  to: unknown;
}

export interface ChangedSample {
  /** The key's canonical text (numbers as JavaScript prints them). */
  key: string;
  fromRow: number;
  toRow: number;
  changes: CellChange[];
}

export interface DiffCounts {
  /** Rows in each version. */
  from: number;
  to: number;
  added: number;
  removed: number;
  /** Key mode only; always 0 in row-hash mode. */
  changed: number;
  unchanged: number;
}

export interface DatasetDiff {
  schema: SchemaDiff;
  mode: 'key' | 'row-hash';
  /** The key column, in key mode. */
  key?: string;
  counts: DiffCounts;
  samples: {
    added: RowSample[];
    removed: RowSample[];
    /** Key mode only; empty in row-hash mode. */
    changed: ChangedSample[];
  };
}

/** What each mode computes; diff.ts adds the schema and the mode. */
export type RowDiff = Pick<DatasetDiff, 'counts' | 'samples'>;
