import { OutpostError } from '@outpost/shared';
import { requireRows, type RowPolicy } from './bad-rows.ts';
import { checkDelimiter, readDelimited } from './csv.ts';
import { readJsonArray, readNdjson } from './json.ts';
import type { DatasetFormat, ReadOptions, ReadResult } from './types.ts';

export { DATASET_FORMATS } from './types.ts';
export type { DatasetFormat, ReadOptions, ReadResult, RowError } from './types.ts';
export { contentTypeOf, formatFromContentType, formatFromFileName } from './media-types.ts';
export { toRawValue } from './cells.ts';

const DEFAULTS = { delimiter: ',', skipBadRows: false, maxReportedErrors: 20 } satisfies Required<ReadOptions>;

/**
 * Read an uploaded dataset into rows. Text is decoded as UTF-8 (a BOM is dropped).
 *
 * What a `row` number means, always 1-based: CSV/TSV — the data record after the header (empty lines
 * skipped); JSON — the array element; NDJSON — the non-blank line. Malformed rows (wrong field count,
 * a nested JSON value, an NDJSON line that is not a JSON object) fail the read with
 * OutpostError('INVALID_DATASET') naming the first and counting the rest, `issues` holding the first
 * `maxReportedErrors`; with `skipBadRows` they are dropped and counted in `skipped` instead. A file
 * that cannot be parsed at all (broken quote, invalid JSON document, unreadable Parquet/Arrow), or
 * that has no rows, always fails with INVALID_DATASET. Parquet and Arrow cells are normalized as
 * `toRawValue` documents and never make a row malformed. A bad option is INVALID_INPUT.
 *
 * @example
 * const { rows, skipped } = await readRows(bytes, formatFromFileName(name) ?? 'csv', { skipBadRows: true });
 */
export async function readRows(bytes: Uint8Array, format: DatasetFormat, options: ReadOptions = {}): Promise<ReadResult> {
  const { delimiter, skipBadRows, maxReportedErrors } = { ...DEFAULTS, ...options };
  if (!Number.isInteger(maxReportedErrors) || maxReportedErrors < 0) {
    throw new OutpostError('INVALID_INPUT', `maxReportedErrors must be a non-negative integer, got ${maxReportedErrors}`);
  }
  const policy: RowPolicy = { skipBadRows, maxReportedErrors };
  switch (format) {
    case 'csv':
      return readDelimited(decode(bytes), checkDelimiter(delimiter), 'CSV', policy);
    case 'tsv':
      return readDelimited(decode(bytes), '\t', 'TSV', policy);
    case 'json':
      return readJsonArray(decode(bytes), policy);
    case 'ndjson':
      return readNdjson(decode(bytes), policy);
    case 'parquet': {
      // The columnar readers are loaded only when such a file arrives.
      const { readParquet } = await import('./parquet.ts');
      return { rows: requireRows(await readParquet(bytes)), skipped: 0, errors: [] };
    }
    case 'arrow': {
      const { readArrow } = await import('./arrow.ts');
      return { rows: requireRows(readArrow(bytes)), skipped: 0, errors: [] };
    }
    default:
      throw new OutpostError('INVALID_INPUT', `unknown dataset format ${JSON.stringify(format satisfies never)}`);
  }
}

function decode(bytes: Uint8Array): string {
  // Not fatal: a stray Latin-1 byte becomes U+FFFD in one value rather than failing the upload.
  return new TextDecoder('utf-8').decode(bytes);
}
