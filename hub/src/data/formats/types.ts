import type { RawRecord, RawValue } from '@outpost/shared';
import type { DataType } from '../column-types.ts';

/** The file formats a dataset can be uploaded in. */
export type DatasetFormat = 'csv' | 'tsv' | 'json' | 'ndjson' | 'parquet' | 'arrow';

/**
 * Every supported format, in the order the docs list them.
 * @example DATASET_FORMATS.includes(format as DatasetFormat)
 */
export const DATASET_FORMATS: readonly DatasetFormat[] = ['csv', 'tsv', 'json', 'ndjson', 'parquet', 'arrow'];

export interface ReadOptions {
  /** CSV only (ignored for the other formats; TSV always uses a tab): one character, not a quote or a line break. Default `','`. */
  delimiter?: string;
  /** Drop malformed rows and count them in `skipped` instead of failing the whole read. Default `false`. */
  skipBadRows?: boolean;
  /** How many problems `errors` (and the thrown error's `issues`) keeps; a non-negative integer. Default `20`. */
  maxReportedErrors?: number;
}

/** One problem in one data row. `row` is 1-based; what a row is depends on the format (see `readRows`). */
export interface RowError {
  row: number;
  column?: string;
  message: string;
}

export interface ReadResult {
  rows: RawRecord[];
  /** Malformed rows dropped because of `skipBadRows` (0 otherwise). */
  skipped: number;
  /** The first `maxReportedErrors` problems, also those of skipped rows. */
  errors: RowError[];
}

/** A column as a typed format's own schema declares it. */
export interface SchemaColumn {
  name: string;
  type: DataType;
}

/**
 * A chunk of rows as a reader has them. A columnar reader (Parquet) hands over its columns, ready
 * for the profiler — numbers for integer and number columns, epoch milliseconds for datetime ones,
 * cells as `toRawValue` makes them otherwise — and builds row objects only when asked.
 */
export interface RowBatch {
  readonly length: number;
  readonly columns?: ReadonlyMap<string, ArrayLike<RawValue>>;
  /** The rows, as `chunks` yields them (datetimes as ISO 8601 strings); built on the first call. */
  rows(): RawRecord[];
}

/** Rows read a bounded chunk at a time: memory holds one chunk (a Parquet row group, 10 000 text rows), never the file. */
export interface RowReader {
  /** The columns and types a typed format (Parquet, Arrow) declares; absent for text formats. */
  readonly schema?: readonly SchemaColumn[];
  /**
   * The rows in file order. Once every row is read, malformed ones fail the read (as `readRows`
   * says) unless they are skipped; a file with no rows fails too. Call once.
   */
  chunks(): AsyncGenerator<RawRecord[], void, undefined>;
  /** The same rows as batches, columnar where the format is (call this or `chunks`, once). */
  batches?(): AsyncGenerator<RowBatch, void, undefined>;
  /** After `chunks` is exhausted: the malformed rows skipped and the first problems. */
  summary(): { skipped: number; errors: RowError[] };
}
