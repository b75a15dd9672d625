import { OutpostError, type RawRecord } from '@outpost/shared';
import type { RowPolicy } from './bad-rows.ts';
import { checkDelimiter, streamDelimited } from './csv.ts';
import { streamJsonArray, streamNdjson } from './json.ts';
import { bytesSource, type ByteSource } from '../../blobs/byte-source.ts';
import type { DatasetFormat, ReadOptions, ReadResult, RowBatch, RowReader } from './types.ts';

export { DATASET_FORMATS } from './types.ts';
export type { DatasetFormat, ReadOptions, ReadResult, RowBatch, RowError, RowReader, SchemaColumn } from './types.ts';
export { contentTypeOf, formatFromContentType, formatFromFileName } from './media-types.ts';
export { toRawValue } from './cells.ts';
export { bytesSource, type ByteSource } from '../../blobs/byte-source.ts';

const DEFAULTS = { delimiter: ',', skipBadRows: false, maxReportedErrors: 20 } satisfies Required<ReadOptions>;

/**
 * Open a dataset file for reading a bounded chunk of rows at a time. Text is decoded as UTF-8
 * (a BOM is dropped).
 *
 * What a `row` number means, always 1-based: CSV/TSV — the data record after the header (empty lines
 * skipped); JSON — the array element; NDJSON — the non-blank line. Malformed rows (wrong field count,
 * a nested JSON value, an NDJSON line that is not a JSON object) fail the read with
 * OutpostError('INVALID_DATASET') naming the first and counting the rest, `issues` holding the first
 * `maxReportedErrors`; with `skipBadRows` they are dropped and counted in `summary().skipped`
 * instead. A file that cannot be parsed at all (broken quote, invalid JSON document, unreadable
 * Parquet/Arrow), or that has no rows, always fails with INVALID_DATASET. Parquet and Arrow cells are
 * normalized as `toRawValue` documents and never make a row malformed. A bad option is INVALID_INPUT.
 *
 * @example
 * const reader = await openRows(source, 'parquet');
 * for await (const rows of reader.chunks()) profiler.add(rows);
 */
export async function openRows(source: ByteSource, format: DatasetFormat, options: ReadOptions = {}): Promise<RowReader> {
  const { delimiter, skipBadRows, maxReportedErrors } = { ...DEFAULTS, ...options };
  if (!Number.isInteger(maxReportedErrors) || maxReportedErrors < 0) {
    throw new OutpostError('INVALID_INPUT', `maxReportedErrors must be a non-negative integer, got ${maxReportedErrors}`);
  }
  const policy: RowPolicy = { skipBadRows, maxReportedErrors };
  switch (format) {
    case 'csv':
      return streamDelimited(source, checkDelimiter(delimiter), 'CSV', policy);
    case 'tsv':
      return streamDelimited(source, '\t', 'TSV', policy);
    case 'json':
      return streamJsonArray(source, policy);
    case 'ndjson':
      return streamNdjson(source, policy);
    case 'parquet': {
      // The columnar readers are loaded only when such a file arrives.
      const { openParquet } = await import('./parquet.ts');
      return openParquet(source);
    }
    case 'arrow': {
      const { openArrow } = await import('./arrow.ts');
      return openArrow(source);
    }
    default:
      throw new OutpostError('INVALID_INPUT', `unknown dataset format ${JSON.stringify(format satisfies never)}`);
  }
}

/**
 * Every row of a dataset file in memory, read as `openRows` says.
 * @example
 * const { rows, skipped } = await readRows(bytes, formatFromFileName(name) ?? 'csv', { skipBadRows: true });
 */
export async function readRows(bytes: Uint8Array, format: DatasetFormat, options: ReadOptions = {}): Promise<ReadResult> {
  const reader = await openRows(bytesSource(bytes), format, options);
  const rows: RawRecord[] = [];
  for await (const chunk of reader.chunks()) for (const row of chunk) rows.push(row);
  return { rows, ...reader.summary() };
}

/** A reader's rows as batches: its own (columnar) batches where it has them, else its row chunks. */
export async function* batchesOf(reader: RowReader): AsyncGenerator<RowBatch, void, undefined> {
  if (reader.batches) {
    yield* reader.batches();
    return;
  }
  for await (const rows of reader.chunks()) yield { length: rows.length, rows: () => rows };
}
