import { parse } from 'csv-parse/stream';
import { OutpostError } from '@outpost/shared';
import type { RawValue } from '@outpost/shared';
import { createRowCollector, type RowPolicy } from './bad-rows.ts';
import { chunksOf, type ByteSource } from '../../blobs/byte-source.ts';
import { CHUNK_ROWS } from './chunks.ts';
import type { RowReader } from './types.ts';

/**
 * Delimited text with a header line, parsed as it streams in. Rows are 1-based data rows: the
 * header and empty lines are not rows, and a quoted field may span several lines. Values are
 * trimmed strings; a row whose field count differs from the header's is malformed. An unclosed or
 * broken quote cannot be recovered from and always fails, naming the data row and the line where
 * the parser stopped.
 */
export function streamDelimited(source: ByteSource, delimiter: string, label: string, policy: RowPolicy): RowReader {
  const rows = createRowCollector(label, policy);
  let summary: ReturnType<typeof rows.finish> | undefined;
  return {
    async *chunks() {
      const records = source.stream().pipeThrough(
        parse({
          delimiter,
          bom: true,
          skip_empty_lines: true,
          trim: true,
          // Collect ragged rows ourselves, so that one bad row can be reported with the others or skipped.
          relax_column_count: true,
          // A quote inside an unquoted field (5'11") is kept as text rather than failing the file.
          relax_quotes: true,
        }) as TransformStream<Uint8Array, string[]>,
      );
      let header: string[] | undefined;
      let row = 0;
      try {
        for await (const fields of chunksOf(records)) {
          if (!header) {
            header = checkHeader(fields, label);
            continue;
          }
          row++;
          if (fields.length !== header.length) {
            rows.reject([{ row, message: `expected ${header.length} fields, got ${fields.length}` }]);
            continue;
          }
          // fromEntries defines own properties: a column named __proto__ stays data.
          const values: Record<string, RawValue> = Object.fromEntries(header.map((name, c) => [name, fields[c]]));
          rows.accept(values);
          if (rows.pending() >= CHUNK_ROWS) yield rows.take();
        }
      } catch (e) {
        if (e instanceof OutpostError) throw e;
        const err = e as Error & { lines?: number; records?: number };
        // `records` counts the records completed before the failure, header included: the broken one is the next data row.
        const at = typeof err.records === 'number' && err.records > 0 ? err.records : undefined;
        const where = [at === undefined ? ' header' : ` row ${at}`, typeof err.lines === 'number' ? ` (line ${err.lines})` : ''].join('');
        throw new OutpostError('INVALID_DATASET', `malformed ${label}:${where}: ${err.message}`, {
          issues: [{ ...(at === undefined ? {} : { row: at }), message: err.message }],
          cause: e,
        });
      }
      if (rows.pending() > 0) yield rows.take();
      summary = rows.finish();
    },
    summary: () => summary ?? { skipped: 0, errors: [] },
  };
}

function checkHeader(header: string[], label: string): string[] {
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new OutpostError('INVALID_DATASET', `malformed ${label}: the header names column ${JSON.stringify(name)} twice`);
    seen.add(name);
  }
  return header;
}

/** A delimiter csv-parse can split on without ambiguity. */
export function checkDelimiter(delimiter: string): string {
  if ([...delimiter].length !== 1 || /["\r\n]/.test(delimiter)) {
    throw new OutpostError('INVALID_INPUT', `delimiter must be one character other than a quote or a line break, got ${JSON.stringify(delimiter)}`);
  }
  return delimiter;
}
