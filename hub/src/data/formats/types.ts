import type { RawRecord } from '@outpost/shared';

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
